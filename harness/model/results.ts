import type { AppManifestRecord, AppRecord } from './app-result.ts';
import type { LifecycleEvent } from './events.ts';
import type { LoadProfile } from './load-profile.ts';
import type { FailureCause, LoadSummary } from './sample.ts';
import type { Bilingual } from '../variants/variant.ts';

/** Bumped on any incompatible change of results.json. */
export const RESULTS_SCHEMA_VERSION = 1;

export type RunStatus = 'complete' | 'interrupted' | 'failed';

/** Propagation delays of the emulated (or, on kind, observed) control and data plane, in seconds. */
export interface PropagationSettings {
  /** Delay before the kubelet notices a pod's deletion. */
  kubeletNoticeSeconds: number;
  /** Delay before the EndpointSlice controller reflects a pod change. */
  endpointsControllerSeconds: number;
  /** Delay before kube-proxy sees an EndpointSlice change. */
  proxyWatchSeconds: number;
  /** kube-proxy applies rules at most once per this period (iptables minSyncPeriod). */
  proxyMinSyncSeconds: number;
}

/** One pod's measured lifecycle within a cell; times in ms on the cell clock, null when it did not happen. */
export interface PodTimeline {
  /** Pod name. */
  name: string;
  /** Template hash of the ReplicaSet it belongs to. */
  revision: string;
  /** `old` = existed before the disruption, `new` = created during it. */
  generation: 'old' | 'new';
  createdMs: number | null;
  startedMs: number | null;
  readyMs: number | null;
  terminatingMs: number | null;
  preStopStartMs: number | null;
  preStopEndMs: number | null;
  preStopOutcome: 'completed' | 'failed' | 'abandoned' | null;
  sigtermMs: number | null;
  /** When the app logged that it received SIGTERM. */
  appSigtermMs: number | null;
  /** When the app logged that its drain finished. */
  drainDoneMs: number | null;
  sigkillMs: number | null;
  exitedMs: number | null;
  exitCode: number | null;
  exitSignal: string | null;
  /** First time its endpoint stopped being ready in the EndpointSlice. */
  endpointNotReadyMs: number | null;
  /** When its endpoint was removed from the EndpointSlice. */
  endpointRemovedMs: number | null;
  /** When kube-proxy stopped routing new connections to it. */
  routingRemovedMs: number | null;
}

/**
 * Why failed requests failed, told from the data (each failed request counts once, first match wins):
 * `refused-before-routing` (refused: routing still sent a new connection to a pod that no longer listened),
 * `killed-at-deadline` (reset when the pod's process was SIGKILLed), `pinned-keepalive` (reset on a reused
 * connection after routing had already removed the pod: conntrack kept the connection on it), `reset-on-exit` (any
 * other reset), and the causes `timeout`, `http-5xx`, `other` as themselves.
 */
export type FailureMechanism =
  | 'refused-before-routing'
  | 'killed-at-deadline'
  | 'pinned-keepalive'
  | 'reset-on-exit'
  | 'timeout'
  | 'http-5xx'
  | 'other';

/** Requests per time bucket of one cell, for drawing; counts are exact (they sum to `requests.total`). */
export interface RequestTimeline {
  /** Cell-clock ms that is time 0 of the timeline: the disruption, or 0 when none was recorded. */
  originMs: number;
  /** Start of the first bucket, ms relative to `originMs` (a multiple of `bucketMs`). */
  startMs: number;
  /** Width of every bucket, ms. */
  bucketMs: number;
  /** Successful requests by the bucket of their start time. */
  ok: number[];
  /** Failed requests by the bucket of their start time, per cause; only causes that occurred are present. */
  failed: Partial<Record<FailureCause, number[]>>;
  /** Failed requests per mechanism (every mechanism present, zero when none). */
  mechanisms: Record<FailureMechanism, number>;
}

