import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../model/results.ts';
import { renderFidelityMarkdown } from '../report/fidelity-md.ts';
import { makeResultsFixture } from '../report/test-fixtures.ts';
import { fidelityRows, mergeRuns } from './fidelity.ts';

/** The fixture run (baseline loses, prestop-drain does not; 2 repetitions each) as a real cluster's run. */
function asReal(results: ResultsFile): ResultsFile {
  return {
    ...structuredClone(results),
    platform: { name: 'kind', emulated: false, versions: { context: 'dev', kubernetes: 'v1.35.4' } },
  };
}

describe('fidelityRows', () => {
  it('puts each pair side by side and agrees where the verdicts are equal', () => {
    const local = makeResultsFixture();
    const rows = fidelityRows(local, asReal(local));
    expect(rows.map((r) => [r.variant, r.scenario, r.local?.verdict, r.real?.verdict, r.agree])).toEqual([
      ['baseline', 'rolling-update', 'loses-requests', 'loses-requests', true],
      ['prestop-drain', 'rolling-update', 'no-loss', 'no-loss', true],
    ]);
    const baseline = rows[0]!.local!;
    expect(baseline.repetitions).toBe(2);
    expect(baseline.failed).toBeGreaterThan(0);
    expect(baseline.ci.low).toBeLessThanOrEqual(baseline.errorRate);
    expect(baseline.timings.endpointRemovedMs).not.toBeNull();
    expect(baseline.timings.sigtermToExitMs).not.toBeNull();
  });

  it('disagrees when one side loses requests and the other does not, and leaves unmatched pairs undecided', () => {
    const local = makeResultsFixture();
    const real = asReal(local);
    for (const cell of real.cells.filter((c) => c.variant === 'baseline')) cell.requests.failed = 0;
    real.cells = real.cells.filter((c) => c.variant === 'baseline');
    const rows = fidelityRows(local, real);
    expect(rows.find((r) => r.variant === 'baseline')?.agree).toBe(false);
    expect(rows.find((r) => r.variant === 'prestop-drain')).toMatchObject({ real: null, agree: null });
    const md = renderFidelityMarkdown(rows, { local, real, localRuns: ['l'], realRuns: ['r'] });
    expect(md).toContain('**Verdicts agree in 0 of 1 variant × scenario pairs.**');
    expect(md).toContain('## Pairs whose verdicts differ');
    expect(md).toMatch(/- baseline × rolling-update: local `loses-requests` \(\d+\/\d+, [^)]*\), real `no-loss`/);
    expect(md).toContain('real cluster (context dev); kubernetes v1.35.4');
  });
});

describe('mergeRuns', () => {
  it('pools the cells of several runs and judges each pair on the cells it has', () => {
    const a = makeResultsFixture();
    const b = makeResultsFixture();
    b.cells = b.cells.filter((c) => c.variant === 'baseline');
    b.repetitions = 5; // b measured baseline only, yet prestop-drain must not become incomplete
    const merged = mergeRuns([a, b]);
    expect(merged.cells).toHaveLength(a.cells.length + b.cells.length);
    const rows = fidelityRows(merged, asReal(merged));
    expect(rows.find((r) => r.variant === 'baseline')?.local?.repetitions).toBe(4);
    expect(rows.find((r) => r.variant === 'prestop-drain')?.local?.verdict).toBe('no-loss');
  });
});
