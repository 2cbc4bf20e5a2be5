/**
 * Small statistics helpers for the analysis: percentiles of latency and confidence intervals of error rates.
 */

/**
 * The p-th percentile (0..100) of an ascending list, by the **nearest-rank** method: the smallest value such that
 * at least p % of the values are less than or equal to it (rank = ceil(p / 100 × n), p = 0 gives the minimum).
 * Nearest-rank always returns a value that was measured, which is what a reader expects from "p99 latency".
 * Returns null for an empty list. Throws when p is outside 0..100, because that is a programming error.
 */
export function percentile(sortedAscending: number[], p: number): number | null {
  if (!(p >= 0 && p <= 100)) {
    throw new RangeError(`percentile: expected p in 0..100, found ${p}; pass a percentage such as 50 or 99`);
  }
  const n = sortedAscending.length;
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  return sortedAscending[Math.min(rank, n) - 1] ?? null;
}

/**
 * The Wilson score interval of a binomial proportion (successes of n), 95 % for the default z = 1.96.
 * Unlike the normal approximation it stays inside [0, 1] and is meaningful for 0 of n (low = 0, high > 0), which is
 * exactly the case of a variant that lost no request: "0 of 3000" still allows a true rate of up to ~0.13 %.
 * n = 0 carries no information and gives the whole range {0, 1}.
 */
export function wilsonInterval(successes: number, n: number, z = 1.96): { low: number; high: number } {
  if (!(n > 0)) return { low: 0, high: 1 };
  const k = Math.min(Math.max(successes, 0), n);
  const p = k / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At the edges the formula gives exactly 0 / 1 in real arithmetic; pin them so rounding never leaves 1e-17.
  const low = k === 0 ? 0 : Math.max(0, centre - halfWidth);
  const high = k === n ? 1 : Math.min(1, centre + halfWidth);
  return { low, high };
}

/** The median of a list of numbers (mean of the two middle values for an even count); null when empty. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

/** The arithmetic mean; null when empty. */
export function mean(values: number[]): number | null {
  if (values.length === 0) return null;
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}