/** One variant × scenario × repetition. */
export interface CellResult {
  /** Unique within the run, also the folder name under `cells/`. */
  id: string;
  variant: string;
  scenario: string;
  /** 1-based repetition number. */
  repetition: number;
  status: RunStatus;
  /** Why the cell failed or was interrupted. */
  error?: string;
  requests: {
    total: number;
    failed: number;
    succeeded: number;
    /** Could not start (every virtual user busy); not counted in total. */
    dropped: number;
  };
  /** failed / total (0 when total is 0). */
  errorRate: number;
  failuresByCause: Record<FailureCause, number>;
  /** Latency of successful requests, ms. */
  latencyMs: { p50: number | null; p95: number | null; p99: number | null; max: number | null };
  /** From the disruption to the Deployment reporting complete, seconds. */
  rolloutSeconds: number | null;
  /** From the disruption to the last affected pod being gone (everything settled), seconds. */
  settledSeconds: number | null;
  /** When the disruption started, ms on the cell clock. */
  disruptionMs: number | null;
  /** Cell wall time, ms. */
  durationMs: number;
  /** Epoch ms of the cell clock's origin. */
  startedAtEpochMs: number;
  load: LoadSummary;
  /** Per pod, the measured lifecycle. */
  pods: PodTimeline[];
  /** Measured propagation per terminated pod, ms after it became Terminating. */
  propagation: {
    pod: string;
    endpointNotReadyMs: number | null;
    endpointRemovedMs: number | null;
    routingRemovedMs: number | null;
    sigtermMs: number | null;
  }[];
  /** Every lifecycle event of the cell, in time order. */
  events: LifecycleEvent[];
  /** Per-request samples, path relative to the run folder (see harness/report/samples-codec.ts). */
  samplesFile: string;
  /** Pod names indexed by the samples file's pod index. */
  samplePods: string[];
  /** Requests per time bucket and failure mechanisms (absent in results written before it existed). */
  timeline?: RequestTimeline;
  /**
   * How long the harness's own event loop was held up while the cell's load ran, ms (Node's monitorEventLoopDelay):
   * on a machine short of CPU, requests, probes, signals and proxy syncs all run late, and timeouts follow that the
   * variant did not cause. Absent in results written before it existed.
   */
  harnessDelayMs?: { p99: number; max: number };
}

/** results.json: the source of truth of a run (design §6). */
export interface ResultsFile {
  schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  runId: string;
  harnessVersion: string;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  platform: {
    name: 'local' | 'kind';
    /** True for the embedded emulator: the report labels such results as emulated. */
    emulated: boolean;
    versions: Record<string, string>;
  };
  /** Every modelled duration was multiplied by this (1 = real time). */
  timeScale: number;
  propagation: PropagationSettings;
  loadProfile: LoadProfile;
  variants: string[];
  scenarios: string[];
  /** What each variant is, so the report can be rebuilt from this file alone. */
  variantInfo: Record<
    string,
    { summary: Bilingual; expectation: Bilingual; expectedSafe: boolean; manifestYaml: string }
  >;
  /** What each scenario does. */
  scenarioInfo: Record<string, { summary: Bilingual }>;
  repetitions: number;
  machine: {
    os: string;
    arch: string;
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    node: string;
    /**
     * The GitHub-hosted runner image the run came from (the runner's ImageOS and ImageVersion, e.g. ubuntu24 and
     * 20261123.1.0): one image's kernel, Docker and containerd differ from the next, and a nightly's numbers move with
     * them. Absent elsewhere (and in results written before it existed).
     */
    runnerImage?: { imageOS: string; imageVersion: string };
  };
  cells: CellResult[];
  /** Risky-but-legal specs of the run's variants (e.g. an exec preStop sleep at or above the grace period). */
  warnings?: string[];
  /** Seed of the load's randomness and of the shuffled cell order. */
  seed?: number;
  /** Cell ids in the order they were started (shuffled by `seed` when repetitions > 1). */
  cellOrder?: string[];
  /** Your own app, when the run measured one: what was given and what it did on SIGTERM (absent otherwise). */
  app?: AppRecord;
  /** Your own Deployment and Service on a real cluster (`--app-manifest`), when the run measured them. */
  appManifest?: AppManifestRecord;
}
