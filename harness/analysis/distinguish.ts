import type { ResultsFile } from '../model/results.ts';
import { wilsonInterval } from './stats.ts';

/** Whether two variants' error rates under one scenario differ by more than the measurements' uncertainty. */
export interface Distinction {
  /** Scenario name. */
  scenario: string;
  /** First variant (in results.variants order). */
  a: string;
  /** Second variant. */
  b: string;
  /** True when the rates can be told apart with the repetitions made. */
  distinguishable: boolean;
  /** Which test decided, so each output can word it in its own language. */
  reason: DistinctionReason;
  /** Why, with the numbers. */
  note: string;
}

/**
 * - `no-data`: a variant has no complete repetition with requests.
 * - `intervals-overlap`: the 95 % intervals of the pooled error rates overlap.
 * - `repetitions-overlap`: the pooled intervals are apart, but the per-repetition rates overlap.
 * - `pooled-only`: told apart by the pooled intervals; one repetition, so run-to-run variation is unknown.
 * - `every-repetition`: told apart by the pooled intervals and in every repetition.
 */
export type DistinctionReason =
  'no-data' | 'intervals-overlap' | 'repetitions-overlap' | 'pooled-only' | 'every-repetition';

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const interval = (ci: { low: number; high: number }) => `[${pct(ci.low)}, ${pct(ci.high)}]`;

interface Pooled {
  requests: number;
  failed: number;
  rates: number[];
}

/**
 * For each scenario and each pair of variants: can their error rates be told apart? Two tests must both agree:
 * the 95 % Wilson intervals of the pooled error rates (all requests of all repetitions) do not overlap, and, with two
 * or more repetitions each, the ranges of the per-repetition rates do not overlap either — pooled requests alone would
 * hide run-to-run variation. With one repetition only the first test is possible, and the note says so.
 */
export function distinguishVariants(results: ResultsFile): Distinction[] {
  const out: Distinction[] = [];
  for (const scenario of results.scenarios) {
    const pooled = new Map<string, Pooled>();
    for (const variant of results.variants) {
      const cells = results.cells.filter(
        (c) => c.variant === variant && c.scenario === scenario && c.status === 'complete' && c.requests.total > 0,
      );
      pooled.set(variant, {
        requests: cells.reduce((s, c) => s + c.requests.total, 0),
        failed: cells.reduce((s, c) => s + c.requests.failed, 0),
        rates: cells.map((c) => c.requests.failed / c.requests.total),
      });
    }
    results.variants.forEach((a, i) => {
      for (const b of results.variants.slice(i + 1)) {
        out.push({ scenario, a, b, ...compare(a, pooled.get(a)!, b, pooled.get(b)!) });
      }
    });
  }
  return out;
}

function compare(
  a: string,
  pa: Pooled,
  b: string,
  pb: Pooled,
): { distinguishable: boolean; reason: DistinctionReason; note: string } {
  if (pa.rates.length === 0 || pb.rates.length === 0) {
    const which = [pa.rates.length === 0 ? a : '', pb.rates.length === 0 ? b : ''].filter(Boolean).join(' and ');
    return {
      distinguishable: false,
      reason: 'no-data',
      note: `no complete repetition of ${which}: nothing to compare`,
    };
  }
  const ca = wilsonInterval(pa.failed, pa.requests);
  const cb = wilsonInterval(pb.failed, pb.requests);
  const pooledApart = ca.high < cb.low || cb.high < ca.low;
  const pooledText =
    `${a} ${pct(pa.failed / pa.requests)} ${interval(ca)} vs ${b} ${pct(pb.failed / pb.requests)} ${interval(cb)} ` +
    `(95 % Wilson, ${pa.rates.length} and ${pb.rates.length} repetition(s))`;
  if (!pooledApart) {
    return {
      distinguishable: false,
      reason: 'intervals-overlap',
      note: `cannot be told apart: intervals overlap; ${pooledText}`,
    };
  }
  if (pa.rates.length < 2 || pb.rates.length < 2) {
    return {
      distinguishable: true,
      reason: 'pooled-only',
      note: `told apart by pooled requests; ${pooledText}; run-to-run variation unknown (use --repeat)`,
    };
  }
  const range = (r: number[]) => ({ low: Math.min(...r), high: Math.max(...r) });
  const ra = range(pa.rates);
  const rb = range(pb.rates);
  if (ra.high < rb.low || rb.high < ra.low) {
    return { distinguishable: true, reason: 'every-repetition', note: `told apart in every repetition; ${pooledText}` };
  }
  return {
    distinguishable: false,
    reason: 'repetitions-overlap',
    note:
      `cannot be told apart: pooled rates differ but the per-repetition rates overlap ` +
      `(${a} ${interval(ra)}, ${b} ${interval(rb)}); ${pooledText}`,
  };
}
