import type { LoadSummary } from '../model/sample.ts';
import { percentileOf } from './bench-math.ts';

/** What the benchmark asks one generator run to do. */
export interface GeneratorRequest {
  /** Workload port on 127.0.0.1. */
  port: number;
  /** Constant arrival rate, requests/s. */
  rate: number;
  /** Scheduling window, ms. */
  durationMs: number;
  /** Virtual-user bound. */
  maxVUs: number;
}

/** What one generator run achieved. */
export interface GeneratorStats {
  /** Asked rate, requests/s. */
  rate: number;
  /** Arrivals the schedule asked for. */
  scheduled: number;
  /** Requests that started. */
  started: number;
  /** Arrivals dropped because every VU was busy. */
  dropped: number;
  /** Requests that failed (any cause). */
  failed: number;
  /** started / window, where the window is the asked duration or, if later, the last start. */
  achievedRate: number;
  /** Median start lateness (startMs − scheduledMs), ms. */
  latenessP50Ms: number;
  /** 99th percentile of the start lateness, ms. */
  latenessP99Ms: number;
  /** Largest start lateness, ms. */
  latenessMaxMs: number;
  /** scheduled === started + dropped. */
  countsExact: boolean;
  /** CPU time (user + system) the generator process spent per started request, µs. */
  cpuUsPerRequest: number;
}

/** Turns one run's totals and start latenesses into GeneratorStats. */
export function summarizeRun(
  request: GeneratorRequest,
  summary: LoadSummary,
  lateness: Float64Array,
  failed: number,
  lastStartMs: number,
  cpuUs: number,
): GeneratorStats {
  // A generator that falls behind and starts its last requests after the window is not "on rate".
  const windowMs = Math.max(request.durationMs, Number.isFinite(lastStartMs) ? lastStartMs : 0);
  const sorted = lateness.slice().sort();
  const max = sorted.length > 0 ? (sorted[sorted.length - 1] ?? 0) : 0;
  return {
    rate: request.rate,
    scheduled: summary.scheduled,
    started: summary.started,
    dropped: summary.dropped,
    failed,
    achievedRate: (summary.started * 1000) / windowMs,
    latenessP50Ms: percentileOf(sorted, 50) ?? 0,
    latenessP99Ms: percentileOf(sorted, 99) ?? 0,
    latenessMaxMs: max,
    countsExact: summary.scheduled === summary.started + summary.dropped,
    cpuUsPerRequest: cpuUs / Math.max(1, summary.started),
  };
}
