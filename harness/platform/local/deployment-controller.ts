import { createHash } from 'node:crypto';
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import type { Clock } from '../../core/clock.ts';
import type { EventSink } from '../../model/events.ts';
import type { DeploymentObject, ReplicaSetObject } from './objects.ts';
import { ReconcileLoop } from './reconcile-loop.ts';
import { TEMPLATE_HASH_LABEL } from './replicaset-controller.ts';
import { resolveFenceposts } from './rollout-math.ts';
import type { Store } from './store.ts';

export interface DeploymentControllerOptions {
  /** The emulated API. */
  store: Store;
  /** The cell clock. */
  clock: Clock;
  /** Where lifecycle events go. */
  events: EventSink;
}

/** A short, stable hash of a pod template (the ReplicaSet's pod-template-hash). */
export function templateHash(template: V1PodTemplateSpec): string {
  return createHash('sha256').update(stableJson(template)).digest('hex').slice(0, 10);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The Deployment controller: owns one ReplicaSet per pod-template revision and moves replicas from old to new ones
 * with the RollingUpdate algorithm of kube-controller-manager (rolling.go: reconcileNewReplicaSet,
 * reconcileOldReplicaSets, cleanupUnhealthyReplicas, scaleDownOldReplicaSetsForRollingUpdate) or Recreate.
 */
export class DeploymentController {
  private readonly complete = new Map<string, boolean>();
  private readonly loop: ReconcileLoop;

  constructor(private readonly options: DeploymentControllerOptions) {
    this.loop = new ReconcileLoop(options.store, ['Deployment', 'ReplicaSet', 'Pod'], () => {
      for (const d of options.store.list('Deployment')) this.reconcile(d);
    });
  }

  /** Starts watching Deployments, ReplicaSets and Pods. */
  start(): void {
    this.loop.start();
  }

  /** Stops watching. */
  stop(): void {
    this.loop.stop();
  }

  private reconcile(deployment: DeploymentObject): void {
    const { store } = this.options;
    const name = deployment.metadata.name;
    const desired = deployment.spec.replicas ?? 1;
    const template = deployment.spec.template;
    const hash = templateHash(template);
    const owned = store.list('ReplicaSet').filter((rs) => rs.metadata.ownerName === name);
    let newRS = owned.find((rs) => rs.metadata.labels[TEMPLATE_HASH_LABEL] === hash);
    const oldRSs = owned.filter((rs) => rs !== newRS);
    const oldPodsAlive = store
      .list('Pod')
      .some((pod) => oldRSs.some((rs) => rs.metadata.name === pod.metadata.ownerName));

    if (!newRS) {
      const isFirst = oldRSs.every((rs) => rs.spec.replicas === 0) && !oldPodsAlive;
      newRS = store.create('ReplicaSet', {
        kind: 'ReplicaSet',
        metadata: {
          name: `${name}-${hash}`,
          labels: { ...(template.metadata?.labels ?? {}), [TEMPLATE_HASH_LABEL]: hash },
          annotations: {},
          ownerName: name,
        },
        spec: {
          replicas: isFirst && deployment.spec.strategy?.type !== 'Recreate' ? desired : 0,
          minReadySeconds: deployment.spec.minReadySeconds ?? 0,
          template: structuredClone(template),
        },
        status: { replicas: 0, readyReplicas: 0, availableReplicas: 0 },
      });
    }

    if (deployment.spec.strategy?.type === 'Recreate') {
      this.recreate(desired, newRS, oldRSs, oldPodsAlive);
    } else {
      this.rollingUpdate(deployment, desired, newRS, oldRSs);
    }
    this.updateStatus(deployment, desired, hash);
  }

  private recreate(desired: number, newRS: ReplicaSetObject, oldRSs: ReplicaSetObject[], oldPodsAlive: boolean): void {
    for (const rs of oldRSs) if (rs.spec.replicas > 0) this.scaleRS(rs, 0);
    // Recreate waits until every old pod is gone, terminating ones included.
    if (!oldPodsAlive && newRS.spec.replicas !== desired) this.scaleRS(newRS, desired);
  }

  private rollingUpdate(
    deployment: DeploymentObject,
    desired: number,
    newRS: ReplicaSetObject,
    oldRSs: ReplicaSetObject[],
  ): void {
    const rolling = deployment.spec.strategy?.rollingUpdate;
    const { surge, unavailable } = resolveFenceposts(rolling?.maxSurge, rolling?.maxUnavailable, desired);
    const activeOld = oldRSs.filter((rs) => rs.spec.replicas > 0);
    if (activeOld.length === 0) {
      // Nothing to roll: a plain scale of the current ReplicaSet.
      if (newRS.spec.replicas !== desired) this.scaleRS(newRS, desired);
      return;
    }
    const all = [...oldRSs, newRS];
    const sumSpec = (list: ReplicaSetObject[]) => list.reduce((n, rs) => n + rs.spec.replicas, 0);

    // reconcileNewReplicaSet: surge up to replicas + maxSurge pods in total.
    if (newRS.spec.replicas < desired) {
      const scaleUp = desired + surge - sumSpec(all);
      const target = Math.min(desired, newRS.spec.replicas + Math.max(0, scaleUp));
      if (target > newRS.spec.replicas) {
        this.scaleRS(newRS, target);
        return;
      }
    } else if (newRS.spec.replicas > desired) {
      this.scaleRS(newRS, desired);
      return;
    }

    // reconcileOldReplicaSets: keep at least replicas - maxUnavailable available.
    const minAvailable = desired - unavailable;
    const newUnavailable = newRS.spec.replicas - newRS.status.availableReplicas;
    let maxScaledDown = sumSpec(all) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return;
    const oldestFirst = [...activeOld].sort((a, b) => a.metadata.creationMs - b.metadata.creationMs);
    // cleanupUnhealthyReplicas: old pods that are not available go first, they serve nobody.
    for (const rs of oldestFirst) {
      if (maxScaledDown <= 0) break;
      const unhealthy = rs.spec.replicas - rs.status.availableReplicas;
      if (unhealthy <= 0) continue;
      const cut = Math.min(unhealthy, maxScaledDown);
      rs.spec.replicas -= cut;
      maxScaledDown -= cut;
      this.scaleRS(rs, rs.spec.replicas);
    }
    // scaleDownOldReplicaSetsForRollingUpdate.
    const available = all.reduce((n, rs) => n + rs.status.availableReplicas, 0);
    let toScaleDown = available - minAvailable;
    for (const rs of oldestFirst) {
      if (toScaleDown <= 0) break;
      if (rs.spec.replicas === 0) continue;
      const cut = Math.min(rs.spec.replicas, toScaleDown);
      this.scaleRS(rs, rs.spec.replicas - cut);
      toScaleDown -= cut;
    }
  }

  private scaleRS(rs: ReplicaSetObject, replicas: number): void {
    this.options.store.mutate('ReplicaSet', rs.metadata.name, (current) => {
      current.spec.replicas = replicas;
    });
  }

  private updateStatus(deployment: DeploymentObject, desired: number, hash: string): void {
    const { store, clock, events } = this.options;
    const owned = store.list('ReplicaSet').filter((rs) => rs.metadata.ownerName === deployment.metadata.name);
    const newRS = owned.find((rs) => rs.metadata.labels[TEMPLATE_HASH_LABEL] === hash);
    const status: DeploymentObject['status'] = {
      observedGeneration: deployment.generation,
      replicas: owned.reduce((n, rs) => n + rs.status.replicas, 0),
      updatedReplicas: newRS?.status.replicas ?? 0,
      readyReplicas: owned.reduce((n, rs) => n + rs.status.readyReplicas, 0),
      availableReplicas: owned.reduce((n, rs) => n + rs.status.availableReplicas, 0),
    };
    const old = deployment.status;
    if (JSON.stringify(old) !== JSON.stringify(status)) {
      store.mutate('Deployment', deployment.metadata.name, (current) => {
        current.status = status;
      });
    }
    const complete = isRolloutComplete(desired, status, owned, hash);
    const wasComplete = this.complete.get(deployment.metadata.name);
    this.complete.set(deployment.metadata.name, complete);
    if (complete && wasComplete === false) {
      events({ kind: 'rollout-complete', t: clock.now(), source: 'deployment-controller' });
    }
  }
}

/** kubectl rollout status' notion of done: every replica updated and available, no old replica left. */
export function isRolloutComplete(
  desired: number,
  status: DeploymentObject['status'],
  owned: ReplicaSetObject[],
  hash: string,
): boolean {
  const oldLeft = owned.some(
    (rs) => rs.metadata.labels[TEMPLATE_HASH_LABEL] !== hash && (rs.spec.replicas > 0 || rs.status.replicas > 0),
  );
  return (
    !oldLeft &&
    status.updatedReplicas === desired &&
    status.replicas === desired &&
    status.availableReplicas === desired
  );
}
