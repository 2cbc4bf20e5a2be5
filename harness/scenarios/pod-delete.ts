import { HarnessError } from '../core/errors.ts';
import type { Bilingual } from '../variants/variant.ts';
import type { Scenario } from './scenario.ts';

/** What a pod-delete scenario is made of (an experiment file's `kind: pod-delete`). */
export interface PodDeleteParams {
  name: string;
  /** Replicas the Deployment starts with. */
  replicas: number;
  /** Pods deleted at once, oldest ready first; at most `replicas`. */
  count: number;
  /** Overrides the pods' terminationGracePeriodSeconds, like `kubectl delete pod --grace-period`. */
  gracePeriodSeconds?: number;
  summary?: Bilingual;
}

/** Deletes `count` ready pods (the oldest) at once; the ReplicaSet creates replacements. */
export function podDeleteScenario(params: PodDeleteParams): Scenario {
  const { count, gracePeriodSeconds: grace } = params;
  const pods = count === 1 ? 'one pod' : `${count} pods`;
  return {
    name: params.name,
    summary: params.summary ?? {
      en:
        `Delete ${pods} of ${params.replicas} ready pods (the oldest) at once with ` +
        `${grace === undefined ? 'their normal grace period' : `a grace period of ${grace} s`}; ` +
        'the ReplicaSet creates replacements.',
      ja:
        `${params.replicas} つある Ready の Pod のうち古い順に ${count} つを` +
        `${grace === undefined ? '通常のグレース期間で' : `グレース期間 ${grace} 秒で`}同時に削除し、` +
        'ReplicaSet が代わりの Pod を作ります。',
    },
    initialReplicas: params.replicas,
    async trigger(ctx) {
      ctx.signal.throwIfAborted();
      const pods = await ctx.client.listPods();
      // listPods() is oldest first, so the first candidates are the oldest pods that are actually serving.
      const victims = pods.filter((p) => p.ready && !p.terminating).slice(0, count);
      if (victims.length < count) {
        const seen = pods.map(
          (p) => `${p.name}(${p.ready ? 'ready' : 'not ready'}${p.terminating ? ', terminating' : ''})`,
        );
        throw new HarnessError(
          'no-pod-to-delete',
          `${params.name} expected ${count === 1 ? 'a ready, non-terminating pod' : `${count} ready, non-terminating pods`} ` +
            `of deployment ${ctx.client.deploymentName}; found ${pods.length === 0 ? 'no pods' : seen.join(', ')}`,
          { hint: 'the scenario must start from a settled deployment; check that the pods become ready' },
        );
      }
      ctx.signal.throwIfAborted();
      const suffix = grace === undefined ? '' : ` (grace period ${grace} s)`;
      // All requested before any is awaited: "at once", as one `kubectl delete pod a b` would.
      for (const victim of victims) ctx.action(`delete pod${suffix}`, victim.name);
      await Promise.all(victims.map((victim) => ctx.client.deletePod(victim.name, grace)));
    },
  };
}

/** The catalog's pod delete: one of 3 pods, with its normal grace period. */
export const podDelete: Scenario = podDeleteScenario({
  name: 'pod-delete',
  replicas: 3,
  count: 1,
  summary: {
    en: 'Delete one of 3 ready pods (the oldest) with its normal grace period; the ReplicaSet creates a replacement.',
    ja: '3 つある Ready の Pod のうち最も古い 1 つを通常のグレース期間で削除し、ReplicaSet が代わりの Pod を作ります。',
  },
});
