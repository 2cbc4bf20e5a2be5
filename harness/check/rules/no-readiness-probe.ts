import { containerPatch, containerPath, type Rule, type RuleHit } from '../rule.ts';

/**
 * A Service-backed container without a readiness probe.
 *
 * Sources: Kubernetes docs, "Pod Lifecycle" → "Container probes"
 * (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-probes): "If a container does not
 * provide a readiness probe, the default state is Success"; "EndpointSlices" → "Conditions"
 * (https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/#conditions): `ready` and `serving` follow
 * the pod's readiness; "Configure Liveness, Readiness and Startup Probes"
 * (https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/). The
 * Deployment controller counts a ready pod as available and takes the next old pod down.
 */
export const noReadinessProbe: Rule = {
  id: 'no-readiness-probe',
  severity: 'warning',
  title: 'A Service-backed container has no readiness probe',
  help:
    'Fires for a container that a Service in the input sends traffic to (or, with no Service in the input, one ' +
    'that declares a port: info) and has no readinessProbe. Without one a pod counts as ready, gets endpoints and ' +
    'counts as available as soon as its containers run, before the app listens: during a rollout new connections ' +
    'are refused there while the old pods are already going. Fix: a readinessProbe that succeeds only when the app ' +
    'can serve (an httpGet on a health endpoint; a tcpSocket check at least).',
  course: 'readiness',
  kinds: ['Deployment', 'StatefulSet', 'DaemonSet'],
  check(_workload, { serving }) {
    if (serving.kind === 'no') return [];
    const hits: RuleHit[] = [];
    for (const c of serving.containers) {
      if (c.hasReadinessProbe) continue;
      const port = c.ports[0]?.name ?? c.ports[0]?.containerPort ?? 8080;
      hits.push({
        severity: serving.kind === 'service' ? 'warning' : 'info',
        container: c,
        path: containerPath(c),
        message:
          `container ${c.name} has no readinessProbe: its pods count as ready and get Service traffic as soon as ` +
          'they start, before the app listens' +
          (serving.kind === 'probably' ? ' (assuming a Service selects it: none in the input does)' : ''),
        why:
          'Endpoints follow the pod’s readiness, and a container without a readiness probe is ready once it runs. ' +
          'In a rollout the new pod then takes connections it refuses, and the controller takes the next old pod ' +
          'down because the new one counts as available.',
        fix: {
          description:
            `add a readinessProbe; the patch checks that port ${port} accepts connections, an httpGet on a health ` +
            'endpoint that answers only when the app can serve is better',
          patch: containerPatch(c, { readinessProbe: { tcpSocket: { port }, periodSeconds: 2, failureThreshold: 2 } }),
        },
      });
    }
    return hits;
  },
};
