import type { LifecycleEvent } from '../model/events.ts';
import type { CellResult, RunStatus } from '../model/results.ts';
import { FAILURE_CAUSES, type FailureCause, type LoadSummary, type RequestSample } from '../model/sample.ts';
import { buildPodTimelines, buildPropagation } from './pod-timelines.ts';
import { buildRequestTimeline } from './request-timeline.ts';
import { percentile } from './stats.ts';

/** Everything measured in one cell, as the runner hands it over. */
export interface CellInput {
  /** Unique cell id within the run (also its folder name under `cells/`). */
  id: string;
  /** Variant name. */
  variant: string;
  /** Scenario name. */
  scenario: string;
  /** 1-based repetition number. */
  repetition: number;
  /** How the cell ended. */
  status: RunStatus;
  /** Why it failed or was interrupted. */
  error?: string;
  /** Every request the load generator made. */
  samples: RequestSample[];
  /** Every lifecycle event, in any order. */
  events: LifecycleEvent[];
  /** Exact load totals. */
  load: LoadSummary;
  /** The harness's event-loop delay while the load ran, ms (see CellResult.harnessDelayMs). */
  harnessDelayMs?: { p99: number; max: number };
  /** Epoch ms of the cell clock's origin. */
  startedAtEpochMs: number;
  /** Cell wall time, ms. */
  durationMs: number;
  /** Samples file, relative to the run folder. */
  samplesFile: string;
  /** Pod names indexed by the samples file's pod index. */
  samplePods: string[];
}

/** Zero for every cause, so consumers can rely on every key being present. */
export function zeroCauses(): Record<FailureCause, number> {
  return Object.fromEntries(FAILURE_CAUSES.map((cause) => [cause, 0])) as Record<FailureCause, number>;
}

/** The first event of `kind` at or after `fromMs`. */
function firstAfter(events: LifecycleEvent[], kind: LifecycleEvent['kind'], fromMs: number): LifecycleEvent | null {
  return events.find((e) => e.kind === kind && e.t >= fromMs) ?? null;
}

/**
 * Reduces one cell's raw measurements to its CellResult (pure). Latency percentiles are nearest-rank over the
 * successful requests only: a refused connection is fast and would make a failing variant look quick. The timeline
 * (requests per bucket relative to the disruption) is stored so the report never needs the samples file.
 */
export function analyzeCell(input: CellInput): CellResult {
  const events = [...input.events].sort((a, b) => a.t - b.t);

  const failuresByCause = zeroCauses();
  const okDurations: number[] = [];
  for (const sample of input.samples) {
    if (sample.cause === null) okDurations.push(sample.durationMs);
    else failuresByCause[sample.cause] = (failuresByCause[sample.cause] ?? 0) + 1;
  }
  okDurations.sort((a, b) => a - b);
  const total = input.samples.length;
  const failed = total - okDurations.length;

  const disruptionMs = events.find((e) => e.kind === 'scenario-start')?.t ?? null;
  const seconds = (kind: LifecycleEvent['kind']): number | null => {
    if (disruptionMs === null) return null;
    const event = firstAfter(events, kind, disruptionMs);
    return event === null ? null : (event.t - disruptionMs) / 1000;
  };

  const pods = buildPodTimelines(events, disruptionMs);
  return {
    id: input.id,
    variant: input.variant,
    scenario: input.scenario,
    repetition: input.repetition,
    status: input.status,
    ...(input.error === undefined ? {} : { error: input.error }),
    requests: { total, failed, succeeded: total - failed, dropped: input.load.dropped },
    errorRate: total === 0 ? 0 : failed / total,
    failuresByCause,
    latencyMs: {
      p50: percentile(okDurations, 50),
      p95: percentile(okDurations, 95),
      p99: percentile(okDurations, 99),
      max: okDurations.at(-1) ?? null,
    },
    rolloutSeconds: seconds('rollout-complete'),
    settledSeconds: seconds('settled'),
    disruptionMs,
    durationMs: input.durationMs,
    startedAtEpochMs: input.startedAtEpochMs,
    load: input.load,
    pods,
    propagation: buildPropagation(pods),
    events,
    samplesFile: input.samplesFile,
    samplePods: input.samplePods,
    timeline: buildRequestTimeline(input.samples, disruptionMs ?? 0, pods),
    ...(input.harnessDelayMs === undefined ? {} : { harnessDelayMs: input.harnessDelayMs }),
  };
}
