/** The fixed vocabulary of failure causes (design §6), explained in the report. */
export const FAILURE_CAUSES = ['refused', 'reset', 'timeout', 'http-5xx', 'other'] as const;
export type FailureCause = (typeof FAILURE_CAUSES)[number];

/** One request the load generator made: what was planned, what happened, who served it. */
export interface RequestSample {
  /** When the arrival schedule said the request should start (ms on the cell clock). */
  scheduledMs: number;
  /** When it actually started (ms on the cell clock); dropped requests are not samples. */
  startMs: number;
  /** From start to the end of the response, or to the failure (ms). */
  durationMs: number;
  /** HTTP status, 0 when no response arrived. */
  status: number;
  /** null when the request succeeded, otherwise why it failed. */
  cause: FailureCause | null;
  /** Name of the pod that served it (response header `x-pod`), null when unknown. */
  pod: string | null;
  /** True when sent on a kept-alive connection that had carried an earlier request. */
  reused: boolean;
}

/** Totals of one load run (exact, unlike drawn or sampled data). */
export interface LoadSummary {
  /** Requests the arrival schedule asked for. */
  scheduled: number;
  /** Requests that could not start because every virtual user was busy (k6's dropped_iterations). */
  dropped: number;
  /** Requests that started (= samples recorded). */
  started: number;
  /** Virtual users that were created. */
  vus: number;
  /** Load generator that ran, e.g. `builtin` or `k6 v1.2.0`. */
  engine: string;
}
