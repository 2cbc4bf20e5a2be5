import type { ApiKind } from './objects.ts';
import type { Store } from './store.ts';

/**
 * The control loop every emulated controller shares: watch some kinds, and after any burst of changes run one
 * reconcile pass (coalesced into one microtask, so a controller sees a consistent store and never re-enters itself).
 */
export class ReconcileLoop {
  private readonly stops: (() => void)[] = [];
  private scheduled = false;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly kinds: readonly ApiKind[],
    private readonly reconcile: () => void,
  ) {}

  /** Starts watching and runs a first pass. */
  start(): void {
    for (const kind of this.kinds) this.stops.push(this.store.watch(kind, () => this.schedule()));
    this.schedule();
  }

  /** Asks for a pass soon (also used by timers, e.g. minReadySeconds). */
  schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      if (!this.stopped) this.reconcile();
    });
  }

  /** Stops watching; no pass runs afterwards. */
  stop(): void {
    this.stopped = true;
    for (const stop of this.stops.splice(0)) stop();
  }
}
