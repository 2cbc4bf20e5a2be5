import type { LifecycleEvent } from '../model/events.ts';
import type { CellResult, PodTimeline } from '../model/results.ts';

/** A pod timeline with nothing observed yet. */
export function emptyTimeline(name: string): PodTimeline {
  return {
    name,
    revision: '',
    generation: 'old',
    createdMs: null,
    startedMs: null,
    readyMs: null,
    terminatingMs: null,
    preStopStartMs: null,
    preStopEndMs: null,
    preStopOutcome: null,
    sigtermMs: null,
    appSigtermMs: null,
    drainDoneMs: null,
    sigkillMs: null,
    exitedMs: null,
    exitCode: null,
    exitSignal: null,
    endpointNotReadyMs: null,
    endpointRemovedMs: null,
    routingRemovedMs: null,
  };
}

/** When SIGTERM arrived: the kubelet's event on `local`; a real cluster's kubelet reports none, the app logs it. */
export function sigtermSeenMs(pod: Pick<PodTimeline, 'sigtermMs' | 'appSigtermMs'>): number | null {
  return pod.sigtermMs ?? pod.appSigtermMs;
}

/** Pods an event is about (routing updates name several). */
function podsOf(event: LifecycleEvent): string[] {
  if (event.kind === 'routing-updated') return [...event.endpoints, ...event.added, ...event.removed];
  return 'pod' in event ? [event.pod] : [];
}

/**
 * One timeline per pod seen in `events` (ordered by first appearance), each field the FIRST time it happened.
 *
 * `endpointNotReadyMs` is the first `endpoint-updated ready=false` after the pod's endpoint had been ready (an
 * `endpoint-updated ready=true`; not the pod's own Ready, which on a real cluster can arrive before the first slice
 * written while it started), or once it is terminating: a brand-new pod enters the EndpointSlice not ready, and that
 * is not the pod "stopping being ready". A pod without a `pod-created` event existed before the cell's events
 * began, so it is assumed ready. `generation` is `old` when created before `disruptionMs` (or never seen created,
 * or there was no disruption), else `new`.
 */
export function buildPodTimelines(events: LifecycleEvent[], disruptionMs: number | null): PodTimeline[] {
  const sorted = [...events].sort((a, b) => a.t - b.t);
  const pods = new Map<string, PodTimeline>();
  for (const event of sorted) {
    for (const name of podsOf(event)) {
      if (!pods.has(name)) pods.set(name, emptyTimeline(name));
    }
  }
  // A pod created in the events is not ready until its endpoint shows otherwise; one never seen created is assumed ready.
  const wasCreated = new Set<string>();
  const endpointWasReady = new Set<string>();
  for (const event of sorted) {
    if (event.kind === 'pod-created') {
      wasCreated.add(event.pod);
    }
  }
  const first = (value: number | null, t: number): number => value ?? t;

  for (const e of sorted) {
    if (e.kind === 'routing-updated') {
      for (const name of e.removed) {
        const pod = pods.get(name) as PodTimeline;
        pod.routingRemovedMs = first(pod.routingRemovedMs, e.t);
      }
      continue;
    }
    if (!('pod' in e)) continue;
    const pod = pods.get(e.pod) as PodTimeline;
    switch (e.kind) {
      case 'pod-created':
        if (pod.createdMs === null) {
          pod.createdMs = e.t;
          pod.revision = e.revision;
        }
        break;
      case 'pod-started':
        pod.startedMs = first(pod.startedMs, e.t);
        break;
      case 'pod-ready':
        pod.readyMs = first(pod.readyMs, e.t);
        break;
      case 'pod-terminating':
        pod.terminatingMs = first(pod.terminatingMs, e.t);
        break;
      case 'prestop-start':
        pod.preStopStartMs = first(pod.preStopStartMs, e.t);
        break;
      case 'prestop-end':
        if (pod.preStopEndMs === null) {
          pod.preStopEndMs = e.t;
          pod.preStopOutcome = e.outcome;
        }
        break;
      case 'sigterm-sent':
        pod.sigtermMs = first(pod.sigtermMs, e.t);
        break;
      case 'sigkill-sent':
        pod.sigkillMs = first(pod.sigkillMs, e.t);
        break;
      case 'pod-exited':
        if (pod.exitedMs === null) {
          pod.exitedMs = e.t;
          pod.exitCode = e.exitCode;
          pod.exitSignal = e.signal;
        }
        break;
      case 'endpoint-updated':
        // Judged by the endpoint's own history, not the pod's Ready condition: on a real cluster the first slice
        // written for a pod (not ready) can arrive after the pod's Ready watch event, and is no readiness loss.
        if (e.ready) {
          endpointWasReady.add(e.pod);
        } else if (endpointWasReady.has(e.pod) || !wasCreated.has(e.pod) || pod.terminatingMs !== null) {
          pod.endpointNotReadyMs = first(pod.endpointNotReadyMs, e.t);
        }
        break;
      case 'endpoint-removed':
        pod.endpointRemovedMs = first(pod.endpointRemovedMs, e.t);
        break;
      case 'app-log':
        if (e.msg === 'sigterm') pod.appSigtermMs = first(pod.appSigtermMs, e.t);
        if (e.msg === 'drain-done') pod.drainDoneMs = first(pod.drainDoneMs, e.t);
        break;
      default:
        // pod-not-ready, pod-deleted: kept in the event list, not part of the timeline.
        break;
    }
  }

  for (const pod of pods.values()) {
    pod.generation = disruptionMs === null || pod.createdMs === null || pod.createdMs < disruptionMs ? 'old' : 'new';
  }
  return [...pods.values()];
}

/**
 * For every pod that became Terminating: how long after that its endpoint went not ready, was removed, routing
 * dropped it, and SIGTERM was sent (ms; null when it did not happen). Negative when it happened before Terminating
 * (e.g. a readiness failure), which is measured data, not an error.
 */
export function buildPropagation(pods: PodTimeline[]): CellResult['propagation'] {
  const since = (t: number | null, origin: number): number | null => (t === null ? null : t - origin);
  return pods.flatMap((pod) => {
    const origin = pod.terminatingMs;
    if (origin === null) return [];
    return [
      {
        pod: pod.name,
        endpointNotReadyMs: since(pod.endpointNotReadyMs, origin),
        endpointRemovedMs: since(pod.endpointRemovedMs, origin),
        routingRemovedMs: since(pod.routingRemovedMs, origin),
        sigtermMs: since(sigtermSeenMs(pod), origin),
      },
    ];
  });
}
