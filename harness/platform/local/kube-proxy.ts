import type { Clock } from '../../core/clock.ts';
import type { EventSink } from '../../model/events.ts';
import { L4Proxy, type Backend } from './l4-proxy.ts';
import type { EndpointEntry, EndpointSliceObject } from './objects.ts';
import type { Store, WatchEvent } from './store.ts';
import { SyncRunner } from './sync-runner.ts';

export interface KubeProxyOptions {
  /** The emulated API server holding the Service's EndpointSlice. */
  store: Store;
  /** The cell clock; event times and sync spacing come from it. */
  clock: Clock;
  /** Where `routing-updated` events go. */
  events: EventSink;
  /** Name of the Service whose EndpointSlice it follows. */
  service: string;
  /** Delay before it sees a slice change (ms, already time-scaled). */
  watchDelayMs: number;
  /** Rules are applied at most once per this period (iptables minSyncPeriod; ms, already time-scaled). */
  minSyncMs: number;
  /** Seeded randomness for backend choice. */
  random?: () => number;
}

/**
 * The emulated kube-proxy (iptables mode): it sees EndpointSlice changes after a watch delay, rebuilds its routing
 * table at most once per minSync period, and carries the Service's traffic through an L4 proxy whose connections stay
 * on the pod chosen at setup.
 */
export class KubeProxy {
  private readonly proxy: L4Proxy;
  private readonly runner: SyncRunner;
  private readonly delayed = new Set<ReturnType<typeof setTimeout>>();
  /** The slice as this kube-proxy last saw it (after the watch delay). */
  private seen: { uid: string; resourceVersion: number; endpoints: EndpointEntry[] } | undefined;
  private table: Backend[] = [];
  private unwatch: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly options: KubeProxyOptions) {
    this.proxy = new L4Proxy(options.random ? { random: options.random } : {});
    this.runner = new SyncRunner({
      minIntervalMs: options.minSyncMs,
      now: () => options.clock.now(),
      run: () => this.sync(),
    });
  }

  /** Starts the Service listener (the emulated ClusterIP:port) on 127.0.0.1 with an OS-chosen port. */
  async start(): Promise<{ host: string; port: number }> {
    // Watch before listing: the store delivers events asynchronously, so nothing written after the list is missed,
    // and the resourceVersion check below drops events the list already covered.
    this.unwatch = this.options.store.watch('EndpointSlice', (event) => this.onWatch(event));
    const initial = this.options.store.list('EndpointSlice').find((s) => s.service === this.options.service);
    if (initial) this.observe('ADDED', initial);
    this.runner.request();
    return this.proxy.listen();
  }

  /** Resets every connection pinned to this pod (its process is gone), like the pod's kernel would. */
  resetPod(pod: string): void {
    this.proxy.resetPod(pod);
  }

  /** Closes the listener and destroys every connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unwatch?.();
    this.runner.stop();
    for (const timer of this.delayed) clearTimeout(timer);
    this.delayed.clear();
    await this.proxy.close();
  }

  /** True (once) when the connection from client port `port` was refused by the emulated data plane. */
  wasRefused(port: number): boolean {
    return this.proxy.wasRefused(port);
  }

  /** Pods that currently receive new connections (for tests and progress). */
  routable(): string[] {
    return this.table.map((b) => b.pod);
  }

  /** Open connections pinned to `pod`, or to any pod when omitted (for tests and progress). */
  connections(pod?: string): number {
    return this.proxy.connections(pod);
  }

  private onWatch(event: WatchEvent<'EndpointSlice'>): void {
    if (this.stopped || event.object.service !== this.options.service) return;
    // The event's object is a snapshot: applying it later shows exactly this change, never a newer one.
    const timer = setTimeout(() => {
      this.delayed.delete(timer);
      // Like kube-proxy's change tracker: only a change it has not seen yet asks for a sync.
      if (this.observe(event.type, event.object)) this.runner.request();
    }, this.options.watchDelayMs);
    this.delayed.add(timer);
  }

  /** Records what the slice now looks like; false when the snapshot is one it already had (or older). */
  private observe(type: WatchEvent<'EndpointSlice'>['type'], slice: EndpointSliceObject): boolean {
    const { uid, resourceVersion } = slice.metadata;
    if (type === 'DELETED') {
      // A stale delete of an older slice must not wipe a newer one with the same Service.
      if (this.seen?.uid !== uid) return false;
      this.seen = { uid, resourceVersion, endpoints: [] };
      return true;
    }
    if (this.seen && resourceVersion <= this.seen.resourceVersion) return false;
    this.seen = { uid, resourceVersion, endpoints: slice.endpoints };
    return true;
  }

  private sync(): void {
    const endpoints = this.seen?.endpoints ?? [];
    const ready = endpoints.filter((e) => e.conditions.ready);
    // ProxyTerminatingEndpoints: serving-terminating endpoints get traffic only when nothing is ready.
    const chosen = ready.length > 0 ? ready : endpoints.filter((e) => e.conditions.serving && e.conditions.terminating);
    const next = chosen.map((e) => ({ pod: e.pod, host: e.host, port: e.port }));
    const before = new Set(this.table.map((b) => b.pod));
    const after = new Set(next.map((b) => b.pod));
    this.table = next;
    this.proxy.setBackends(next);
    const added = [...after].filter((pod) => !before.has(pod));
    const removed = [...before].filter((pod) => !after.has(pod));
    if (added.length === 0 && removed.length === 0) return;
    this.options.events({
      kind: 'routing-updated',
      t: this.options.clock.now(),
      source: 'kube-proxy',
      endpoints: [...after],
      added,
      removed,
    });
  }
}
