import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import type { EventSink } from '../../model/events.ts';
import type { PodObject, ReplicaSetObject } from './objects.ts';
import { isActivePod, requestPodDeletion } from './pod-api.ts';
import { ReconcileLoop } from './reconcile-loop.ts';
import type { Store } from './store.ts';

/** Label carrying the template hash, as Kubernetes names it. */
export const TEMPLATE_HASH_LABEL = 'pod-template-hash';

export interface ReplicaSetControllerOptions {
  /** The emulated API. */
  store: Store;
  /** The cell clock. */
  clock: Clock;
  /** Where lifecycle events go. */
  events: EventSink;
  /** Multiplies minReadySeconds. */
  timeScale: number;
}

/**
 * Keeps each ReplicaSet's number of active pods at spec.replicas (creating or deleting pods) and maintains its
 * status; a pod counts as available once it has been ready for minReadySeconds.
 */
export class ReplicaSetController {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly loop: ReconcileLoop;

  constructor(private readonly options: ReplicaSetControllerOptions) {
    this.loop = new ReconcileLoop(options.store, ['ReplicaSet', 'Pod'], () => this.reconcileAll());
  }

  /** Starts watching ReplicaSets and Pods. */
  start(): void {
    this.loop.start();
  }

  /** Stops watching and clears timers. */
  stop(): void {
    this.loop.stop();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private reconcileAll(): void {
    const { store } = this.options;
    const pods = store.list('Pod');
    for (const rs of store.list('ReplicaSet')) {
      this.reconcile(
        rs,
        pods.filter((p) => p.metadata.ownerName === rs.metadata.name),
      );
    }
  }

  private reconcile(rs: ReplicaSetObject, owned: PodObject[]): void {
    const { store, clock, events } = this.options;
    let active = owned.filter(isActivePod);
    const diff = active.length - rs.spec.replicas;
    if (diff < 0) {
      for (let i = 0; i < -diff; i++) this.createPod(rs);
    } else if (diff > 0) {
      const doomed = new Set(rankForDeletion(active, clock.now(), this.options.timeScale).slice(0, diff));
      for (const pod of doomed) {
        requestPodDeletion({ store, clock, events }, pod.metadata.name, 'replicaset-controller');
      }
      active = active.filter((pod) => !doomed.has(pod));
    }
    const status = this.status(rs, active);
    if (
      status.replicas !== rs.status.replicas ||
      status.readyReplicas !== rs.status.readyReplicas ||
      status.availableReplicas !== rs.status.availableReplicas
    ) {
      store.mutate('ReplicaSet', rs.metadata.name, (current) => {
        current.status = status;
      });
    }
  }

  private status(rs: ReplicaSetObject, active: PodObject[]): ReplicaSetObject['status'] {
    const now = this.options.clock.now();
    const minReadyMs = rs.spec.minReadySeconds * 1000 * this.options.timeScale;
    let ready = 0;
    let available = 0;
    for (const pod of active) {
      if (!pod.status.ready) continue;
      ready++;
      const readyFor = now - (pod.status.readySinceMs ?? now);
      if (readyFor >= minReadyMs) {
        available++;
      } else {
        // Availability changes with time alone, so look again when this pod crosses minReadySeconds.
        const timer = setTimeout(
          () => {
            this.timers.delete(timer);
            this.loop.schedule();
          },
          minReadyMs - readyFor + 1,
        );
        this.timers.add(timer);
      }
    }
    return { replicas: active.length, readyReplicas: ready, availableReplicas: available };
  }

  private createPod(rs: ReplicaSetObject): void {
    const { store, clock, events } = this.options;
    const name = `${rs.metadata.name}-${randomBytes(3).toString('hex').slice(0, 5)}`;
    const hash = rs.metadata.labels[TEMPLATE_HASH_LABEL] ?? '';
    store.create('Pod', {
      kind: 'Pod',
      metadata: {
        name,
        labels: { ...(rs.spec.template.metadata?.labels ?? {}), [TEMPLATE_HASH_LABEL]: hash },
        annotations: { ...(rs.spec.template.metadata?.annotations ?? {}) },
        ownerName: rs.metadata.name,
      },
      spec: structuredClone(rs.spec.template.spec!),
      status: { phase: 'Pending', ready: false, container: 'waiting' },
    });
    events({ kind: 'pod-created', pod: name, revision: hash, t: clock.now(), source: 'replicaset-controller' });
  }
}

/** Annotation that lets users pick scale-down victims (KEP-2255, GA 1.24); lower costs go first. */
export const DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

/**
 * Which pods a ReplicaSet removes first when scaling down, after controller_utils.go ActivePodsWithRanks.Less with
 * LogarithmicScaleDown (on by default since 1.22): Pending before Running, not ready before ready, lower
 * pod-deletion-cost first; among ready pods the more recently ready, and then the newer, where times are compared in
 * powers-of-two buckets of their age and pods in the same bucket are ordered by their (random) UID. Every pod shares
 * one node, so the "doubled up" rank never differs, and containers are never restarted.
 */
export function rankForDeletion(pods: PodObject[], now: number, timeScale = 1): PodObject[] {
  const phaseOrder = (pod: PodObject) => (pod.status.phase === 'Pending' ? 0 : 1);
  const byAge = (a: PodObject, b: PodObject, ta: number, tb: number): number => {
    const diff = logRank(now - ta, timeScale) - logRank(now - tb, timeScale);
    if (diff !== 0) return diff;
    return a.metadata.uid < b.metadata.uid ? -1 : a.metadata.uid > b.metadata.uid ? 1 : 0;
  };
  return [...pods].sort((a, b) => {
    if (phaseOrder(a) !== phaseOrder(b)) return phaseOrder(a) - phaseOrder(b);
    if (a.status.ready !== b.status.ready) return a.status.ready ? 1 : -1;
    const costA = deletionCost(a);
    const costB = deletionCost(b);
    if (costA !== costB) return costA - costB;
    if (a.status.ready && b.status.ready) {
      const readyA = a.status.readySinceMs ?? now;
      const readyB = b.status.readySinceMs ?? now;
      if (readyA !== readyB) return byAge(a, b, readyA, readyB);
    }
    if (a.metadata.creationMs !== b.metadata.creationMs)
      return byAge(a, b, a.metadata.creationMs, b.metadata.creationMs);
    return 0;
  });
}

/** floor(log2(age in ns)) of an age on the cell clock, in spec time (controller_utils.go logarithmicRankDiff). */
function logRank(ageMs: number, timeScale: number): number {
  const ageNs = (ageMs / timeScale) * 1e6;
  return ageNs > 0 ? Math.floor(Math.log2(ageNs)) : -1;
}

/** The pod's deletion cost; absent or not an int32 counts as 0, as in getDeletionCostFromPodAnnotations. */
function deletionCost(pod: PodObject): number {
  const raw = pod.metadata.annotations[DELETION_COST_ANNOTATION];
  if (raw === undefined || !/^(0|-?[1-9]\d*)$/.test(raw)) return 0; // no '+', no leading zeros
  const cost = Number(raw);
  return cost >= -(2 ** 31) && cost < 2 ** 31 ? cost : 0;
}
