import type { Clock } from '../core/clock.ts';
import type { LoadProfile } from '../model/load-profile.ts';
import type { LoadSummary, RequestSample } from '../model/sample.ts';
import type { RefusalOracle } from '../platform/platform.ts';

/** Everything one load run needs: where to send, how much, on which clock, and when to stop. */
export interface LoadRunOptions {
  /** The Service address (the emulated kube-proxy's listener). */
  target: { host: string; port: number };
  /** Rate, method, keep-alive, timeout, service times and the VU bound. */
  profile: LoadProfile;
  /** All sample times are on this clock (ms). */
  clock: Clock;
  /** Called once per finished request, in completion order. */
  onSample: (sample: RequestSample) => void;
  /** Aborting it stops scheduling new requests; in-flight ones finish (bounded by their timeout). */
  stop: AbortSignal;
  /** Hard bound: no request is scheduled later than this many ms after run() started. */
  maxDurationMs: number;
  /** Seed for the random service times (repeatable runs). */
  seed?: number;
  /** Emulated platforms say which resets were refusals; without it a time window decides (classify-failure.ts). */
  refusals?: RefusalOracle;
  /** Without an oracle: how soon after connecting a reset or EOF counts as refused (ms; REFUSED_WINDOW_MS). */
  refusedWindowMs?: number;
  /**
   * Every generator calls this once when requests actually begin. The cell's warm-up counts from here: an in-cluster k6 Job starts
   * seconds after it is created, and a disruption before the load is running would go unmeasured.
   */
  onStarted?: () => void;
}

/** A source of measured HTTP load (the built-in generator, or k6). */
export interface LoadGenerator {
  /** Engine name recorded in results, e.g. `builtin`. */
  readonly name: string;
  /** Runs until stopped or maxDurationMs; resolves with exact totals once every started request has finished. */
  run(options: LoadRunOptions): Promise<LoadSummary>;
}
