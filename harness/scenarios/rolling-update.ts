import type { Scenario } from './scenario.ts';

/** Pod-template annotation changed to start a rollout, the same one-field change `kubectl rollout restart` makes. */
export const RESTARTED_AT_ANNOTATION = 'drainlab/restarted-at';

/** A rolling update of every replica, triggered like `kubectl rollout restart`. */
export const rollingUpdate: Scenario = {
  name: 'rolling-update',
  summary: {
    en: 'Rolling update of 3 replicas (maxSurge 1, maxUnavailable 0), started by changing a pod template annotation.',
    ja:
      'Pod テンプレートのアノテーションを変更して、3 レプリカのローリングアップデートを行います' +
      '（maxSurge 1、maxUnavailable 0）。',
  },
  initialReplicas: 3,
  async trigger(ctx) {
    ctx.signal.throwIfAborted();
    const at = new Date().toISOString();
    ctx.action(`rollout restart (${RESTARTED_AT_ANNOTATION}=${at})`, ctx.client.deploymentName);
    await ctx.client.patchTemplateAnnotations({ [RESTARTED_AT_ANNOTATION]: at });
  },
};
