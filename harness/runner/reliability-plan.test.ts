import { describe, expect, it } from 'vitest';
import type { CellResult, ResultsFile } from '../model/results.ts';
import { findScenario } from '../scenarios/catalog.ts';
import { findVariant } from '../variants/catalog.ts';
import { buildMatrix, startOrder } from './cell-plan.ts';
import { describeIncomplete } from './describe-incomplete.ts';

const matrix = buildMatrix(
  ['baseline', 'prestop-drain'].map((n) => findVariant(n)!),
  [findScenario('rolling-update')!],
  10,
);

describe('startOrder', () => {
  it('shuffles repetitions reproducibly from the seed', () => {
    const a = startOrder(matrix, 10, 7).map((c) => c.id);
    expect(startOrder(matrix, 10, 7).map((c) => c.id)).toEqual(a);
    expect(startOrder(matrix, 10, 8).map((c) => c.id)).not.toEqual(a);
    expect(a).not.toEqual(matrix.map((c) => c.id));
    expect([...a].sort()).toEqual(matrix.map((c) => c.id).sort());
  });
  it('starts the longest cells first without repetitions', () => {
    const one = buildMatrix(
      ['baseline', 'ignore-sigterm'].map((n) => findVariant(n)!),
      [findScenario('pod-delete')!],
      1,
    );
    expect(startOrder(one, 1, 1).map((c) => c.variant.name)).toEqual(['ignore-sigterm', 'baseline']);
  });
});

describe('describeIncomplete', () => {
  const base = { runId: 'r', variants: ['a', 'b'], scenarios: ['s'], repetitions: 1 };
  const cell = (variant: string, status: CellResult['status']) =>
    ({
      id: `${variant}--s--r1`,
      status,
      error: status === 'complete' ? undefined : 'interrupted',
      requests: { total: 12 },
    }) as CellResult;
  it('names interrupted and missing cells of a crashed run', () => {
    const results = {
      ...base,
      status: 'interrupted',
      finishedAt: null,
      cells: [cell('a', 'interrupted')],
    } as unknown as ResultsFile;
    expect(describeIncomplete(results)).toEqual([
      'run r did not finish (status interrupted, no finish time): the harness was stopped or crashed',
      'a--s--r1: interrupted (interrupted); 12 requests measured',
      'b--s--r1: not run (no result recorded)',
    ]);
  });
  it('is empty for a complete run', () => {
    const results = {
      ...base,
      status: 'complete',
      finishedAt: 'x',
      cells: [cell('a', 'complete'), cell('b', 'complete')],
    } as unknown as ResultsFile;
    expect(describeIncomplete(results)).toEqual([]);
  });
});
