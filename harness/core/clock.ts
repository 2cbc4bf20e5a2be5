import { performance } from 'node:perf_hooks';

/** One monotonic clock for a whole run: every timestamp the harness records comes from it. */
export interface Clock {
  /** Milliseconds since the clock's origin, monotonic, sub-millisecond resolution. */
  now(): number;
  /** Wall-clock time (epoch ms) at the clock's origin, to place the run in calendar time. */
  readonly originEpochMs: number;
}

/** A clock whose origin is the moment it is created. */
export function createClock(): Clock {
  const origin = performance.now();
  const originEpochMs = Date.now();
  return {
    now: () => performance.now() - origin,
    originEpochMs,
  };
}

/** A clock that shares `parent`'s time base but reports times relative to `offsetMs` on the parent. */
export function offsetClock(parent: Clock, offsetMs = parent.now()): Clock {
  return {
    now: () => parent.now() - offsetMs,
    originEpochMs: parent.originEpochMs + offsetMs,
  };
}

/** Resolves after `ms` milliseconds, or rejects with the signal's reason when aborted first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
