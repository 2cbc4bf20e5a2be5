import type { FailureCause } from '../model/sample.ts';
import type { CellResult, ResultsFile } from '../model/results.ts';
import { zeroCauses } from './analyze-cell.ts';
import { mean, median, wilsonInterval } from './stats.ts';

/**
 * - `no-loss`: every repetition completed and not one request failed.
 * - `loses-requests`: at least one request failed.
 * - `incomplete`: a repetition is missing, failed, was interrupted, or measured no request, so no claim is made.
 */
export type Verdict = 'no-loss' | 'loses-requests' | 'incomplete';

/** One variant × scenario, pooled over its repetitions. */
export interface VerdictRow {
  /** Variant name. */
  variant: string;
  /** Scenario name. */
  scenario: string;
  /** Cells (repetitions) found for this pair. */
  repetitions: number;
  /** Requests over all repetitions. */
  requests: number;
  /** Failed requests over all repetitions. */
  failed: number;
  /** Pooled error rate: failed / requests (0 when no request). */
  errorRate: number;
  /** 95 % Wilson interval of the pooled error rate. */
  errorRateCi: { low: number; high: number };
  /** Failures by cause over all repetitions; every cause present. */
  failuresByCause: Record<FailureCause, number>;
  /** Median over repetitions of each cell's p50 latency (ms), null when none measured. */
  p50Ms: number | null;
  /** Median over repetitions of each cell's p95 latency (ms), null when none measured. */
  p95Ms: number | null;
  /** Median over repetitions of each cell's p99 latency (ms), null when none measured. */
  p99Ms: number | null;
  /** Mean rollout duration over repetitions that reported one (s). */
  rolloutSeconds: number | null;
  /** Mean time to settled over repetitions that reported one (s). */
  settledSeconds: number | null;
  /** Repetitions with at least one failed request. */
  repetitionsWithFailures: number;
  /** Whether the variant is expected to lose no request (from results.variantInfo; false when unknown). */
  expectedSafe: boolean;
  /** The outcome, see Verdict. */
  verdict: Verdict;
}

function nonNull(values: (number | null)[]): number[] {
  return values.filter((v): v is number => v !== null);
}

function verdictOf(cells: CellResult[], expectedRepetitions: number, failed: number): Verdict {
  const incomplete =
    cells.length === 0 ||
    cells.length < expectedRepetitions ||
    cells.some((c) => c.status !== 'complete' || c.requests.total === 0);
  if (incomplete) return 'incomplete';
  return failed > 0 ? 'loses-requests' : 'no-loss';
}

/** The verdict of one cell on its own (one repetition), e.g. for a JUnit test case. */
export function cellVerdict(cell: CellResult): Verdict {
  return verdictOf([cell], 1, cell.requests.failed);
}

/**
 * One row per variant × scenario, in the order of results.variants then results.scenarios (pairs that only occur
 * in cells are appended). Latency is the median of the cells' percentiles — pooling raw samples would need the
 * samples files, and the median of per-repetition values is robust to one noisy repetition. Any failure in a
 * complete set of repetitions makes the verdict `loses-requests`, even when other repetitions were clean.
 */
export function summarizeVerdicts(results: ResultsFile): VerdictRow[] {
  const keys: [string, string][] = [];
  const seen = new Set<string>();
  const add = (variant: string, scenario: string) => {
    const key = JSON.stringify([variant, scenario]);
    if (seen.has(key)) return;
    seen.add(key);
    keys.push([variant, scenario]);
  };
  for (const variant of results.variants) for (const scenario of results.scenarios) add(variant, scenario);
  for (const cell of results.cells) add(cell.variant, cell.scenario);

  return keys.map(([variant, scenario]) => {
    const cells = results.cells.filter((c) => c.variant === variant && c.scenario === scenario);
    const requests = cells.reduce((sum, c) => sum + c.requests.total, 0);
    const failed = cells.reduce((sum, c) => sum + c.requests.failed, 0);
    const failuresByCause = zeroCauses();
    for (const cell of cells) {
      for (const cause of Object.keys(failuresByCause) as FailureCause[]) {
        failuresByCause[cause] += cell.failuresByCause[cause] ?? 0;
      }
    }
    return {
      variant,
      scenario,
      repetitions: cells.length,
      requests,
      failed,
      errorRate: requests === 0 ? 0 : failed / requests,
      errorRateCi: wilsonInterval(failed, requests),
      failuresByCause,
      p50Ms: median(nonNull(cells.map((c) => c.latencyMs.p50))),
      p95Ms: median(nonNull(cells.map((c) => c.latencyMs.p95))),
      p99Ms: median(nonNull(cells.map((c) => c.latencyMs.p99))),
      rolloutSeconds: mean(nonNull(cells.map((c) => c.rolloutSeconds))),
      settledSeconds: mean(nonNull(cells.map((c) => c.settledSeconds))),
      repetitionsWithFailures: cells.filter((c) => c.requests.failed > 0).length,
      expectedSafe: results.variantInfo[variant]?.expectedSafe ?? false,
      verdict: verdictOf(cells, results.repetitions, failed),
    };
  });
}
