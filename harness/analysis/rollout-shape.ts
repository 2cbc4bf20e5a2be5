import type { LifecycleEvent } from '../model/events.ts';
import type { PodTimeline } from '../model/results.ts';

/**
 * The most pods of the old generation that were terminating at the same moment (course claim 7: "a rolling update
 * replaces old pods one at a time"). A pod counts from Terminating until its container exited (or, when no exit was
 * seen, until its endpoint was removed; without either, until the end). The Deployment controller does not wait for a
 * terminating pod, so with a long preStop or a slow drain this exceeds maxUnavailable + maxSurge's one.
 */
export function maxOldTerminatingAtOnce(pods: readonly PodTimeline[]): { count: number; atMs: number | null } {
  const edges: [number, number][] = [];
  for (const pod of pods) {
    if (pod.generation !== 'old' || pod.terminatingMs === null) continue;
    edges.push([pod.terminatingMs, 1]);
    const end = pod.exitedMs ?? pod.endpointRemovedMs;
    if (end !== null) edges.push([end, -1]);
  }
  // Ends before starts at the same instant: a pod that exits as the next one starts terminating is not overlapping.
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  let atMs: number | null = null;
  for (const [t, step] of edges) {
    now += step;
    if (now > most) {
      most = now;
      atMs = t;
    }
  }
  return { count: most, atMs };
}

/**
 * The fewest endpoints marked ready in the Service's EndpointSlices from `fromMs` to `toMs` (course claim 8: a larger
 * maxUnavailable lets more pods stop serving at once), counted from the endpoint events; null when no endpoint event
 * came before `toMs`, with the first moment the count was that low (`fromMs` when it already was when the window
 * opened). Pods whose endpoints existed before the events began are not known and not counted.
 */
export function fewestReadyEndpoints(
  events: readonly LifecycleEvent[],
  fromMs: number,
  toMs: number,
): { count: number; atMs: number } | null {
  const ready = new Set<string>();
  let seen = false;
  let fewest: { count: number; atMs: number } | null = null;
  // The count in force when the window opened (after every event up to fromMs) counts too, even if nothing changed
  // inside the window.
  let atStart: number | null = null;
  for (const e of [...events].sort((a, b) => a.t - b.t)) {
    if (e.t > toMs) break;
    if (e.kind !== 'endpoint-updated' && e.kind !== 'endpoint-removed') continue;
    if (e.t > fromMs && atStart === null) atStart = ready.size;
    seen = true;
    if (e.kind === 'endpoint-updated' && e.ready) ready.add(e.pod);
    else ready.delete(e.pod);
    if (e.t >= fromMs && (fewest === null || ready.size < fewest.count)) fewest = { count: ready.size, atMs: e.t };
  }
  if (!seen) return null;
  atStart ??= ready.size;
  return fewest === null || atStart <= fewest.count ? { count: atStart, atMs: fromMs } : fewest;
}
