import { describe, expect, it } from 'vitest';
import { makeResultsFixture } from '../report/test-fixtures.ts';
import { cellVerdict, summarizeVerdicts } from './verdicts.ts';

describe('summarizeVerdicts', () => {
  it('pools the repetitions of each variant × scenario', () => {
    const results = makeResultsFixture();
    const rows = summarizeVerdicts(results);
    expect(rows.map((r) => [r.variant, r.scenario])).toEqual([
      ['baseline', 'rolling-update'],
      ['prestop-drain', 'rolling-update'],
    ]);
    const [baseline, safe] = rows;
    const baseCells = results.cells.filter((c) => c.variant === 'baseline');
    expect(baseline).toMatchObject({
      repetitions: 2,
      requests: baseCells[0]!.requests.total + baseCells[1]!.requests.total,
      failed: baseCells[0]!.requests.failed + baseCells[1]!.requests.failed,
      repetitionsWithFailures: 2,
      expectedSafe: false,
      verdict: 'loses-requests',
    });
    expect(baseline!.failed).toBeGreaterThan(0);
    expect(baseline!.errorRate).toBeCloseTo(baseline!.failed / baseline!.requests, 12);
    expect(baseline!.errorRateCi.low).toBeLessThan(baseline!.errorRate);
    expect(baseline!.errorRateCi.high).toBeGreaterThan(baseline!.errorRate);
    expect(baseline!.failuresByCause.refused).toBe(
      baseCells[0]!.failuresByCause.refused + baseCells[1]!.failuresByCause.refused,
    );
    expect(baseline!.rolloutSeconds).toBeCloseTo(
      (baseCells[0]!.rolloutSeconds! + baseCells[1]!.rolloutSeconds!) / 2,
      12,
    );
    expect(baseline!.p50Ms).toBeCloseTo((baseCells[0]!.latencyMs.p50! + baseCells[1]!.latencyMs.p50!) / 2, 12);

    expect(safe).toMatchObject({ failed: 0, errorRate: 0, expectedSafe: true, verdict: 'no-loss' });
    expect(safe!.errorRateCi.low).toBe(0);
    expect(safe!.errorRateCi.high).toBeGreaterThan(0);
  });

  it('is incomplete when a cell did not complete, a repetition is missing, or nothing was measured', () => {
    const interrupted = makeResultsFixture();
    interrupted.cells[3]!.status = 'interrupted';
    expect(summarizeVerdicts(interrupted)[1]!.verdict).toBe('incomplete');

    const missing = makeResultsFixture();
    missing.cells.pop();
    expect(summarizeVerdicts(missing)[1]).toMatchObject({ repetitions: 1, verdict: 'incomplete' });

    const empty = makeResultsFixture();
    empty.cells[2]!.requests = { total: 0, failed: 0, succeeded: 0, dropped: 0 };
    expect(summarizeVerdicts(empty)[1]!.verdict).toBe('incomplete');
  });

  it('lists declared pairs without cells as incomplete, and unknown variants as not safe', () => {
    const results = makeResultsFixture();
    results.scenarios.push('scale-down');
    results.cells[0]!.variant = 'mystery';
    const rows = summarizeVerdicts(results);
    expect(rows.map((r) => `${r.variant}/${r.scenario}`)).toEqual([
      'baseline/rolling-update',
      'baseline/scale-down',
      'prestop-drain/rolling-update',
      'prestop-drain/scale-down',
      'mystery/rolling-update',
    ]);
    expect(rows[1]).toMatchObject({ repetitions: 0, requests: 0, verdict: 'incomplete', p50Ms: null });
    expect(rows[1]!.errorRateCi).toEqual({ low: 0, high: 1 });
    expect(rows[4]).toMatchObject({ expectedSafe: false, repetitions: 1 });
  });

  it('gives one cell its own verdict with the same rules', () => {
    const results = makeResultsFixture();
    const [lossy, , clean] = results.cells;
    expect(cellVerdict(lossy!)).toBe('loses-requests');
    expect(cellVerdict(clean!)).toBe('no-loss');
    expect(cellVerdict({ ...clean!, requests: { ...clean!.requests, failed: 1 } })).toBe('loses-requests');
    expect(cellVerdict({ ...clean!, status: 'failed' })).toBe('incomplete');
    expect(cellVerdict({ ...clean!, requests: { total: 0, failed: 0, succeeded: 0, dropped: 0 } })).toBe('incomplete');
  });
});
