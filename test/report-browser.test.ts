import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkChromium, declareChromiumRequirement } from './chromium-check.ts';
import type { ResultsFile } from '../harness/model/results.ts';
import { renderHtmlReport } from '../harness/report/html-report.ts';
import { makeLargeResultsFixture } from '../harness/report/test-fixtures.ts';
import { runCli } from './run-cli.ts';

/**
 * Opens the report of a REAL small run in Debian's headless Chromium: the verdict table against results.json, the
 * language switch, one click from the table to a cell's timeline, no network request, hostile names as text, and the
 * render time of the default-matrix and 10-repetition sizes. Screenshots go to a temp dir and /tmp/report-shots/.
 *
 * Without Chromium the tests are skipped with a printed reason, except where CI is "true": CI installs Chromium, so
 * there a missing one fails instead of quietly hiding a broken CI.
 */

const chromiumCheck = checkChromium();
const CHROMIUM = chromiumCheck.executable;
const SHOTS = '/tmp/report-shots';

declareChromiumRequirement(chromiumCheck, 'report browser test');

let tmp = '';
let runDir = '';
let results: ResultsFile;
let browser: Browser | undefined;
const contexts: BrowserContext[] = [];

async function open(file: string, locale = 'en-US', hash = ''): Promise<{ page: Page; requests: string[] }> {
  const context = await browser!.newContext({ viewport: { width: 1366, height: 900 }, locale });
  contexts.push(context);
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', (d) => {
    requests.push(`dialog:${d.message()}`);
    void d.dismiss();
  });
  await page.goto(pathToFileURL(file).href + hash, { waitUntil: 'load' });
  return { page, requests };
}

async function shot(page: Page, name: string, target?: ReturnType<Page['locator']>): Promise<void> {
  const file = path.join(tmp, 'shots', name);
  if (target === undefined) await page.screenshot({ path: file });
  else await target.screenshot({ path: file });
  copyFileSync(file, path.join(SHOTS, name));
}

async function loadMs(page: Page): Promise<number> {
  return page.evaluate(() => {
    // Node's types (no DOM lib here) do not know the navigation entry; this runs in the page, where it exists.
    type NavigationEntry = { startTime: number; loadEventEnd: number };
    const entries = (performance.getEntriesByType as unknown as (type: string) => NavigationEntry[])('navigation');
    const nav = entries[0];
    return nav === undefined ? Number.NaN : nav.loadEventEnd - nav.startTime;
  });
}

