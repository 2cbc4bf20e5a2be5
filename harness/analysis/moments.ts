import type { CellResult, PodTimeline } from '../model/results.ts';
import { sigtermSeenMs } from './pod-timelines.ts';

/**
 * The moments of one pod's termination that the course's sequence names, each measured from the moment the pod became
 * Terminating (the API server's deletion timestamp as the harness saw it):
 * kubelet side — `preStopStart`, `preStopEnd`, `sigterm` (the kubelet's event on `local`, the app's own log line on a
 * real cluster), `sigkill`, `exited`; Service side — `endpointNotReady` (its EndpointSlice endpoint ready=false),
 * `routingRemoved` (kube-proxy's rules stopped sending new connections to it), `endpointRemoved` (gone from the slice).
 */
export const MOMENTS = [
  'preStopStart',
  'preStopEnd',
  'sigterm',
  'sigkill',
  'exited',
  'endpointNotReady',
  'routingRemoved',
  'endpointRemoved',
] as const;

export type MomentName = (typeof MOMENTS)[number];

/** Where a value came from, so a report can link to the cell and the moment in its timeline. */
export interface MomentExample {
  cellId: string;
  pod: string;
  /** The moment on the cell's clock, ms. */
  atMs: number;
  /** The value, ms after the pod became Terminating. */
  valueMs: number;
}

/** One moment over every terminated pod of some cells, ms after Terminating. */
export interface MomentStats {
  /** Pods that had the moment. */
  n: number;
  /** The lower median (a value that was measured, so it has a pod and a cell to link to). */
  median: number;
  min: number;
  max: number;
  /** The pod whose value is the median. */
  example: MomentExample;
}

function momentAt(pod: PodTimeline, name: MomentName): number | null {
  switch (name) {
    case 'preStopStart':
      return pod.preStopStartMs;
    case 'preStopEnd':
      return pod.preStopEndMs;
    case 'sigterm':
      return sigtermSeenMs(pod);
    case 'sigkill':
      return pod.sigkillMs;
    case 'exited':
      return pod.exitedMs;
    case 'endpointNotReady':
      return pod.endpointNotReadyMs;
    case 'routingRemoved':
      return pod.routingRemovedMs;
    case 'endpointRemoved':
      return pod.endpointRemovedMs;
  }
}

/** A pod with the cell it ran in. */
export interface PodRef {
  cell: CellResult;
  pod: PodTimeline;
}

/** Every terminated pod of `cells` with its cell, in cell then pod order. */
export function terminatedPods(cells: readonly CellResult[]): PodRef[] {
  return cells.flatMap((cell) => cell.pods.filter((p) => p.terminatingMs !== null).map((pod) => ({ cell, pod })));
}

/** The statistics of one moment over terminated pods (see terminatedPods); null when no pod had it. Pure. */
export function momentStats(pods: readonly PodRef[], name: MomentName): MomentStats | null {
  const found: MomentExample[] = [];
  for (const { cell, pod } of pods) {
    if (pod.terminatingMs === null) continue;
    const at = momentAt(pod, name);
    if (at === null) continue;
    found.push({ cellId: cell.id, pod: pod.name, atMs: at, valueMs: at - pod.terminatingMs });
  }
  if (found.length === 0) return null;
  const sorted = [...found].sort((a, b) => a.valueMs - b.valueMs);
  const example = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return { n: found.length, median: example.valueMs, min: sorted[0]!.valueMs, max: sorted.at(-1)!.valueMs, example };
}

/** Every moment's statistics over the terminated pods of `cells` (normally one variant's cells of one scenario). */
export function terminationMoments(cells: readonly CellResult[]): Record<MomentName, MomentStats | null> {
  const pods = terminatedPods(cells);
  return Object.fromEntries(MOMENTS.map((m) => [m, momentStats(pods, m)])) as Record<MomentName, MomentStats | null>;
}

/**
 * Per terminated pod, SIGTERM minus the moment routing stopped (ms): negative when SIGTERM came first, i.e. the app
 * was told to stop while new connections could still reach it (the race of course claim 1). Pods without both are
 * left out.
 */
export function sigtermBeforeRouting(
  cells: readonly CellResult[],
): { cellId: string; pod: string; sigtermMs: number; gapMs: number }[] {
  return terminatedPods(cells).flatMap(({ cell, pod }) => {
    const sigterm = sigtermSeenMs(pod);
    if (sigterm === null || pod.routingRemovedMs === null) return [];
    return [{ cellId: cell.id, pod: pod.name, sigtermMs: sigterm, gapMs: sigterm - pod.routingRemovedMs }];
  });
}
