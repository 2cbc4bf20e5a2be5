import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResultsFile } from '../../model/results.ts';
import { writeFileAtomic } from '../atomic-write.ts';
import { FIGURE_FILE, MANIFEST, renderFigureSet } from './figure-set.ts';

/** The folder of a run that holds its figures. */
export const FIGURES_DIR = 'figures';

/** The file names the manifest of an earlier render lists; none when there is no readable manifest. */
async function listedFiles(dir: string): Promise<string[]> {
  try {
    const manifest = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as { files?: unknown };
    return Array.isArray(manifest.files) ? manifest.files.filter((f): f is string => typeof f === 'string') : [];
  } catch {
    return [];
  }
}

/** Writes `content` atomically unless the file already holds exactly it (figures are rewritten after every cell). */
async function writeIfChanged(path: string, content: string): Promise<void> {
  const current = await readFile(path, 'utf8').catch(() => null);
  if (current !== content) await writeFileAtomic(path, content);
}

/**
 * Writes `<runDir>/figures/` (see figure-set.ts) and returns the names of the files it now holds from this render,
 * manifest last. Every file is written atomically. Files an earlier render of the same folder wrote and this one does
 * not (a cell gone from results.json) are removed — only names the earlier manifest lists and that have a figure's
 * shape, so nothing else in the folder is ever touched. Before a new file is written the manifest already names it,
 * so a crash part-way leaves nothing a later render would not know to remove.
 */
export async function writeFigures(runDir: string, results: ResultsFile): Promise<string[]> {
  const dir = join(runDir, FIGURES_DIR);
  await mkdir(dir, { recursive: true });
  const set = renderFigureSet(results);
  const names = set.files.map((f) => f.file);
  const previous = await listedFiles(dir);
  const stale = previous.filter((f) => !names.includes(f) && FIGURE_FILE.test(f));
  if (names.some((f) => !previous.includes(f))) {
    const union = { note: 'render in progress', files: [...new Set([...previous, ...names])] };
    await writeFileAtomic(join(dir, MANIFEST), `${JSON.stringify(union, null, 2)}\n`);
  }
  for (const file of set.files) await writeIfChanged(join(dir, file.file), file.content);
  for (const file of stale) await rm(join(dir, file), { force: true });
  await writeIfChanged(join(dir, MANIFEST), set.manifest);
  return [...names, MANIFEST];
}