describe.skipIf(!chromiumCheck.present)('the report of a real run, in Chromium', () => {
  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'drainlab-report-browser-'));
    mkdirSync(path.join(tmp, 'shots'), { recursive: true });
    mkdirSync(SHOTS, { recursive: true });
    runDir = path.join(tmp, 'run');
    const run = await runCli(['experiment', '--quick', '--time-scale', '0.5', '--out', runDir], { timeoutMs: 110_000 });
    expect(run.code, run.stderr).toBe(0);
    results = JSON.parse(readFileSync(path.join(runDir, 'results.json'), 'utf8')) as ResultsFile;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
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

  it('shows the verdict table as in results.json, switches language, and opens a cell timeline', async () => {
    const { page, requests } = await open(path.join(runDir, 'index.html'));
    const ms = await loadMs(page);
    expect(ms).toBeLessThan(2000);

    // The verdict table, row by row, against totals recomputed from results.json.
    const rowLocators = await page.locator('table.verdicts tbody tr').all();
    const rows = await Promise.all(
      rowLocators.map(async (tr) => (await tr.locator('td').allTextContents()).map((t) => t.trim())),
    );
    expect(rows).toHaveLength(results.variants.length * results.scenarios.length);
    for (const row of rows) {
      const variant = row[0]!.replace(/^★ /, '');
      const cells = results.cells.filter((c) => c.variant === variant && c.scenario === row[1]);
      expect(cells.length, `${variant} ${row[1]}`).toBeGreaterThan(0);
      const total = cells.reduce((n, c) => n + c.requests.total, 0);
      const failed = cells.reduce((n, c) => n + c.requests.failed, 0);
      expect(row[3]!.replace(/,/g, '')).toBe(String(total));
      expect(row[4]).toBe(String(failed));
      expect(row[5]).toContain(failed === 0 ? '0 %' : `${((failed / total) * 100).toFixed(2)} %`);
    }
    const recommended = page.locator('tr.recommended td.variant');
    await expect.poll(() => recommended.first().textContent()).toContain('★ prestop-drain');
    expect(await page.locator('tr.recommended td.zero').count()).toBeGreaterThan(0);
    await shot(page, 'report-top-en.png');

    // Language: English by default for an en-US browser; Japanese after the switch, remembered on reload.
    expect(await page.getByRole('heading', { name: 'Verdict' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: '日本語' }).click();
    expect(await page.getByRole('heading', { name: '判定' }).isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'Verdict' }).isVisible()).toBe(false);
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    // How to read the table, and what each scenario does, in the chosen language.
    expect(await page.getByRole('heading', { name: '表の読み方' }).isVisible()).toBe(true);
    expect(await page.locator('dl.guide dd span[lang="ja"]:visible').count()).toBeGreaterThan(5);
    const scenarioText = page.locator('dl.scenarios dd span[lang="ja"]').first();
    expect(await scenarioText.isVisible()).toBe(true);
    expect(await scenarioText.textContent()).toBe(results.scenarioInfo['rolling-update']!.summary.ja);
    await shot(page, 'report-top-ja.png');
    await page.reload({ waitUntil: 'load' });
    expect(await page.getByRole('heading', { name: '判定' }).isVisible()).toBe(true);

    // One click from the table to the baseline cell: its timeline has bars and one lane per pod.
    await page.locator('table.verdicts tbody tr', { hasText: 'baseline' }).first().locator('a').first().click();
    const index = results.cells.findIndex((c) => c.variant === 'baseline');
    expect(new URL(page.url()).hash).toBe(`#cell-${index + 1}`);
    const section = page.locator(`section#cell-${index + 1}`);
    await expect.poll(() => section.isVisible()).toBe(true);
    const svg = section.locator('svg.timeline');
    expect(await svg.locator('svg.bars path').count()).toBeGreaterThan(0);
    expect(await svg.locator('text.pod').count()).toBe(results.cells[index]!.pods.length);
    expect(await svg.locator('line.routing').count()).toBeGreaterThan(0);
    expect(await svg.locator('text.head:visible').first().textContent()).toContain('開始時刻ごと');
    await shot(page, 'report-cell-baseline-ja.png', section);
    await page.getByRole('button', { name: 'English' }).click();
    await shot(page, 'report-cell-baseline-en.png', section);
    const drain = results.cells.findIndex((c) => c.variant === 'prestop-drain');
    await shot(page, 'report-cell-prestop-drain-en.png', page.locator(`section#cell-${drain + 1}`));
    await shot(page, 'report-variants-en.png', page.locator('section.variant').first());

    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
  });

  it('defaults to Japanese for a Japanese browser, and sorts the table by a header click', async () => {
    const { page, requests } = await open(path.join(runDir, 'index.html'), 'ja-JP');
    expect(await page.getByRole('heading', { name: '判定' }).isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'Verdict' }).isVisible()).toBe(false);
    const failedHeader = page.locator('table.verdicts thead th').nth(4);
    await failedHeader.click();
    await failedHeader.click(); // descending: the most failures first
    const first = await page.locator('table.verdicts tbody tr').first().locator('td').nth(4).textContent();
    const max = Math.max(...results.cells.map((c) => c.requests.failed));
    expect(Number(first)).toBe(max);
    expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
  });

  it('renders a hostile variant name as text', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const hostile: ResultsFile = JSON.parse(JSON.stringify(results)) as ResultsFile;
    hostile.variants = hostile.variants.map((v) => (v === 'baseline' ? evil : v));
    hostile.variantInfo[evil] = hostile.variantInfo.baseline!;
    for (const cell of hostile.cells) if (cell.variant === 'baseline') cell.variant = evil;
    const file = path.join(tmp, 'hostile.html');
    writeFileSync(file, renderHtmlReport(hostile));
    const { page, requests } = await open(file);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('table.verdicts tbody tr').first().locator('td').first().textContent()).toBe(evil);
    await page.waitForTimeout(200);
    expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]); // no dialog, no image request
  });

  it('renders the default-matrix size and a 10-repetition run quickly', async () => {
    const timings: string[] = [];
    for (const reps of [1, 10]) {
      const file = path.join(tmp, `synthetic-${reps}.html`);
      const html = renderHtmlReport(makeLargeResultsFixture(reps));
      writeFileSync(file, html);
      const { page } = await open(file);
      const ms = await loadMs(page);
      timings.push(`${reps} rep(s): ${(html.length / 1024).toFixed(0)} KiB loaded in ${ms.toFixed(0)} ms`);
      // Generous bounds: the 2 s target for the default matrix, more room for ten times the cells.
      expect(ms).toBeLessThan(reps === 1 ? 2000 : 6000);
      await page.mouse.wheel(0, 20_000);
      await page.waitForTimeout(100);
      if (reps === 10) await shot(page, 'report-synthetic-10reps-scrolled.png');
    }
    console.log(`render times: ${timings.join('; ')}`);
  });

  it('writes compare.html for two run folders, with no network request', async () => {
    const run = await runCli(['report', runDir, '--compare', runDir], { timeoutMs: 30_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/baseline\s+rolling-update\s+[\d.]+%\s+[\d.]+%\s+within-intervals/);
    const { page, requests } = await open(path.join(runDir, 'compare.html'));
    expect(await page.locator('tbody tr').count()).toBe(results.variants.length * results.scenarios.length);
    await shot(page, 'report-compare-en.png');
    expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
  });
});
