import { constants } from 'node:os';
import type { V1Pod } from '@kubernetes/client-node';
import type { EventBody, EventSource } from '../../model/events.ts';
import type { WatchEventType } from './resource-watch.ts';

/** Where mapped events go; the caller stamps the time (watch arrival on the cell clock). */
export type MappedEventSink = (body: EventBody, source: EventSource) => void;

/** The name of signal n (`SIGTERM` for 15), or null when unknown. */
export function signalName(n: number): string | null {
  const entry = Object.entries(constants.signals).find(([, value]) => value === n);
  return entry ? entry[0] : null;
}

interface PodState {
  started: boolean;
  ready: boolean;
  terminating: boolean;
  exited: boolean;
}

/**
 * Turns the successive states of Pod objects, as a watch delivers them, into lifecycle events: each transition is
 * reported once, whatever the number of watch events (or relists) that repeat it. The kubelet's own steps
 * (preStop, SIGTERM, SIGKILL) are not visible in the Pod object; the exit code says how the container ended.
 */
export class PodEventMapper {
  private readonly pods = new Map<string, PodState>();

  constructor(private readonly emit: MappedEventSink) {}

  /** Feeds one watch event. */
  observe(type: WatchEventType, pod: V1Pod): void {
    const name = pod.metadata?.name;
    if (!name) return;
    let state = this.pods.get(name);
    if (!state) {
      if (type === 'DELETED') return;
      state = { started: false, ready: false, terminating: false, exited: false };
      this.pods.set(name, state);
      this.emit({ kind: 'pod-created', pod: name, revision: pod.metadata?.labels?.['pod-template-hash'] ?? '' }, 'api');
    }
    const statuses = pod.status?.containerStatuses ?? [];
    if (!state.started && statuses.some((s) => s.state?.running || s.state?.terminated)) {
      state.started = true;
      this.emit({ kind: 'pod-started', pod: name }, 'kubelet');
    }
    const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    if (ready !== state.ready && type !== 'DELETED') {
      state.ready = ready;
      this.emit({ kind: ready ? 'pod-ready' : 'pod-not-ready', pod: name }, 'kubelet');
    }
    if (!state.terminating && pod.metadata?.deletionTimestamp) {
      state.terminating = true;
      const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
      this.emit({ kind: 'pod-terminating', pod: name, gracePeriodSeconds: grace }, 'api');
    }
    const terminated = statuses.find((s) => s.state?.terminated)?.state?.terminated;
    if (!state.exited && terminated) {
      state.exited = true;
      const { exitCode } = terminated;
      const signal = exitCode > 128 ? signalName(exitCode - 128) : null;
      this.emit({ kind: 'pod-exited', pod: name, exitCode, signal }, 'kubelet');
    }
    if (type === 'DELETED') {
      this.pods.delete(name);
      this.emit({ kind: 'pod-deleted', pod: name }, 'api');
    }
  }
}
