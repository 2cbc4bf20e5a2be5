import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCell } from '../harness/analysis/analyze-cell.ts';
import { fillMissingTimelines } from '../harness/report/fill-timelines.ts';
import { rebuildReport } from '../harness/report/rebuild-report.ts';
import { encodeSamples } from '../harness/report/samples-codec.ts';
import { makeCellInput, makeResultsFixture } from '../harness/report/test-fixtures.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A run folder as an older harness wrote it: no timeline in results.json; samples.bin for some cells only. */
function oldRunFolder(withSamples: (index: number) => boolean): {
  dir: string;
  expected: ReturnType<typeof analyzeCell>[];
} {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'drainlab-rebuild-'));
  dirs.push(dir);
  const results = makeResultsFixture();
  const expected = results.cells.map((cell) =>
    analyzeCell(makeCellInput({ variant: cell.variant, repetition: cell.repetition })),
  );
  results.cells.forEach((cell, i) => {
    delete cell.timeline;
    if (!withSamples(i)) return;
    const input = makeCellInput({ variant: cell.variant, repetition: cell.repetition });
    mkdirSync(path.join(dir, path.dirname(cell.samplesFile)), { recursive: true });
    writeFileSync(path.join(dir, cell.samplesFile), encodeSamples(input.samples).data);
  });
  writeFileSync(path.join(dir, 'results.json'), JSON.stringify(results));
  return { dir, expected };
}

describe('rebuilding the report of results without timelines', () => {
  it('rebuilds each timeline from samples.bin, with the same totals, and leaves results.json alone', async () => {
    const { dir, expected } = oldRunFolder(() => true);
    const before = readFileSync(path.join(dir, 'results.json'), 'utf8');
    const results = await rebuildReport(dir);
    results.cells.forEach((cell, i) => {
      const t = cell.timeline!;
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      expect(sum(t.ok)).toBe(cell.requests.succeeded);
      expect(sum(t.failed.refused ?? [])).toBe(cell.failuresByCause.refused);
      // µs rounding in the samples file may move a request across a bucket edge, never change a total.
      expect(t.bucketMs).toBe(expected[i]!.timeline!.bucketMs);
      expect(t.mechanisms).toEqual(expected[i]!.timeline!.mechanisms);
    });
    expect(readFileSync(path.join(dir, 'results.json'), 'utf8')).toBe(before);
    const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
    expect(html.match(/class="bars"/g)).toHaveLength(4);
    expect(html).not.toContain('No timeline');
  });

  it('says "no timeline" for a cell whose samples file is missing, and still draws its pod lanes', async () => {
    const { dir } = oldRunFolder((i) => i !== 0);
    await rebuildReport(dir);
    const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
    expect(html.match(/class="bars"/g)).toHaveLength(3);
    expect(html.match(/No timeline: results.json has none for this cell/g)).toHaveLength(1);
    const first = html.slice(html.indexOf('id="cell-1"'), html.indexOf('id="cell-2"'));
    expect(first).toContain('class="pod"');
    expect(readFileSync(path.join(dir, 'summary.md'), 'utf8')).toContain('**What this means:** The recommended');
  });

  it('never reads a samples file outside the run folder', async () => {
    const results = makeResultsFixture();
    for (const cell of results.cells) {
      delete cell.timeline;
      cell.samplesFile = '../../../../etc/hostname';
    }
    const filled = await fillMissingTimelines(os.tmpdir(), results);
    expect(filled.cells.every((c) => c.timeline === undefined)).toBe(true);
  });
});
