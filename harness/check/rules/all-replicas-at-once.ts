import type { Severity } from '../finding.ts';
import { type Rule } from '../rule.ts';

/** The strategy a fix proposes: one pod more during the rollout, never one ready pod less (the variants' own). */
const SAFE_STRATEGY = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };

/**
 * A Deployment whose rollout may take every replica out of service at once.
 *
 * Sources: Kubernetes docs, "Deployments" → "Strategy" (https://kubernetes.io/docs/concepts/workloads/controllers/
 * deployment/#strategy): "Recreate: All existing Pods are killed before new ones are created"; "Max Unavailable": an
 * absolute number or a percentage of desired pods, "calculated from percentage by rounding down"; "Max Surge":
 * "calculated from the percentage by rounding up"; both default to 25 %. kubernetes/kubernetes
 * pkg/controller/deployment/util/deployment_util.go (ResolveFenceposts): when both resolve to 0, maxUnavailable
 * becomes 1, so `replicas: 1, maxSurge: 0` takes the only pod down. Deployments whose pods no Service selects are
 * left alone: taking them all down loses no request.
 */
export const allReplicasAtOnce: Rule = {
  id: 'all-replicas-at-once',
  severity: 'error',
  title: 'The rollout strategy lets every replica go at once',
  help:
    'Fires for a Service-backed Deployment whose RollingUpdate maxUnavailable, as the controller resolves it ' +
    '(a percentage of replicas rounded down; 1 when maxSurge and maxUnavailable both come out 0), is at least ' +
    'replicas (replicas 1 when left out), and (warning) for strategy Recreate, which stops every old pod before ' +
    'starting new ones (sometimes needed, e.g. for a ReadWriteOnce volume). Fix: RollingUpdate with maxSurge 1 and ' +
    'maxUnavailable 0.',
  course: 'rollingUpdate',
  kinds: ['Deployment'],
  check(workload, { serving }) {
    const rollout = workload.rollout;
    if (serving.kind === 'no' || rollout === undefined) return [];
    const lower = (s: Severity): Severity => (serving.kind === 'service' ? s : s === 'error' ? 'warning' : 'info');
    const replicas = workload.replicas ?? 1;
    if (replicas === 0) return []; // scaled to zero: nothing is served to lose
    const unset = workload.replicas === undefined ? ' (replicas is not set: 1, unless an autoscaler sets more)' : '';
    const fix = {
      description: 'use RollingUpdate with maxSurge 1 and maxUnavailable 0: a new pod is ready before an old one goes',
      patch: { spec: { strategy: SAFE_STRATEGY } },
    };
    const why =
      'maxUnavailable bounds how far serving capacity drops in a rollout; when it covers every replica, or with ' +
      'Recreate, there are moments with no ready pod, and every connection in them is refused.';
    if (rollout.type === 'Recreate') {
      return [
        {
          severity: lower('warning'),
          path: ['spec', 'strategy'],
          message:
            'strategy Recreate stops every old pod before the new ones start: each rollout is an outage' +
            ' (keep it only if the pods cannot run side by side, e.g. a ReadWriteOnce volume)',
          why,
          fix,
        },
      ];
    }
    if (rollout.unavailable < replicas) return [];
    return [
      {
        severity: lower('error'),
        path: ['spec', 'strategy'],
        message:
          `maxUnavailable ${rollout.maxUnavailable} of ${replicas} replica(s) resolves to ${rollout.unavailable}` +
          (rollout.fencepost ? ' (maxSurge and maxUnavailable both round to 0, so the controller takes 1)' : '') +
          `${unset}: a rollout may take every ready pod out of service at once`,
        why,
        fix,
      },
    ];
  },
};
