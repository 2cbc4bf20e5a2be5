import { describe, expect, it } from 'vitest';
import type { CellResult, ResultsFile } from '../model/results.ts';
import { describeFailedHooks } from './failed-hooks.ts';

const cell = (id: string, outcomes: CellResult['pods'][number]['preStopOutcome'][], reason?: string) =>
  ({
    id,
    pods: outcomes.map((preStopOutcome, i) => ({ name: `p${i}`, preStopOutcome })),
    events: reason ? [{ kind: 'prestop-end', pod: 'p0', outcome: 'failed', reason, t: 1, source: 'kubelet' }] : [],
  }) as unknown as CellResult;

describe('describeFailedHooks', () => {
  it('names each cell with a failed preStop hook, with the count and the kubelet reason', () => {
    const results = {
      cells: [
        cell('a', ['completed', 'completed']),
        cell('b', ['failed', 'completed', 'failed'], 'exec: "sleep": not found'),
        cell('c', [null]),
      ],
    } as unknown as ResultsFile;
    const lines = describeFailedHooks(results);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^b: the preStop hook failed in 2 pod\(s\) \(exec: "sleep": not found\), so they got SIGTERM/,
    );
  });

  it('says nothing when every hook ran', () => {
    expect(describeFailedHooks({ cells: [cell('a', ['completed'])] } as unknown as ResultsFile)).toEqual([]);
  });
});
