import type { ResultsFile } from '../model/results.ts';
import { summarizeVerdicts, type Verdict } from './verdicts.ts';

/** One run's numbers for a variant × scenario. */
export interface CompareSide {
  /** Requests over all repetitions. */
  requests: number;
  /** Failed requests over all repetitions. */
  failed: number;
  /** Pooled error rate. */
  errorRate: number;
  /** 95 % Wilson interval of the error rate. */
  ci: { low: number; high: number };
  /** The verdict in that run. */
  verdict: Verdict;
}

/**
 * - `worse` / `better`: the two 95 % intervals do not overlap, so the change is beyond what chance explains.
 * - `within-intervals`: the intervals overlap; any difference may be noise.
 * - `added` / `removed`: the pair was only measured in the new / the old run.
 */
export type CompareChange = 'worse' | 'better' | 'within-intervals' | 'added' | 'removed';

/** One variant × scenario, then (the other run) and now (this run). */
export interface CompareRow {
  /** Variant name. */
  variant: string;
  /** Scenario name. */
  scenario: string;
  /** The other (earlier) run; null when it did not measure this pair. */
  then: CompareSide | null;
  /** This run; null when it did not measure this pair. */
  now: CompareSide | null;
  /** See CompareChange. */
  change: CompareChange;
}

function sides(results: ResultsFile): Map<string, { variant: string; scenario: string; side: CompareSide }> {
  return new Map(
    summarizeVerdicts(results)
      .filter((r) => r.repetitions > 0)
      .map((r) => [
        JSON.stringify([r.variant, r.scenario]),
        {
          variant: r.variant,
          scenario: r.scenario,
          side: {
            requests: r.requests,
            failed: r.failed,
            errorRate: r.errorRate,
            ci: r.errorRateCi,
            verdict: r.verdict,
          },
        },
      ]),
  );
}

/** Whether `now` differs from `then` beyond both 95 % intervals. */
export function changeBetween(then: CompareSide, now: CompareSide): CompareChange {
  if (now.ci.low > then.ci.high) return 'worse';
  if (now.ci.high < then.ci.low) return 'better';
  return 'within-intervals';
}

/** Pairs of this run (`now`) first in its order, then pairs only the other run (`then`) measured. Pure. */
export function compareRuns(then: ResultsFile, now: ResultsFile): CompareRow[] {
  const before = sides(then);
  const after = sides(now);
  const rows: CompareRow[] = [];
  for (const [key, a] of after) {
    const b = before.get(key);
    rows.push({
      variant: a.variant,
      scenario: a.scenario,
      then: b?.side ?? null,
      now: a.side,
      change: b === undefined ? 'added' : changeBetween(b.side, a.side),
    });
  }
  for (const [key, b] of before) {
    if (!after.has(key))
      rows.push({ variant: b.variant, scenario: b.scenario, then: b.side, now: null, change: 'removed' });
  }
  return rows;
}
