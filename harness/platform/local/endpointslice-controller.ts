import type { Clock } from '../../core/clock.ts';
import type { EventSink } from '../../model/events.ts';
import type { EndpointEntry, PodObject } from './objects.ts';
import { matchesSelector } from './pod-api.ts';
import type { Store, WatchEvent } from './store.ts';

export interface EndpointSliceControllerOptions {
  /** The emulated API. */
  store: Store;
  /** The cell clock. */
  clock: Clock;
  /** Where lifecycle events go. */
  events: EventSink;
  /** Service name (the slice is labelled with it). */
  service: string;
  /** The Service's pod selector. */
  selector: Record<string, string>;
  /** Delay between a pod change and the slice reflecting it (ms, already time-scaled). */
  delayMs: number;
}

/**
 * The EndpointSlice controller: mirrors the Service's pods into one EndpointSlice with discovery.k8s.io/v1
 * conditions. It sees each pod change `delayMs` after it happened — the snapshot of that moment, so a later change
 * never overtakes an earlier one — which is what makes endpoint removal lag behind the pod's termination.
 */
export class EndpointSliceController {
  private readonly pods = new Map<string, PodObject>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopWatch: (() => void) | undefined;
  private readonly sliceName: string;

  constructor(private readonly options: EndpointSliceControllerOptions) {
    this.sliceName = `${options.service}-slice`;
  }

  /** Creates the (empty) slice and starts following pods. */
  start(): void {
    const { store, service } = this.options;
    store.create('EndpointSlice', {
      kind: 'EndpointSlice',
      metadata: { name: this.sliceName, labels: { 'kubernetes.io/service-name': service }, annotations: {} },
      service,
      endpoints: [],
    });
    for (const pod of store.list('Pod')) this.pods.set(pod.metadata.name, pod);
    this.stopWatch = store.watch('Pod', (event) => this.delayed(event));
    this.sync();
  }

  /** Stops following pods. */
  stop(): void {
    this.stopWatch?.();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private delayed(event: WatchEvent<'Pod'>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (event.type === 'DELETED') this.pods.delete(event.object.metadata.name);
      else this.pods.set(event.object.metadata.name, event.object);
      this.sync();
    }, this.options.delayMs);
    this.timers.add(timer);
  }

  private sync(): void {
    const { store, clock, events, selector } = this.options;
    const slice = store.get('EndpointSlice', this.sliceName);
    if (!slice) return;
    const next: EndpointEntry[] = [];
    for (const pod of this.pods.values()) {
      const entry = endpointFor(pod, selector);
      if (entry) next.push(entry);
    }
    next.sort((a, b) => a.pod.localeCompare(b.pod));
    const before = new Map(slice.endpoints.map((e) => [e.pod, e]));
    const t = clock.now();
    let changed = before.size !== next.length;
    for (const entry of next) {
      const old = before.get(entry.pod);
      const c = entry.conditions;
      if (
        !old ||
        old.conditions.ready !== c.ready ||
        old.conditions.serving !== c.serving ||
        old.conditions.terminating !== c.terminating
      ) {
        changed = true;
        events({ kind: 'endpoint-updated', pod: entry.pod, ...c, t, source: 'endpointslice-controller' });
      }
      before.delete(entry.pod);
    }
    for (const gone of before.keys()) {
      changed = true;
      events({ kind: 'endpoint-removed', pod: gone, t, source: 'endpointslice-controller' });
    }
    if (changed) {
      store.mutate('EndpointSlice', this.sliceName, (current) => {
        current.endpoints = next;
      });
    }
  }
}

/** The pod's endpoint, or null when it has none (not selected, no address yet, or its container has ended). */
export function endpointFor(pod: PodObject, selector: Record<string, string>): EndpointEntry | null {
  if (!matchesSelector(pod.metadata.labels, selector)) return null;
  if (!pod.status.address || pod.status.container === 'terminated') return null;
  const terminating = pod.metadata.deletionMs !== undefined;
  return {
    pod: pod.metadata.name,
    host: pod.status.address.host,
    port: pod.status.address.port,
    conditions: { ready: pod.status.ready && !terminating, serving: pod.status.ready, terminating },
  };
}
