import { HarnessError } from '../core/errors.ts';
import type { Scenario } from './scenario.ts';

/** Deletes one pod (the oldest ready one) with its normal grace period; the ReplicaSet creates a replacement. */
export const podDelete: Scenario = {
  name: 'pod-delete',
  summary: {
    en: 'Delete one of 3 ready pods (the oldest) with its normal grace period; the ReplicaSet creates a replacement.',
    ja: '3 つある Ready の Pod のうち最も古い 1 つを通常のグレース期間で削除し、ReplicaSet が代わりの Pod を作ります。',
  },
  initialReplicas: 3,
  async trigger(ctx) {
    ctx.signal.throwIfAborted();
    const pods = await ctx.client.listPods();
    // listPods() is oldest first, so the first candidate is the oldest pod that is actually serving.
    const victim = pods.find((p) => p.ready && !p.terminating);
    if (!victim) {
      const seen = pods.map(
        (p) => `${p.name}(${p.ready ? 'ready' : 'not ready'}${p.terminating ? ', terminating' : ''})`,
      );
      throw new HarnessError(
        'no-pod-to-delete',
        `pod-delete expected a ready, non-terminating pod of deployment ${ctx.client.deploymentName}; ` +
          `found ${pods.length === 0 ? 'no pods' : seen.join(', ')}`,
        { hint: 'the scenario must start from a settled deployment; check that the pods become ready' },
      );
    }
    ctx.signal.throwIfAborted();
    ctx.action('delete pod', victim.name);
    await ctx.client.deletePod(victim.name);
  },
};
