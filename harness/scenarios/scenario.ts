import type { Bilingual } from '../variants/variant.ts';
import type { ClusterClient } from '../platform/cluster-client.ts';

/** What a scenario can use while it disrupts. */
export interface ScenarioContext {
  /** The cell's cluster, through the platform-neutral client. */
  client: ClusterClient;
  /** Records one action for the timeline (`delete pod x`). */
  action(action: string, target?: string): void;
  /** Aborted when the run is interrupted. */
  signal: AbortSignal;
}

/** A disruption applied while load runs (design §4). */
export interface Scenario {
  /** Contract name, e.g. `rolling-update`. */
  name: string;
  /** What it does. */
  summary: Bilingual;
  /** Replicas the Deployment starts with for this scenario. */
  initialReplicas: number;
  /** Performs the disruption; returns once it has been requested (not when it settled). */
  trigger(ctx: ScenarioContext): Promise<void>;
}
