import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkChromium, declareChromiumRequirement } from './chromium-check.ts';
import type { ResultsFile } from '../harness/model/results.ts';
import { runCli } from './run-cli.ts';

/**
 * Opens every figure a REAL small run (baseline, prestop-drain, prestop-exceeds-grace under rolling-update) wrote (figures/*.svg) in Debian's headless Chromium at 800 px: it parses as
 * SVG, shows text (Japanese in the .ja files), keeps every word inside the figure, no two sequence labels touch, no
 * request other than the file itself, no console error. Then a stand-in course page: each snippet's image, copied with
 * its SVG into another folder, loads by its relative path. Screenshots go to /tmp/figure-shots/.
 *
 * Without Chromium the tests are skipped with a printed reason, except where CI is "true" (see report-browser.test.ts).
 */

const chromiumCheck = checkChromium();
const SHOTS = '/tmp/figure-shots';
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

declareChromiumRequirement(chromiumCheck, 'figures browser test');

let tmp = '';
let runDir = '';
let figures = '';
let results: ResultsFile;
let browser: Browser | undefined;
const contexts: BrowserContext[] = [];

/** A page that records every request, console error and page error. */
async function newPage(width: number, height: number): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const context = await browser!.newContext({ viewport: { width, height } });
  contexts.push(context);
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return { page, requests, errors };
}

/** What the test reads from an open figure, measured by the browser. */
interface Rendered {
  root: string;
  parseError: boolean;
  width: number;
  height: number;
  texts: { text: string; left: number; right: number; top: number; bottom: number; label: boolean }[];
}

/**
 * Runs in the page (as a string: this project's TypeScript has no DOM types): every <text> with its own words (not its
 * <title> tooltip) and its box on screen, and whether the document parsed as an SVG.
 */
const READ_RENDERED = `(() => {
  const root = document.documentElement;
  const texts = Array.from(document.querySelectorAll('text')).map((t) => {
    const r = t.getBoundingClientRect();
    const own = Array.from(t.childNodes).filter((n) => n.nodeName !== 'title').map((n) => n.textContent || '').join('');
    return { text: own.trim(), left: r.left, right: r.right, top: r.top, bottom: r.bottom, label: t.classList.contains('label') };
  });
  return {
    root: root.localName,
    parseError: document.getElementsByTagName('parsererror').length > 0,
    width: Number(root.getAttribute('width')),
    height: Number(root.getAttribute('height')),
    texts,
  };
})()`;

/** Runs in the page: every image with whether it loaded and its natural width. */
const READ_IMAGES = `Array.from(document.images).map((img) => ({ src: img.getAttribute('src'), ok: img.complete, w: img.naturalWidth }))`;

function readRendered(page: Page): Promise<Rendered> {
  return page.evaluate<Rendered>(READ_RENDERED);
}

