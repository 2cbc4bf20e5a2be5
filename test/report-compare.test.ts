import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { changeBetween, compareRuns, type CompareSide } from '../harness/analysis/compare-runs.ts';
import { renderCompareHtml } from '../harness/report/compare-html.ts';
import { makeResultsFixture } from '../harness/report/test-fixtures.ts';
import { writeRunOutputs } from '../harness/report/write-run.ts';
import { runCli } from './run-cli.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function side(failed: number, requests: number, low: number, high: number): CompareSide {
  return { failed, requests, errorRate: failed / requests, ci: { low, high }, verdict: 'loses-requests' };
}

describe('compareRuns', () => {
  it('calls a change only when the two intervals do not overlap', () => {
    expect(changeBetween(side(1, 1000, 0.0002, 0.006), side(50, 1000, 0.038, 0.065))).toBe('worse');
    expect(changeBetween(side(50, 1000, 0.038, 0.065), side(1, 1000, 0.0002, 0.006))).toBe('better');
    expect(changeBetween(side(10, 1000, 0.005, 0.018), side(14, 1000, 0.008, 0.023))).toBe('within-intervals');
    // Touching intervals overlap: no claim.
    expect(changeBetween(side(1, 10, 0.1, 0.3), side(3, 10, 0.3, 0.5))).toBe('within-intervals');
  });

  it('pairs variant × scenario across runs, with pairs only one run measured', () => {
    const then = makeResultsFixture();
    const now = makeResultsFixture();
    // Now: prestop-drain suddenly loses a lot; baseline only measured then; a new scenario now.
    for (const cell of now.cells.filter((c) => c.variant === 'prestop-drain')) {
      cell.requests = { ...cell.requests, failed: 600, succeeded: cell.requests.total - 600 };
    }
    now.cells = now.cells.filter((c) => c.variant !== 'baseline');
    now.cells.push({ ...now.cells[0]!, scenario: 'pod-delete' });
    now.scenarios = ['rolling-update', 'pod-delete'];
    now.variants = ['prestop-drain'];
    const rows = compareRuns(then, now);
    const by = (v: string, s: string) => rows.find((r) => r.variant === v && r.scenario === s);
    expect(by('prestop-drain', 'rolling-update')).toMatchObject({ change: 'worse', then: { failed: 0 } });
    expect(by('prestop-drain', 'rolling-update')?.now?.failed).toBe(1200);
    expect(by('prestop-drain', 'pod-delete')).toMatchObject({ change: 'added', then: null });
    expect(by('baseline', 'rolling-update')).toMatchObject({ change: 'removed', now: null });
    expect(compareRuns(then, then).every((r) => r.change === 'within-intervals')).toBe(true);
  });

  it('renders compare.html self-contained, with data escaped', () => {
    const then = makeResultsFixture();
    const now = makeResultsFixture();
    now.runId = '<script>alert(1)</script>';
    for (const cell of now.cells) cell.variant = `<img src=x onerror=alert(2)>${cell.variant}`;
    const html = renderCompareHtml(then, now, compareRuns(then, now));
    expect(html).not.toMatch(/<img|<script>alert|https?:\/\//);
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;baseline');
    expect(html.match(/<script/g)).toHaveLength(2);
  });
});

describe('npm run report -- <dir> --compare <other>', () => {
  it('writes compare.html and prints the table; bad arguments get one clear message each', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'drainlab-compare-'));
    dirs.push(root);
    const a = path.join(root, 'a');
    const b = path.join(root, 'b');
    await writeRunOutputs(a, makeResultsFixture());
    await writeRunOutputs(b, makeResultsFixture());
    const run = await runCli(['report', b, '--compare', a]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/prestop-drain\s+rolling-update\s+0\.00%\s+0\.00%\s+within-intervals/);
    expect(run.stdout).toContain(path.join(b, 'compare.html'));
    expect(readFileSync(path.join(b, 'compare.html'), 'utf8')).toContain('20250115-100000-fixture');

    const bad = await runCli(['report', b, '--compare']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--compare needs a run folder');
    const unknown = await runCli(['report', b, '--frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown option "--frobnicate"');
    const missing = await runCli(['report', b, '--compare', path.join(root, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Expected a results file at .*nope/);
  });
});
