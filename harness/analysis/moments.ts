import { parseAllDocuments } from 'yaml';
import type { CellResult, PodTimeline, ResultsFile } from '../model/results.ts';
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
  return momentsOf(terminatedPods(cells));
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

/** Whether the variant's manifest (results.variantInfo) gives its container a preStop hook. */
function declaresPreStop(results: ResultsFile, variant: string): boolean {
  const yamlText = results.variantInfo[variant]?.manifestYaml;
  if (yamlText === undefined) return false;
  return parseAllDocuments(yamlText).some((doc) => {
    const obj = doc.toJS() as {
      kind?: string;
      spec?: { template?: { spec?: { containers?: { lifecycle?: { preStop?: unknown } }[] } } };
    } | null;
    return obj?.kind === 'Deployment' && (obj.spec?.template?.spec?.containers ?? []).some((c) => c.lifecycle?.preStop);
  });
}

/**
 * A real cluster's kubelet reports neither a preStop hook's start and end nor SIGKILL (the emulator does). There the
 * hook of a variant that declares one ran from Terminating until the app logged SIGTERM (or until a
 * `FailedPreStopHook` Event cut it), and SIGKILL is an exit by signal 9 (137), seen when the container's status said
 * so. Pods keep every time that was measured; only missing ones are filled, from these observations.
 */
export function inferUnreported(ref: PodRef, hasPreStop: boolean): PodRef {
  const pod = { ...ref.pod };
  const sigterm = sigtermSeenMs(pod);
  if (hasPreStop && pod.preStopStartMs === null && pod.terminatingMs !== null && pod.preStopOutcome !== 'failed') {
    pod.preStopStartMs = pod.terminatingMs;
    // The kubelet sends SIGTERM the moment the hook ends or is cut; a FailedPreStopHook Event for a cut hook comes
    // later, when the hook's process dies with the container.
    if (sigterm !== null) pod.preStopEndMs = sigterm;
    pod.preStopOutcome ??= sigterm === null ? null : 'completed';
  }
  const killedBySignal = pod.exitSignal === 'SIGKILL' || pod.exitCode === 137;
  if (pod.sigkillMs === null && killedBySignal && pod.exitedMs !== null) pod.sigkillMs = pod.exitedMs;
  return { cell: ref.cell, pod };
}

/**
 * The terminated pods of `cells` as the run observed them: as recorded on the emulator; on a real cluster with the
 * preStop hook and SIGKILL the kubelet does not report filled in from what was seen (see inferUnreported).
 */
export function observedPods(results: ResultsFile, cells: readonly CellResult[]): PodRef[] {
  const pods = terminatedPods(cells);
  if (results.platform.emulated) return pods;
  const hooks = new Map<string, boolean>();
  return pods.map((ref) => {
    const variant = ref.cell.variant;
    if (!hooks.has(variant)) hooks.set(variant, declaresPreStop(results, variant));
    return inferUnreported(ref, hooks.get(variant)!);
  });
}

/** Every moment's statistics over `pods` (see terminationMoments). */
export function momentsOf(pods: readonly PodRef[]): Record<MomentName, MomentStats | null> {
  return Object.fromEntries(MOMENTS.map((m) => [m, momentStats(pods, m)])) as Record<MomentName, MomentStats | null>;
}