describe.skipIf(!chromiumCheck.present)('the figures of a real run, in Chromium', () => {
  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'drainlab-figures-browser-'));
    mkdirSync(SHOTS, { recursive: true });
    runDir = path.join(tmp, 'run');
    // The quick pair plus the long preStop, whose moments crowd far from the rest: the hardest layout for the labels.
    const run = await runCli(
      [
        'experiment',
        '--variants',
        'baseline,prestop-drain,prestop-exceeds-grace',
        '--scenarios',
        'rolling-update',
        '--time-scale',
        '0.5',
        '--out',
        runDir,
      ],
      { timeoutMs: 110_000 },
    );
    expect(run.code, run.stderr).toBe(0);
    results = JSON.parse(readFileSync(path.join(runDir, 'results.json'), 'utf8')) as ResultsFile;
    figures = path.join(runDir, 'figures');
    browser = await chromium.launch({
      executablePath: chromiumCheck.executable,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 150_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    if (tmp !== '') rmSync(tmp, { recursive: true, force: true });
  });

  it('writes one sequence per variant and one timeline per cell, in both languages', () => {
    const svgs = readdirSync(figures).filter((f) => f.endsWith('.svg'));
    const expected = [
      ...results.variants.map((v) => `sequence-${v}`),
      ...results.cells.map((c) => `timeline-${c.id}`),
    ].flatMap((stem) => [`${stem}.en.svg`, `${stem}.ja.svg`]);
    expect(svgs.sort()).toEqual(expected.sort());
  });

  it('renders every figure at 800 px with its text inside it, from the file alone', { timeout: 120_000 }, async () => {
    const svgs = readdirSync(figures).filter((f) => f.endsWith('.svg'));
    expect(svgs.length).toBeGreaterThanOrEqual(8);
    const { page, requests, errors } = await newPage(800, 600);
    for (const file of svgs) {
      const url = pathToFileURL(path.join(figures, file)).href;
      requests.length = 0;
      await page.goto(url, { waitUntil: 'load' });
      const shown = await readRendered(page);
      expect(shown.parseError, file).toBe(false);
      expect(shown.root, file).toBe('svg');
      expect(shown.width, file).toBe(800);
      const words = shown.texts.filter((t) => t.text !== '');
      expect(words.length, file).toBeGreaterThan(10);
      // Rendered: every word has a size and lies within the figure's 800 × height box (nothing cut off).
      for (const t of words) {
        expect(t.right - t.left, `${file}: "${t.text}"`).toBeGreaterThan(0);
        expect(t.left, `${file}: "${t.text}" starts left of the figure`).toBeGreaterThanOrEqual(-0.5);
        expect(t.right, `${file}: "${t.text}" runs past the right edge`).toBeLessThanOrEqual(800.5);
        expect(t.bottom, `${file}: "${t.text}" below the figure`).toBeLessThanOrEqual(shown.height + 0.5);
      }
      const all = words.map((t) => t.text).join(' ');
      if (file.endsWith('.ja.svg')) expect(all, file).toMatch(JAPANESE);
      else expect(all, file).not.toMatch(JAPANESE);
      if (file.startsWith('sequence-')) {
        // The stacked labels, as the browser laid them out with real fonts: no two touch.
        const labels = words.filter((t) => t.label);
        expect(labels.length, file).toBeGreaterThanOrEqual(4);
        for (const a of labels) {
          for (const b of labels) {
            if (a === b) continue;
            const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
            expect(apart, `${file}: "${a.text}" overlaps "${b.text}"`).toBe(true);
          }
        }
        expect(all).toMatch(/SIGTERM/);
      }
      expect(requests, file).toEqual([url]);
      await page.setViewportSize({ width: 800, height: Math.min(3000, Math.ceil(shown.height)) });
      await page.screenshot({ path: path.join(SHOTS, file.replace(/\.svg$/, '.png')) });
      await page.setViewportSize({ width: 800, height: 600 });
    }
    expect(errors).toEqual([]);
  });

  it("a course page embeds each snippet's figure by its relative path, copied with it to another folder", async () => {
    const snippets = readdirSync(figures).filter((f) => /\.(en|ja)\.md$/.test(f));
    expect(snippets.length).toBe(readdirSync(figures).filter((f) => f.endsWith('.svg')).length);
    const course = path.join(tmp, 'course', 'lesson');
    mkdirSync(course, { recursive: true });
    const images: string[] = [];
    for (const file of snippets) {
      const markdown = readFileSync(path.join(figures, file), 'utf8');
      const match = /!\[((?:\\.|[^\]\\])*)\]\(([^)]+)\)/.exec(markdown);
      expect(match, file).not.toBeNull();
      const src = match![2]!;
      expect(src, file).toMatch(/^\.\/[A-Za-z0-9._-]+\.(en|ja)\.svg$/);
      expect(existsSync(path.resolve(figures, src)), `${file} → ${src}`).toBe(true);
      copyFileSync(path.resolve(figures, src), path.resolve(course, src));
      const alt = match![1]!.replace(/\\(.)/g, '$1').replace(/"/g, '&quot;');
      images.push(`<p><img src="${src}" alt="${alt}"></p>`);
    }
    const pagePath = path.join(course, 'index.html');
    writeFileSync(pagePath, `<!doctype html><meta charset="utf-8"><body style="margin:0">${images.join('\n')}</body>`);
    const { page, requests, errors } = await newPage(800, 900);
    await page.goto(pathToFileURL(pagePath).href, { waitUntil: 'load' });
    const loaded = await page.evaluate<{ src: string | null; ok: boolean; w: number }[]>(READ_IMAGES);
    expect(loaded).toHaveLength(snippets.length);
    for (const img of loaded) expect(img, String(img.src)).toEqual({ src: img.src, ok: true, w: 800 });
    expect(requests.every((url) => url.startsWith(pathToFileURL(course).href))).toBe(true);
    expect(errors).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'course-page.png') });
  });
});
