import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResultsFile } from '../model/results.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { writeFigures } from './figures/write-figures.ts';
import { renderHtmlReport } from './html-report.ts';
import { renderJUnit } from './junit-xml.ts';
import { renderSummaryMarkdown } from './summary-md.ts';

/** The files derived from results.json (rebuildable from it alone). */
export async function writeDerivedOutputs(runDir: string, results: ResultsFile): Promise<void> {
  await writeFileAtomic(join(runDir, 'summary.md'), renderSummaryMarkdown(results));
  await writeFileAtomic(join(runDir, 'junit.xml'), renderJUnit(results));
  await writeFileAtomic(join(runDir, 'index.html'), renderHtmlReport(results));
  await writeFigures(runDir, results);
}

/**
 * Writes a run folder's outputs (design §6): results.json first — the source of truth, so an interruption while
 * rendering still leaves it for `npm run report` — then summary.md, junit.xml, index.html and figures/. Every file is written
 * atomically, so a partial run never leaves half a file. Samples files are written by the runner, not here.
 */
export async function writeRunOutputs(runDir: string, results: ResultsFile): Promise<void> {
  await mkdir(runDir, { recursive: true });
  await writeFileAtomic(join(runDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeDerivedOutputs(runDir, results);
}
