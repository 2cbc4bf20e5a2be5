import type { RollingUpdateFields } from '../platform/cluster-client.ts';
import type { Bilingual } from '../variants/variant.ts';
import type { Scenario } from './scenario.ts';

/** Pod-template annotation changed to start a rollout, the same one-field change `kubectl rollout restart` makes. */
export const RESTARTED_AT_ANNOTATION = 'drainlab/restarted-at';

/** What a rolling-update scenario is made of (an experiment file's `kind: rolling-update`). */
export interface RollingUpdateParams {
  name: string;
  /** Replicas the Deployment starts with. */
  replicas: number;
  /** Strategy for this rollout; absent: the variant's own (the catalog's template has maxSurge 1, maxUnavailable 0). */
  strategy?: RollingUpdateFields;
  summary?: Bilingual;
}

const strategyText = (s: RollingUpdateFields) =>
  Object.entries(s)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

/** A rolling update of every replica, triggered like `kubectl rollout restart`, optionally with its own strategy. */
export function rollingUpdateScenario(params: RollingUpdateParams): Scenario {
  const { strategy } = params;
  const how = strategy ? strategyText(strategy) : undefined;
  return {
    name: params.name,
    summary: params.summary ?? {
      en:
        `Rolling update of ${params.replicas} replicas` +
        `${how ? ` with ${how}` : ' with the variant’s strategy'}, started by changing a pod template annotation.`,
      ja:
        `Pod テンプレートのアノテーションを変更して、${params.replicas} レプリカのローリングアップデートを行います` +
        `（${how ?? 'バリアントの strategy のまま'}）。`,
    },
    initialReplicas: params.replicas,
    async trigger(ctx) {
      ctx.signal.throwIfAborted();
      if (strategy) {
        // Set before the template changes, so the rollout that the annotation starts already uses it.
        ctx.action(`set rolling update strategy (${how})`, ctx.client.deploymentName);
        await ctx.client.setRollingUpdate(strategy);
        ctx.signal.throwIfAborted();
      }
      const at = new Date().toISOString();
      ctx.action(`rollout restart (${RESTARTED_AT_ANNOTATION}=${at})`, ctx.client.deploymentName);
      await ctx.client.patchTemplateAnnotations({ [RESTARTED_AT_ANNOTATION]: at });
    },
  };
}

/** The catalog's rolling update: 3 replicas with the variant's strategy. */
export const rollingUpdate: Scenario = rollingUpdateScenario({
  name: 'rolling-update',
  replicas: 3,
  summary: {
    en: 'Rolling update of 3 replicas (maxSurge 1, maxUnavailable 0), started by changing a pod template annotation.',
    ja:
      'Pod テンプレートのアノテーションを変更して、3 レプリカのローリングアップデートを行います' +
      '（maxSurge 1、maxUnavailable 0）。',
  },
});

/**
 * A wider rollout (course claim 8): maxSurge 0, maxUnavailable 2 of 3 replicas, so two old pods stop serving at once
 * and one ready pod carries the load at the low point. Deployment docs: maxUnavailable bounds how many pods may be
 * unavailable during the update (https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#max-unavailable).
 */
export const rollingUpdateWide: Scenario = rollingUpdateScenario({
  name: 'rolling-update-wide',
  replicas: 3,
  strategy: { maxSurge: 0, maxUnavailable: 2 },
  summary: {
    en:
      'Rolling update of 3 replicas with maxSurge 0 and maxUnavailable 2: two old pods are replaced at once, so one ' +
      'ready pod is left at the low point.',
    ja:
      '3 レプリカを maxSurge 0、maxUnavailable 2 でローリングアップデートします。古い Pod 2 つを同時に入れ替えるため、' +
      '最も少ない時点では Ready の Pod は 1 つになります。',
  },
});
