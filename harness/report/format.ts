import type { LoadProfile } from '../model/load-profile.ts';
import type { PropagationSettings, ResultsFile } from '../model/results.ts';
import { FAILURE_CAUSES, type FailureCause } from '../model/sample.ts';

/** Shared number and label formatting of summary.md, junit.xml and index.html, so they never disagree. */

/** Placeholder for "not measured". */
export const NONE = '—';

/** An error rate as a percentage: `0 %`, `0.0042 %`, `1.23 %`. */
export function formatPercent(rate: number): string {
  const percent = rate * 100;
  if (percent === 0) return '0 %';
  // Small rates keep two significant digits so 1 failure in 50 000 does not print as 0.00 %.
  return percent < 0.1 ? `${Number(percent.toPrecision(2))} %` : `${percent.toFixed(2)} %`;
}

/** A 95 % interval of a rate: `0.85–1.78 %`. */
export function formatInterval(ci: { low: number; high: number }): string {
  return `${formatPercent(ci.low).replace(' %', '')}–${formatPercent(ci.high)}`;
}

/** Milliseconds with one decimal, or a dash. */
export function formatMs(ms: number | null): string {
  return ms === null ? NONE : ms.toFixed(1);
}

/** Seconds with two decimals, or a dash. */
export function formatSeconds(seconds: number | null): string {
  return seconds === null ? NONE : seconds.toFixed(2);
}

/** Non-zero failure causes, `refused 4, reset 2`, or a dash when none. */
export function formatCauses(causes: Record<FailureCause, number>): string {
  const parts = FAILURE_CAUSES.filter((c) => (causes[c] ?? 0) > 0).map((c) => `${c} ${causes[c]}`);
  return parts.length === 0 ? NONE : parts.join(', ');
}

/** The load profile in one line. */
export function describeLoadProfile(p: LoadProfile): string {
  return [
    `${p.rate} req/s`,
    p.keepAlive ? 'keep-alive' : 'new connection per request',
    // Your own app's request (path, success status) instead of drainlab's work path.
    p.path === undefined
      ? p.method
      : `${p.method} ${p.path}${p.okStatus === undefined ? '' : ` (success: ${p.okStatus})`}`,
    `warm-up ${p.warmupSeconds} s`,
    `≥ ${p.durationSeconds} s after the disruption`,
    `cool-down ${p.cooldownSeconds} s`,
    `timeout ${p.timeoutMs} ms`,
    ...(p.path === undefined ? [`work ${p.workMs.min}–${p.workMs.max} ms`] : []),
    `max ${p.maxVUs} VUs`,
  ].join(', ');
}

/** The platform, whether it is emulated, and the versions known. */
export function describePlatform(platform: ResultsFile['platform']): string {
  const context = platform.versions.context;
  const versions = Object.entries(platform.versions)
    .filter(([name]) => name !== 'context')
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
  // --context runs under the kind platform's code but on a cluster the user named: say which.
  const kind = platform.emulated
    ? `${platform.name} (emulated)`
    : context
      ? `real cluster (context ${context})`
      : platform.name;
  return versions === '' ? kind : `${kind}; ${versions}`;
}

/** The emulated propagation delays as configured and, when time is scaled, as they were applied. */
export function describeModelledPropagation(p: PropagationSettings, timeScale: number): string {
  const s = (seconds: number) =>
    timeScale === 1 ? `${seconds} s` : `${seconds} s (${Number((seconds * timeScale).toFixed(3))} s at ×${timeScale})`;
  return (
    `kubelet notice ${s(p.kubeletNoticeSeconds)}, EndpointSlice controller ${s(p.endpointsControllerSeconds)}, ` +
    `kube-proxy watch ${s(p.proxyWatchSeconds)}, minSyncPeriod ${s(p.proxyMinSyncSeconds)}`
  );
}

/** The time scale, saying what it means. */
export function describeTimeScale(timeScale: number): string {
  return timeScale === 1 ? '×1 (real time)' : `×${timeScale} (modelled durations multiplied by ${timeScale})`;
}
