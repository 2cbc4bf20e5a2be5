import type { Bilingual } from '../variants/variant.ts';
import type { Scenario } from './scenario.ts';

/** What a scale scenario is made of (an experiment file's `kind: scale`). */
export interface ScaleParams {
  name: string;
  /** Replicas the Deployment starts with. */
  from: number;
  /** Replicas it is scaled to; different from `from`. */
  to: number;
  summary?: Bilingual;
}

/** Scales the Deployment from `from` to `to` replicas in one change. */
export function scaleScenario(params: ScaleParams): Scenario {
  const { from, to } = params;
  const down = to < from;
  return {
    name: params.name,
    summary: params.summary ?? {
      en: down
        ? `Scale the Deployment from ${from} replicas to ${to}: ${from - to} pod(s) terminate at the same time and are not replaced.`
        : `Scale the Deployment from ${from} replicas to ${to}: ${to - from} new pod(s) start and join the Service.`,
      ja: down
        ? `Deployment を ${from} レプリカから ${to} レプリカにスケールダウンします。${from - to} つの Pod が同時に終了し、代わりは作られません。`
        : `Deployment を ${from} レプリカから ${to} レプリカにスケールアップします。${to - from} つの新しい Pod が起動して Service に加わります。`,
    },
    initialReplicas: from,
    async trigger(ctx) {
      ctx.signal.throwIfAborted();
      ctx.action(`scale to ${to}`, ctx.client.deploymentName);
      await ctx.client.scale(to);
    },
  };
}

/** The catalog's scale-down: from 3 replicas to 1, so two pods terminate at once with no replacement. */
export const scaleDown: Scenario = scaleScenario({
  name: 'scale-down',
  from: 3,
  to: 1,
  summary: {
    en: 'Scale the Deployment from 3 replicas to 1: two pods terminate at the same time and are not replaced.',
    ja: 'Deployment を 3 レプリカから 1 レプリカにスケールダウンします。2 つの Pod が同時に終了し、代わりは作られません。',
  },
});
