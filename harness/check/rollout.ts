import { resolveFenceposts, scaledValue } from '../platform/local/rollout-math.ts';
import { isRecord } from './parse-manifests.ts';

/** RollingUpdate's maxSurge and maxUnavailable when left out (apps/v1 defaulting). */
export const ROLLING_DEFAULT = '25%';

/** How a Deployment replaces its pods, resolved against its replica count. */
export type Rollout =
  | { type: 'Recreate' }
  | {
      type: 'RollingUpdate';
      /** Pods above replicas at most. */
      surge: number;
      /** Pods below replicas at most. */
      unavailable: number;
      /** maxUnavailable as written (or the default). */
      maxUnavailable: string | number;
      /** maxSurge as written (or the default). */
      maxSurge: string | number;
      /** Both resolved to 0, so the controller took 1 for maxUnavailable. */
      fencepost: boolean;
    };

/**
 * The Deployment controller's numbers for a strategy (Deployment docs, "Max Unavailable" and "Max Surge": a
 * percentage of replicas, maxSurge rounded up, maxUnavailable rounded down). When both come out 0 the controller uses
 * 1 for maxUnavailable (kubernetes/kubernetes pkg/controller/deployment/util/deployment_util.go, ResolveFenceposts:
 * "If both fenceposts resolve to zero, then we should set maxUnavailable to 1"); the API rejects 0 and 0 written out,
 * but percentages that round to 0 pass. The arithmetic is the emulator's own (platform/local/rollout-math.ts). Returns
 * a problem for a value that is neither a whole number nor `N%`.
 */
export function resolveRollout(
  strategy: Record<string, unknown> | undefined,
  replicas: number,
): { rollout?: Rollout; problem?: string } {
  if (strategy?.type === 'Recreate') return { rollout: { type: 'Recreate' } };
  if (strategy?.type !== undefined && strategy.type !== 'RollingUpdate') {
    return { problem: `strategy.type must be RollingUpdate or Recreate, got ${JSON.stringify(strategy.type)}` };
  }
  const rolling = isRecord(strategy?.rollingUpdate) ? strategy.rollingUpdate : {};
  const maxSurge = rolling.maxSurge ?? ROLLING_DEFAULT;
  const maxUnavailable = rolling.maxUnavailable ?? ROLLING_DEFAULT;
  for (const [name, value] of [
    ['maxSurge', maxSurge],
    ['maxUnavailable', maxUnavailable],
  ] as const) {
    const ok =
      (typeof value === 'number' && Number.isInteger(value) && value >= 0) ||
      (typeof value === 'string' && /^\d+%$/.test(value));
    if (!ok) {
      return {
        problem: `strategy.rollingUpdate.${name} must be a whole number or a percentage such as "25%", got ${JSON.stringify(value)}`,
      };
    }
  }
  const surgeValue = maxSurge as string | number;
  const unavailableValue = maxUnavailable as string | number;
  const { surge, unavailable } = resolveFenceposts(surgeValue, unavailableValue, replicas);
  return {
    rollout: {
      type: 'RollingUpdate',
      surge,
      unavailable,
      maxSurge: surgeValue,
      maxUnavailable: unavailableValue,
      fencepost: surge === 0 && scaledValue(unavailableValue, ROLLING_DEFAULT, replicas, false) === 0,
    },
  };
}
