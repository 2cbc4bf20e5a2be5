import type { LoadSummary } from '../model/sample.ts';
import { percentileOf } from './bench-math.ts';

/** What the benchmark asks one generator run to do. */
export interface GeneratorRequest {
  /** Workload port on 127.0.0.1. */
  port: number;
  /** Constant arrival rate, requests/s. */
  rate: number;
  /** Measured window, ms (after the lead-in). */
  durationMs: number;
  /**
   * Load at the same rate before the measured window, ms (0 when absent): a cold start at a high rate makes every
   * connection at once, which the steady state does not show (see load-benches.ts).
   */
  leadInMs?: number;
  /** Virtual-user bound. */
  maxVUs: number;
}

/** Per started request: when it was scheduled (ms after the first arrival) and how late it started (ms). */
export interface StartRecord {
  scheduledOffsetMs: Float64Array;
  latenessMs: Float64Array;
}

/** What one generator run achieved. All counts but the lead-in's are of the measured window. */
export interface GeneratorStats {
  /** Asked rate, requests/s. */
  rate: number;
  /** Arrivals the schedule asked for in the window. */
  scheduled: number;
  /** Requests that started in the window. */
  started: number;
  /** Arrivals dropped in the window because every VU was busy. */
  dropped: number;
  /** Requests that failed (any cause, whole run). */
  failed: number;
  /** started / window, where the window is the asked duration or, if later, until the last start. */
  achievedRate: number;
  /** Median start lateness (startMs − scheduledMs), ms. */
  latenessP50Ms: number;
  /** 99th percentile of the start lateness, ms. */
  latenessP99Ms: number;
  /** Largest start lateness, ms. */
  latenessMaxMs: number;
  /** Over the whole run: scheduled === started + dropped. */
  countsExact: boolean;
  /** CPU time (user + system) the generator process spent per started request (whole run), µs. */
  cpuUsPerRequest: number;
  /** Lead-in length (ms) and the arrivals dropped in it. */
  leadInMs: number;
  leadInDropped: number;
  /** Virtual users (connections) the run opened. */
  vus: number;
}

/**
 * Turns one run's totals and per-request start records into GeneratorStats of the measured window: arrivals whose
 * index (scheduled offset × rate) falls at or after the lead-in. Every started request has a record, so the
 * window's drops are its scheduled arrivals minus its records.
 */
export function summarizeRun(
  request: GeneratorRequest,
  summary: LoadSummary,
  starts: StartRecord,
  failed: number,
  cpuUs: number,
): GeneratorStats {
  const intervalMs = 1000 / request.rate;
  const leadInMs = request.leadInMs ?? 0;
  const leadInArrivals = Math.min(summary.scheduled, Math.ceil(leadInMs / intervalMs - 1e-6));
  const windowStartMs = leadInArrivals * intervalMs;
  const lateness = new Float64Array(starts.latenessMs.length);
  let started = 0;
  let lastStartMs = -Infinity;
  for (let i = 0; i < starts.scheduledOffsetMs.length; i++) {
    const offset = starts.scheduledOffsetMs[i] ?? 0;
    if (Math.round(offset / intervalMs) < leadInArrivals) continue;
    const late = starts.latenessMs[i] ?? 0;
    lateness[started++] = late;
    lastStartMs = Math.max(lastStartMs, offset + late - windowStartMs);
  }
  const scheduled = summary.scheduled - leadInArrivals;
  const dropped = scheduled - started;
  // A generator that falls behind and starts its last requests after the window is not "on rate".
  const windowMs = Math.max(request.durationMs, Number.isFinite(lastStartMs) ? lastStartMs : 0);
  const sorted = lateness.subarray(0, started).sort();
  return {
    rate: request.rate,
    scheduled,
    started,
    dropped,
    failed,
    achievedRate: (started * 1000) / windowMs,
    latenessP50Ms: percentileOf(sorted, 50) ?? 0,
    latenessP99Ms: percentileOf(sorted, 99) ?? 0,
    latenessMaxMs: sorted.length > 0 ? (sorted[sorted.length - 1] ?? 0) : 0,
    countsExact: summary.scheduled === summary.started + summary.dropped,
    cpuUsPerRequest: cpuUs / Math.max(1, summary.started),
    leadInMs,
    leadInDropped: summary.dropped - dropped,
    vus: summary.vus,
  };
}
