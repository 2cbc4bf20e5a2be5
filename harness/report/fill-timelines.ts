import { resolve, sep } from 'node:path';
import { buildRequestTimeline } from '../analysis/request-timeline.ts';
import type { CellResult, ResultsFile } from '../model/results.ts';
import { readSamplesFile } from './samples-codec.ts';

async function timelineFromSamples(runDir: string, cell: CellResult): Promise<CellResult> {
  const root = resolve(runDir);
  const path = resolve(root, String(cell.samplesFile));
  // The path comes from the results file: never read outside the run folder.
  if (!path.startsWith(root + sep)) return cell;
  try {
    const samples = await readSamplesFile(path, Array.isArray(cell.samplePods) ? cell.samplePods : []);
    return { ...cell, timeline: buildRequestTimeline(samples, cell.disruptionMs ?? 0, cell.pods ?? []) };
  } catch {
    return cell; // no samples file: the report says "no timeline" for this cell
  }
}

/**
 * A copy of `results` in which every cell without a stored timeline (results written before timelines existed) gets
 * one rebuilt from its samples file in `runDir`, when that file is there. The input is not changed.
 */
export async function fillMissingTimelines(runDir: string, results: ResultsFile): Promise<ResultsFile> {
  if (results.cells.every((c) => c.timeline !== undefined)) return results;
  const cells = await Promise.all(
    results.cells.map((cell) => (cell.timeline === undefined ? timelineFromSamples(runDir, cell) : cell)),
  );
  return { ...results, cells };
}
