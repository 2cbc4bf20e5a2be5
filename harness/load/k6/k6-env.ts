import type { LoadProfile } from '../../model/load-profile.ts';

/** The environment k6/drain-load.ts reads: the one place that turns a profile into k6 parameters. */
export function k6Env(opts: { target: string; profile: LoadProfile; cellId: string; durationSeconds: number }) {
  const { profile } = opts;
  return {
    DRAINLAB_TARGET: opts.target,
    DRAINLAB_METHOD: profile.method,
    DRAINLAB_CELL: opts.cellId,
    DRAINLAB_RATE: String(profile.rate),
    DRAINLAB_DURATION_S: String(Math.ceil(opts.durationSeconds)),
    // Enough VUs for the steady state (rate × ~100 ms), growing to maxVUs when responses slow down.
    DRAINLAB_PREALLOCATED_VUS: String(Math.min(profile.maxVUs, Math.max(1, Math.ceil(profile.rate / 10)))),
    DRAINLAB_MAX_VUS: String(profile.maxVUs),
    DRAINLAB_TIMEOUT_MS: String(profile.timeoutMs),
    DRAINLAB_KEEP_ALIVE: profile.keepAlive ? '1' : '0',
    DRAINLAB_WORK_MIN_MS: String(profile.workMs.min),
    DRAINLAB_WORK_MAX_MS: String(profile.workMs.max),
  } satisfies Record<string, string>;
}
