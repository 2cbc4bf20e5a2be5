import type { Scenario } from './scenario.ts';

/** Replicas left after the scale-down. */
const TARGET_REPLICAS = 1;

/** Scales the Deployment from 3 replicas to 1, so two pods terminate at once with no replacement. */
export const scaleDown: Scenario = {
  name: 'scale-down',
  summary: {
    en: 'Scale the Deployment from 3 replicas to 1: two pods terminate at the same time and are not replaced.',
    ja: 'Deployment を 3 レプリカから 1 レプリカにスケールダウンします。2 つの Pod が同時に終了し、代わりは作られません。',
  },
  initialReplicas: 3,
  async trigger(ctx) {
    ctx.signal.throwIfAborted();
    ctx.action(`scale to ${TARGET_REPLICAS}`, ctx.client.deploymentName);
    await ctx.client.scale(TARGET_REPLICAS);
  },
};
