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
    DRAINLAB_PREALLOCATED_VUS: String(preallocatedVUs(profile)),
    DRAINLAB_MAX_VUS: String(profile.maxVUs),
    DRAINLAB_TIMEOUT_MS: String(profile.timeoutMs),
    DRAINLAB_KEEP_ALIVE: profile.keepAlive ? '1' : '0',
    DRAINLAB_WORK_MIN_MS: String(profile.workMs.min),
    DRAINLAB_WORK_MAX_MS: String(profile.workMs.max),
    // Your own app's request (path, body) and success status, when the run measures one.
    ...(profile.path === undefined ? {} : { DRAINLAB_PATH: profile.path }),
    ...(profile.body === undefined ? {} : { DRAINLAB_BODY: profile.body }),
    ...(profile.okStatus === undefined ? {} : { DRAINLAB_OK_STATUS: String(profile.okStatus) }),
  } satisfies Record<string, string>;
}

/**
 * VUs k6 starts with: twice what the steady state keeps busy (rate × the slowest work time plus 100 ms for the
 * network and the server), within maxVUs. k6 initialises any further VU while the arrivals go on, and an arrival
 * that finds none free is dropped (`dropped_iterations`): with rate/10 pre-allocated, a measured quick run on a
 * development machine dropped 5 arrivals at the start of every cell. The built-in generator starts VUs at once.
 */
export function preallocatedVUs(profile: Pick<LoadProfile, 'rate' | 'maxVUs' | 'workMs'>): number {
  const busy = (profile.rate * (profile.workMs.max + 100)) / 1000;
  return Math.min(profile.maxVUs, Math.max(1, Math.ceil(2 * busy)));
}
