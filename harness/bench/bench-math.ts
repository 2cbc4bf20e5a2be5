import type { CellResult, PropagationSettings } from '../model/results.ts';
import type { LoadProfile } from '../model/load-profile.ts';
import type { Variant } from '../variants/variant.ts';

/** Nearest-rank percentile of unsorted values (sorted in place); null when there are none. */
export function percentileOf(values: Float64Array | number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = values instanceof Float64Array ? values.sort() : values.sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? null;
}

/** The `Requests/sec:` figure of wrk's output; throws when the output has none (wrk failed or changed format). */
export function parseWrkRequestsPerSecond(output: string): number {
  const match = /Requests\/sec:\s*([\d.]+)/.exec(output);
  if (!match?.[1]) {
    throw new Error(
      `expected a "Requests/sec:" line in wrk's output, found:\n${output.slice(0, 500)}\nIs wrk installed?`,
    );
  }
  return Number(match[1]);
}

/**
 * The part of a cell's wall time its own settings and measured events make unavoidable, in ms:
 *   pod start-up the spec forces (readiness initialDelay + one probe period)
 *   + warm-up
 *   + max(settled + cool-down, minimum duration) after the disruption.
 * Everything else — spawning processes until the first readiness probe can pass, starting the load, waiting for
 * in-flight requests, teardown, analysis and writing — is the harness's overhead. The settle time is measured (it
 * contains the rollout steps, readiness of new pods, preStop and grace periods), so it counts as inherent.
 * Null when the cell never settled (nothing to compare against).
 */
export function inherentCellMs(
  cell: CellResult,
  variant: Variant,
  load: LoadProfile,
  timeScale: number,
): number | null {
  if (cell.settledSeconds === null) return null;
  const probe = variant.deployment.spec?.template.spec?.containers[0]?.readinessProbe;
  const startupSeconds = (probe?.initialDelaySeconds ?? 0) + (probe ? (probe.periodSeconds ?? 10) : 0);
  const s = (seconds: number) => seconds * 1000 * timeScale;
  const afterDisruption = Math.max(cell.settledSeconds * 1000 + s(load.cooldownSeconds), s(load.durationSeconds));
  return s(startupSeconds) + s(load.warmupSeconds) + afterDisruption;
}

/** Whether two closed intervals share at least one point. */
export function intervalsOverlap(a: { low: number; high: number }, b: { low: number; high: number }): boolean {
  return a.low <= b.high && b.low <= a.high;
}

/**
 * The window the emulated model allows for "Terminating → kube-proxy stopped routing new connections", in ms:
 * at least endpoints-controller + proxy-watch delay, at most that plus one minSyncPeriod (scaled).
 */
export function routingWindowMs(propagation: PropagationSettings, timeScale: number): { low: number; high: number } {
  const base = (propagation.endpointsControllerSeconds + propagation.proxyWatchSeconds) * 1000 * timeScale;
  return { low: base, high: base + propagation.proxyMinSyncSeconds * 1000 * timeScale };
}

/** Mean of the non-null values, null when there are none. */
export function meanOf(values: (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : present.reduce((sum, v) => sum + v, 0) / present.length;
}

/** Verdicts per `variant × scenario` of two runs side by side: which held, which changed. */
export function compareVerdicts(
  reference: Map<string, string>,
  candidate: Map<string, string>,
): { key: string; reference: string; candidate: string; holds: boolean }[] {
  return [...reference].map(([key, verdict]) => {
    const other = candidate.get(key) ?? 'missing';
    return { key, reference: verdict, candidate: other, holds: other === verdict };
  });
}
