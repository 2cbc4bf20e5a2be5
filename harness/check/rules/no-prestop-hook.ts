import { containerPath, FIX_PRESTOP_SECONDS, graceFor, podPatch, type Rule, type RuleHit } from '../rule.ts';

/**
 * A container that a Service sends traffic to, without a preStop hook.
 *
 * Sources: Kubernetes docs, "Pod Lifecycle" → "Termination of Pods"
 * (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination): when a pod is deleted the
 * kubelet starts the shutdown (preStop, then SIGTERM) while, at the same time, the control plane removes the pod from
 * the EndpointSlices; "EndpointSlices" → "Conditions"
 * (https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/#conditions): a terminating endpoint is
 * `ready: false`, and kube-proxy on each node applies that later; "Container Lifecycle Hooks"
 * (https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/): PreStop runs before the TERM signal.
 * So without a hook (or an app that keeps accepting after SIGTERM), SIGTERM arrives while new connections still do.
 */
export const noPreStopHook: Rule = {
  id: 'no-prestop-hook',
  severity: 'error',
  title: 'A Service-backed container has no preStop hook',
  help:
    'Fires for a container that a Service in the input sends traffic to (or, with no Service in the input, a ' +
    'container that declares a port: warning) and has no lifecycle.preStop. Deleting a pod sends SIGTERM and removes ' +
    'its endpoint at the same time; kube-proxy applies the removal later, so new connections keep arriving after ' +
    'SIGTERM and an app that closes its listener refuses them. Fix: a preStop hook that sleeps a few seconds (native ' +
    '`sleep` action, Kubernetes 1.30+), so the endpoint removal propagates before SIGTERM.',
  course: 'parallelNotification',
  kinds: ['Deployment', 'StatefulSet', 'DaemonSet'],
  check(workload, { serving, shutdownSeconds }) {
    if (serving.kind === 'no') return [];
    const hits: RuleHit[] = [];
    for (const c of serving.containers) {
      if (c.preStop !== undefined) continue;
      const needed = graceFor(FIX_PRESTOP_SECONDS, shutdownSeconds?.seconds ?? 0);
      const raise = needed > workload.graceSeconds;
      const container = { name: c.name, lifecycle: { preStop: { sleep: { seconds: FIX_PRESTOP_SECONDS } } } };
      const patch = podPatch({ ...(raise ? { terminationGracePeriodSeconds: needed } : {}), containers: [container] });
      hits.push({
        severity: serving.kind === 'service' ? 'error' : 'warning',
        container: c,
        path: containerPath(c),
        message:
          serving.kind === 'service'
            ? `container ${c.name} has no preStop hook, and Service ${serving.services.join(', ')} sends traffic to ` +
              'it: SIGTERM arrives while new connections are still routed here'
            : `container ${c.name} declares a port but has no preStop hook; no Service in the input selects it, so ` +
              'this assumes one does (check the Service together with the workload to be sure)',
        why:
          'Deleting a pod sends SIGTERM and removes its endpoint at the same time; until kube-proxy on every node ' +
          'has applied the removal, new connections still arrive, and an app that closes its listener on SIGTERM ' +
          'refuses them. (An app that keeps accepting for a few seconds after SIGTERM avoids this in code; check ' +
          'cannot see that.)',
        fix: {
          description:
            `add a preStop hook that sleeps ${FIX_PRESTOP_SECONDS} s (native sleep action, Kubernetes 1.30+; on ` +
            'older clusters exec: [sleep, "5"] if the image has sleep)' +
            (raise
              ? `, and raise terminationGracePeriodSeconds to ${needed} s so the app still has time after it`
              : ''),
          patch,
        },
      });
    }
    return hits;
  },
};
