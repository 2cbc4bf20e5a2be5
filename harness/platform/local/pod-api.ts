import type { Clock } from '../../core/clock.ts';
import type { EventSink, EventSource } from '../../model/events.ts';
import type { PodObject } from './objects.ts';
import type { Store } from './store.ts';

/** Default terminationGracePeriodSeconds of a Pod spec. */
export const DEFAULT_GRACE_SECONDS = 30;

/**
 * Requests graceful deletion of a pod, as the API server does for `DELETE pods/<name>`: the pod gets a
 * deletionTimestamp and a grace period and is Terminating from now on; the kubelet and the EndpointSlice controller
 * each notice it on their own. A grace period of 0 ("delete immediately", pod strategy CheckGracefulDelete) removes
 * the object at once instead; the kubelet still stops the process, with its minimum grace of 1 s. Returns false when
 * the pod is gone or already terminating.
 */
export function requestPodDeletion(
  deps: { store: Store; clock: Clock; events: EventSink },
  name: string,
  source: EventSource,
  gracePeriodSeconds?: number,
): boolean {
  let started = false;
  let grace = 0;
  deps.store.mutate('Pod', name, (pod) => {
    if (pod.metadata.deletionMs !== undefined) return;
    grace = gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
    pod.metadata.deletionMs = deps.clock.now();
    pod.metadata.deletionGracePeriodSeconds = grace;
    started = true;
  });
  if (started) {
    deps.events({ kind: 'pod-terminating', pod: name, gracePeriodSeconds: grace, t: deps.clock.now(), source });
    if (grace === 0 && deps.store.remove('Pod', name)) {
      deps.events({ kind: 'pod-deleted', pod: name, t: deps.clock.now(), source: 'api' });
    }
  }
  return started;
}

/** A pod that counts for its ReplicaSet: not terminating and not finished. */
export function isActivePod(pod: PodObject): boolean {
  return pod.metadata.deletionMs === undefined && pod.status.phase !== 'Succeeded' && pod.status.phase !== 'Failed';
}

/** True when every label of `selector` is on `labels`. */
export function matchesSelector(labels: Record<string, string>, selector: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}
