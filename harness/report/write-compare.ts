import { join } from 'node:path';
import { compareRuns, type CompareRow } from '../analysis/compare-runs.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { renderCompareHtml } from './compare-html.ts';
import { readResultsFile } from './rebuild-report.ts';

/** Compares the run in `runDir` (now) with the one in `otherDir` (then), writes `runDir`/compare.html, returns rows. */
export async function writeCompare(runDir: string, otherDir: string): Promise<CompareRow[]> {
  const [now, then] = await Promise.all([readResultsFile(runDir), readResultsFile(otherDir)]);
  const rows = compareRuns(then, now);
  await writeFileAtomic(join(runDir, 'compare.html'), renderCompareHtml(then, now, rows));
  return rows;
}
