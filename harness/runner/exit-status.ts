import { summarizeVerdicts, type VerdictRow } from '../analysis/verdicts.ts';
import { EXIT } from '../core/errors.ts';
import type { ResultsFile } from '../model/results.ts';

/** How a finished experiment ends: its exit code and, for the messages, the rows that decided it. */
export interface ExperimentExit {
  /** One of EXIT. */
  code: number;
  /** Recommended (expected-safe) rows that lost requests; listed whenever --fail-on-loss is on. */
  losses: VerdictRow[];
  /** Rows without a verdict (a repetition failed, is missing or measured nothing). */
  incomplete: VerdictRow[];
}

/**
 * Maps a run's results to the exit code a CI gate reads. Interrupted beats failed beats lost: a loss is only a
 * finding (exit 3) when every cell completed, since an incomplete matrix (exit 1) may hide the cells that decide it.
 */
export function experimentExit(results: ResultsFile, failOnLoss: boolean): ExperimentExit {
  const rows = summarizeVerdicts(results);
  const losses = failOnLoss ? rows.filter((row) => row.expectedSafe && row.failed > 0) : [];
  const incomplete = rows.filter((row) => row.verdict === 'incomplete');
  let code: number = EXIT.ok;
  if (results.status === 'interrupted') code = EXIT.interrupted;
  else if (results.status !== 'complete' || incomplete.length > 0) code = EXIT.failure;
  else if (losses.length > 0) code = EXIT.lostRequests;
  return { code, losses, incomplete };
}
