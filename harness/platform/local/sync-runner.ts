/** Timer functions the runner schedules with; injectable so a unit test can drive time by hand. */
export interface RunnerTimers {
  /** Schedules `fn` after `ms` milliseconds; returns a handle for `clear`. */
  set(fn: () => void, ms: number): unknown;
  /** Cancels a handle returned by `set`. */
  clear(handle: unknown): void;
}

export interface SyncRunnerOptions {
  /** Two runs start at least this many milliseconds apart. */
  minIntervalMs: number;
  /** The sync itself; called synchronously, never re-entered. */
  run: () => void;
  /** Monotonic time in milliseconds (the cell clock's `now`). */
  now: () => number;
  /** Defaults to the global setTimeout/clearTimeout. */
  timers?: RunnerTimers;
}

const realTimers: RunnerTimers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * A bounded-frequency runner like kube-proxy's: `request()` asks for a sync, which runs at once when the last one
 * is at least `minIntervalMs` old, otherwise once at lastRun + minIntervalMs however many requests arrive meanwhile.
 */
export class SyncRunner {
  private readonly timers: RunnerTimers;
  private lastRunAt: number | undefined;
  private pending: unknown;
  private running = false;
  private stopped = false;

  constructor(private readonly options: SyncRunnerOptions) {
    this.timers = options.timers ?? realTimers;
  }

  /** Asks for a sync: now if allowed, else one deferred run (coalescing every request until then). */
  request(): void {
    if (this.stopped || this.pending !== undefined) return;
    const now = this.options.now();
    const wait = this.lastRunAt === undefined ? 0 : this.lastRunAt + this.options.minIntervalMs - now;
    if (wait <= 0 && !this.running) {
      this.runNow();
      return;
    }
    this.pending = this.timers.set(
      () => {
        this.pending = undefined;
        // A timer may fire a hair early against the clock; re-check rather than break the minimum interval.
        this.request();
      },
      Math.max(0, wait),
    );
  }

  /** Cancels the pending run; later requests are ignored. */
  stop(): void {
    this.stopped = true;
    if (this.pending !== undefined) this.timers.clear(this.pending);
    this.pending = undefined;
  }

  private runNow(): void {
    this.lastRunAt = this.options.now();
    this.running = true;
    try {
      this.options.run();
    } finally {
      this.running = false;
    }
  }
}
