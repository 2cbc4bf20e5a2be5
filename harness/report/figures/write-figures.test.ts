import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rebuildReport } from '../rebuild-report.ts';
import { makeResultsFixture } from '../test-fixtures.ts';
import { writeRunOutputs } from '../write-run.ts';
import { escapeMarkdownText, safeStem } from './figure-set.ts';
import { standaloneProblems, xmlProblems } from './svg-check.ts';
import { writeFigures } from './write-figures.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drainlab-figures-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The image paths of a Markdown snippet. */
function imagePaths(markdown: string): string[] {
  return [...markdown.matchAll(/!\[(?:\\.|[^\]\\])*\]\(([^)]*)\)/g)].map((m) => m[1]!);
}

describe('writeFigures', () => {
  it('writes a sequence per variant and a timeline per cell, each in both languages with a snippet beside it', async () => {
    const results = makeResultsFixture();
    const names = await writeFigures(dir, results);
    const figures = join(dir, 'figures');
    expect((await readdir(figures)).sort()).toEqual([...names].sort());
    const stems = [...results.variants.map((v) => `sequence-${v}`), ...results.cells.map((c) => `timeline-${c.id}`)];
    for (const stem of stems) {
      for (const lang of ['en', 'ja']) {
        const svg = await readFile(join(figures, `${stem}.${lang}.svg`), 'utf8');
        expect(xmlProblems(svg), stem).toEqual([]);
        expect(standaloneProblems(svg), stem).toEqual([]);
        const snippet = await readFile(join(figures, `${stem}.${lang}.md`), 'utf8');
        // The image by a relative path to a file that exists, with alt text, then a caption of one to three lines.
        expect(imagePaths(snippet)).toEqual([`./${stem}.${lang}.svg`]);
        for (const path of imagePaths(snippet)) expect(existsSync(resolve(figures, path)), path).toBe(true);
        expect(snippet).toMatch(/^!\[[^\]]{20,}\]/);
        const caption = snippet.split('\n\n')[1]!.trim().split('\n');
        expect(caption.length).toBeGreaterThanOrEqual(1);
        expect(caption.length).toBeLessThanOrEqual(3);
        expect(snippet).toContain(results.runId);
        expect(snippet).toContain(lang === 'en' ? 'emulated cluster' : 'エミュレーション');
      }
    }
    expect(names.filter((n) => n.endsWith('.svg'))).toHaveLength(stems.length * 2);
    const readme = await readFile(join(figures, 'README.md'), 'utf8');
    for (const stem of stems) {
      expect(readme).toContain(`(./${stem}.en.svg)`);
      expect(readme).toContain(`(./${stem}.ja.md)`);
    }
    const manifest = JSON.parse(await readFile(join(figures, 'index.json'), 'utf8')) as { files: string[] };
    expect([...manifest.files, 'index.json'].sort()).toEqual([...names].sort());
  });

  it('the sequence snippet says which scenario and how many pods and cells', async () => {
    const results = makeResultsFixture();
    await writeFigures(dir, results);
    const en = await readFile(join(dir, 'figures', 'sequence-baseline.en.md'), 'utf8');
    expect(en).toMatch(/baseline under rolling-update/);
    expect(en).toMatch(/3 terminated pod\(s\) in 2 cell\(s\)|\d+ terminated pod\(s\) in 2 cell\(s\)/);
    const ja = await readFile(join(dir, 'figures', 'sequence-baseline.ja.md'), 'utf8');
    expect(ja).toMatch(/2 セルで終了した Pod \d+ 個/);
  });

  it('removes only stale files its own manifest lists, and leaves unchanged files alone', async () => {
    const results = makeResultsFixture();
    await writeFigures(dir, results);
    const figures = join(dir, 'figures');
    // A figure the second render draws the same: not rewritten.
    const kept = join(figures, `timeline-${results.cells[0]!.id}.en.svg`);
    const before = (await stat(kept)).mtimeMs;
    await writeFile(join(figures, 'my-notes.en.md'), 'mine');
    await writeFile(join(dir, 'keep.txt'), 'outside');

    // The same run re-rendered without its second repetition; a hand-edited manifest also names files not ours.
    const manifestPath = join(figures, 'index.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { files: string[] };
    manifest.files.push('../keep.txt', 'my-notes.en.md/../../keep.txt');
    await writeFile(manifestPath, JSON.stringify(manifest));
    const fewer = { ...results, cells: results.cells.filter((c) => c.repetition === 1) };
    await new Promise((r) => setTimeout(r, 20));
    const names = await writeFigures(dir, fewer);

    const left = await readdir(figures);
    for (const cell of results.cells) {
      const present = left.includes(`timeline-${cell.id}.en.svg`);
      expect(present, cell.id).toBe(cell.repetition === 1);
      expect(left.includes(`timeline-${cell.id}.ja.md`), cell.id).toBe(cell.repetition === 1);
    }
    expect(left).toContain('my-notes.en.md');
    expect(existsSync(join(dir, 'keep.txt'))).toBe(true);
    expect(left.sort()).toEqual([...names, 'my-notes.en.md'].sort());
    expect((await stat(kept)).mtimeMs).toBe(before);
  });

  it('keeps hostile cell ids and variant names inside the figures folder', async () => {
    const results = makeResultsFixture();
    results.cells[0]!.id = '../../escape';
    results.cells[1]!.id = '../../escape';
    for (const cell of results.cells) if (cell.variant === 'baseline') cell.variant = '../[x](http://e)';
    results.variants = results.cells.map((c) => c.variant).filter((v, i, all) => all.indexOf(v) === i);
    const names = await writeFigures(dir, results);
    expect((await readdir(dir)).sort()).toEqual(['figures']);
    expect(names).toContain('timeline-escape.en.svg');
    expect(names).toContain('timeline-escape-2.en.svg');
    const snippet = await readFile(join(dir, 'figures', `sequence-${safeStem('../[x](http://e)')}.en.md`), 'utf8');
    expect(imagePaths(snippet)).toEqual([`./sequence-${safeStem('../[x](http://e)')}.en.svg`]);
    expect(snippet).toContain(escapeMarkdownText('../[x](http://e)'));
  });

  it('is part of every run folder render, so npm run report rebuilds the figures from results.json', async () => {
    const results = makeResultsFixture();
    await writeRunOutputs(dir, results);
    expect(await readdir(join(dir, 'figures'))).toContain('README.md');
    await rm(join(dir, 'figures'), { recursive: true });
    await mkdir(join(dir, 'cells'));
    await rebuildReport(dir);
    expect(await readdir(join(dir, 'figures'))).toContain(`timeline-${results.cells[0]!.id}.ja.svg`);
  });
});
