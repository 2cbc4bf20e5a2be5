import { describe, expect, it } from 'vitest';
import type { CellResult, ResultsFile } from '../model/results.ts';
import { describeUnsplitCauses } from './unsplit-causes.ts';

const results = (emulated: boolean, engine: string, reset: number) =>
  ({
    platform: { name: emulated ? 'local' : 'kind', emulated, versions: {} },
    cells: [
      {
        id: 'baseline--rolling-update--r1',
        load: { engine },
        failuresByCause: { refused: 0, reset },
      } as unknown as CellResult,
    ],
  }) as unknown as ResultsFile;

describe('describeUnsplitCauses', () => {
  it('names k6 cells on the emulator whose resets may hide refusals', () => {
    expect(describeUnsplitCauses(results(true, 'k6 v2.2.0', 15))).toEqual([
      expect.stringMatching(/^baseline--rolling-update--r1: its 15 reset\(s\) may include refused connections/),
    ]);
  });

  it('says nothing for the built-in generator, a real cluster, or a cell without resets', () => {
    expect(describeUnsplitCauses(results(true, 'builtin', 15))).toEqual([]);
    expect(describeUnsplitCauses(results(false, 'k6 v2.2.0', 15))).toEqual([]);
    expect(describeUnsplitCauses(results(true, 'k6 v2.2.0', 0))).toEqual([]);
  });
});
