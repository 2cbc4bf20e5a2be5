import { describe, expect, it } from 'vitest';
import type { CellResult, ResultsFile } from '../model/results.ts';
import { distinguishVariants } from './distinguish.ts';

function cell(variant: string, repetition: number, total: number, failed: number): CellResult {
  return {
    id: `${variant}--rolling-update--r${repetition}`,
    variant,
    scenario: 'rolling-update',
    repetition,
    status: 'complete',
    requests: { total, failed, succeeded: total - failed, dropped: 0 },
  } as CellResult;
}
function results(cells: CellResult[], variants: string[]): ResultsFile {
  return { variants, scenarios: ['rolling-update'], cells } as unknown as ResultsFile;
}

describe('distinguishVariants', () => {
  it('tells apart a variant that always loses from one that never does', () => {
    const cells = [1, 2, 3].flatMap((r) => [cell('baseline', r, 1500, 30 + r), cell('prestop-drain', r, 1500, 0)]);
    const [row] = distinguishVariants(results(cells, ['baseline', 'prestop-drain']));
    expect(row).toMatchObject({
      scenario: 'rolling-update',
      a: 'baseline',
      b: 'prestop-drain',
      distinguishable: true,
      reason: 'every-repetition',
    });
    expect(row!.note).toMatch(/told apart in every repetition/);
  });

  it('cannot tell apart two variants that both lose nothing', () => {
    const cells = [cell('prestop-drain', 1, 1500, 0), cell('ignore-sigterm', 1, 1500, 1)];
    const [row] = distinguishVariants(results(cells, ['prestop-drain', 'ignore-sigterm']));
    expect(row!.distinguishable).toBe(false);
    expect(row!.reason).toBe('intervals-overlap');
    expect(row!.note).toMatch(/cannot be told apart: intervals overlap/);
  });

  it('refuses a verdict when pooled rates differ but repetitions overlap', () => {
    const cells = [cell('a', 1, 1000, 0), cell('a', 2, 1000, 30), cell('b', 1, 1000, 5), cell('b', 2, 1000, 1)];
    const [row] = distinguishVariants(results(cells, ['a', 'b']));
    expect(row!.distinguishable).toBe(false);
    expect(row!.reason).toBe('repetitions-overlap');
    expect(row!.note).toMatch(/per-repetition rates overlap/);
  });

  it('says when a variant has no complete repetition', () => {
    const [row] = distinguishVariants(results([cell('a', 1, 1000, 3)], ['a', 'b']));
    expect(row).toMatchObject({
      distinguishable: false,
      reason: 'no-data',
      note: 'no complete repetition of b: nothing to compare',
    });
  });

  it('tells apart by pooled requests alone with one repetition, and says so', () => {
    const [row] = distinguishVariants(results([cell('a', 1, 1000, 60), cell('b', 1, 1000, 0)], ['a', 'b']));
    expect(row).toMatchObject({ distinguishable: true, reason: 'pooled-only' });
    expect(row!.note).toMatch(/run-to-run variation unknown/);
  });
});
