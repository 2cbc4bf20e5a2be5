import type { ResultsFile } from '../model/results.ts';
import { cellId } from './cell-plan.ts';

/**
 * What a run folder lacks, one line per incomplete cell (failed, interrupted, or never started), so that
 * `npm run report` of an interrupted or crashed run says what its numbers do not cover. Empty for a complete run.
 */
export function describeIncomplete(results: ResultsFile): string[] {
  const lines: string[] = [];
  const present = new Map(results.cells.map((c) => [c.id, c]));
  for (const cell of results.cells) {
    if (cell.status !== 'complete') {
      lines.push(
        `${cell.id}: ${cell.status}${cell.error ? ` (${cell.error})` : ''}; ${cell.requests.total} requests measured`,
      );
    }
  }
  const expected: string[] = [];
  for (let r = 1; r <= results.repetitions; r++) {
    for (const scenario of results.scenarios)
      for (const variant of results.variants) expected.push(cellId(variant, scenario, r));
  }
  const missing = expected.filter((id) => !present.has(id));
  for (const id of missing) lines.push(`${id}: not run (no result recorded)`);
  if (lines.length > 0 && results.finishedAt === null) {
    lines.unshift(
      `run ${results.runId} did not finish (status ${results.status}, no finish time): the harness was stopped or crashed`,
    );
  }
  return lines;
}
