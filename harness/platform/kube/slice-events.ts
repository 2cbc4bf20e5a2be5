import type { V1EndpointSlice } from '@kubernetes/client-node';
import type { MappedEventSink } from './pod-events.ts';
import type { WatchEventType } from './resource-watch.ts';

interface Conditions {
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

const same = (a: Conditions, b: Conditions) =>
  a.ready === b.ready && a.serving === b.serving && a.terminating === b.terminating;

/**
 * Turns EndpointSlice changes into per-pod endpoint events: `endpoint-updated` when a pod's conditions change (or it
 * appears), `endpoint-removed` when it is in no slice of the Service any more. Unset conditions follow the API's
 * documented reading: ready unknown = ready, serving unknown = as ready, terminating unknown = false.
 */
export class SliceEventMapper {
  private readonly slices = new Map<string, Map<string, Conditions>>();

  constructor(private readonly emit: MappedEventSink) {}

  /** Feeds one watch event. */
  observe(type: WatchEventType, slice: V1EndpointSlice): void {
    const sliceName = slice.metadata?.name;
    if (!sliceName) return;
    const before = this.slices.get(sliceName) ?? new Map<string, Conditions>();
    const after = new Map<string, Conditions>();
    if (type !== 'DELETED') {
      for (const endpoint of slice.endpoints ?? []) {
        const pod = endpoint.targetRef?.kind === 'Pod' ? endpoint.targetRef.name : undefined;
        if (!pod) continue;
        const ready = endpoint.conditions?.ready ?? true;
        after.set(pod, {
          ready,
          serving: endpoint.conditions?.serving ?? ready,
          terminating: endpoint.conditions?.terminating ?? false,
        });
      }
    }
    if (after.size > 0) this.slices.set(sliceName, after);
    else this.slices.delete(sliceName);
    for (const [pod, conditions] of after) {
      const previous = before.get(pod) ?? this.elsewhere(pod, sliceName);
      if (!previous || !same(previous, conditions)) {
        this.emit({ kind: 'endpoint-updated', pod, ...conditions }, 'endpointslice-controller');
      }
    }
    for (const pod of before.keys()) {
      if (!after.has(pod) && !this.elsewhere(pod, sliceName)) {
        this.emit({ kind: 'endpoint-removed', pod }, 'endpointslice-controller');
      }
    }
  }

  /** The pod's conditions in another slice of the Service, if it is listed there. */
  private elsewhere(pod: string, except: string): Conditions | undefined {
    for (const [name, endpoints] of this.slices) {
      if (name !== except && endpoints.has(pod)) return endpoints.get(pod);
    }
    return undefined;
  }
}
