import type { V1Deployment, V1EndpointSlice, V1Pod } from '@kubernetes/client-node';

/**
 * What keeps a Deployment's rollout from being complete, the way `kubectl rollout status` reads its status; empty
 * when it is complete (observed, every replica updated and available, no old replica left).
 */
export function rolloutMissing(deployment: V1Deployment): string[] {
  const want = deployment.spec?.replicas ?? 1;
  const status = deployment.status ?? {};
  const missing: string[] = [];
  const generation = deployment.metadata?.generation ?? 0;
  if ((status.observedGeneration ?? 0) < generation) {
    missing.push(
      `the controller has not observed generation ${generation} yet (observed ${status.observedGeneration ?? 0})`,
    );
  }
  const updated = status.updatedReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const total = status.replicas ?? 0;
  if (updated < want) missing.push(`${updated} of ${want} replicas updated`);
  if (total > updated) missing.push(`${total - updated} old replicas pending termination`);
  if (available < want) missing.push(`${available} of ${want} replicas available`);
  return missing;
}

/** What keeps the Service's EndpointSlices from listing `replicas` ready endpoints; empty when they do. */
export function endpointsMissing(slices: V1EndpointSlice[], replicas: number, service = 'web'): string[] {
  const ready = new Set<string>();
  for (const slice of slices) {
    for (const endpoint of slice.endpoints ?? []) {
      if ((endpoint.conditions?.ready ?? true) && endpoint.targetRef?.name) ready.add(endpoint.targetRef.name);
    }
  }
  return ready.size === replicas
    ? []
    : [`${ready.size} of ${replicas} ready endpoints in the EndpointSlices of Service ${service}`];
}

/** What keeps the cell from being settled beyond the rollout: pods terminating, or more pods than replicas. */
export function podsMissing(pods: V1Pod[], replicas: number): string[] {
  const terminating = pods.filter((p) => p.metadata?.deletionTimestamp).map((p) => p.metadata?.name ?? '?');
  const missing: string[] = [];
  if (terminating.length > 0) missing.push(`pods still terminating: ${terminating.join(', ')}`);
  if (pods.length > replicas) missing.push(`${pods.length} pods exist, ${replicas} wanted`);
  return missing;
}
