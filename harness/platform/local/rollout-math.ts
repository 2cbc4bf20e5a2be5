import type { IntOrString } from '@kubernetes/client-node';

/**
 * Resolves an int-or-percent value against `total` the way Kubernetes does (intstr.GetScaledValueFromIntOrPercent):
 * percentages are rounded up for maxSurge and down for maxUnavailable.
 */
export function scaledValue(value: IntOrString | undefined, fallback: string, total: number, roundUp: boolean): number {
  const raw = value ?? fallback;
  if (typeof raw === 'number') return raw;
  const match = /^(\d+)%$/.exec(raw);
  if (!match) {
    const asInt = Number(raw);
    if (Number.isInteger(asInt)) return asInt;
    throw new Error(`invalid int-or-percent value ${JSON.stringify(raw)}: expected an integer or "N%"`);
  }
  const scaled = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/**
 * maxSurge and maxUnavailable as absolute numbers for `replicas` (deploymentutil.ResolveFenceposts): defaults 25 %,
 * and when both come out 0, maxUnavailable becomes 1 so a rollout can progress.
 */
export function resolveFenceposts(
  maxSurge: IntOrString | undefined,
  maxUnavailable: IntOrString | undefined,
  replicas: number,
): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge, '25%', replicas, true);
  let unavailable = scaledValue(maxUnavailable, '25%', replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}
