import type { EventSink } from '../model/events.ts';
import type { Clock } from '../core/clock.ts';
import type { PropagationSettings } from '../model/results.ts';
import type { Variant } from '../variants/variant.ts';
import type { ClusterClient } from './cluster-client.ts';
import type { LoadGenerator } from '../load/load-generator.ts';

/** Everything a platform needs to deploy one cell. */
export interface DeployRequest {
  /** Unique cell id, used to name and label what is created. */
  cellId: string;
  variant: Variant;
  /** Replicas to start with (the scenario decides). */
  replicas: number;
  /** The cell's clock: every event timestamp comes from it. */
  clock: Clock;
  /** Where lifecycle events go. */
  events: EventSink;
  /** Every modelled duration is multiplied by this. */
  timeScale: number;
  /** Aborted when the run is interrupted. */
  signal: AbortSignal;
  /** The cell's folder in the run folder (the local platform keeps a user's app's output there). */
  cellDir?: string;
}

/**
 * Ground truth about refused connections from an emulated data plane, where a refusal reaches the client as a reset
 * of an accepted connection (see L4Proxy.wasRefused). Real clusters need none: the kernel refuses the SYN.
 */
export interface RefusalOracle {
  /** True (once) when the connection from this client port was refused. */
  wasRefused(localPort: number): boolean;
}

/** One deployed cell: its workload running, its Service reachable. */
export interface CellDeployment extends AsyncDisposable {
  /** Scenario-facing operations on this cell's Deployment. */
  readonly client: ClusterClient;
  /** Where the load generator sends requests (the Service). */
  readonly target: { host: string; port: number };
  /** A platform-specific load generator (kind: a k6 Job in the cell's namespace); the run's default otherwise. */
  readonly loadGenerator?: LoadGenerator;
  /** Set by emulated platforms: tells refused connections from resets (see RefusalOracle). */
  readonly refusals?: RefusalOracle;
  /** Resolves once the Deployment is complete and no pod is terminating; rejects on timeout with what is missing. */
  waitSettled(opts: { timeoutMs: number; signal: AbortSignal }): Promise<void>;
  /** Stops everything of this cell (idempotent); what it created is gone when it resolves. */
  teardown(): Promise<void>;
}

/** A place where cells run: `local` (emulated, real processes) or `kind` (a real cluster). */
export interface Platform {
  /** `local` or `kind`. */
  readonly name: 'local' | 'kind';
  /** True when lifecycle and routing are emulated rather than a real cluster's. */
  readonly emulated: boolean;
  /** Propagation settings in force (modelled on local, defaults/observed on kind). */
  readonly propagation: PropagationSettings;
  /** Versions of the components involved (node, kind, kubernetes, k6, ...). */
  versions(): Promise<Record<string, string>>;
  /** Deploys a variant for one cell and waits until it is ready. */
  deploy(request: DeployRequest): Promise<CellDeployment>;
  /** Run-level set-up before the first cell (kind: preflight, cluster, image); undone by tearDown. */
  setUp?(signal: AbortSignal): Promise<void>;
  /** Run-level teardown after the last cell, also after failures and Ctrl-C; idempotent. */
  tearDown?(): Promise<void>;
}
