import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../model/results.ts';
import { describeStarvation, wasStarved } from './machine-starved.ts';

describe('a machine short of CPU', () => {
  it('is what a held-up event loop says, past the bounds a busy but working machine stays under', () => {
    expect(wasStarved({})).toBe(false);
    expect(wasStarved({ harnessDelayMs: { p99: 12, max: 20 } })).toBe(false);
    expect(wasStarved({ harnessDelayMs: { p99: 53, max: 132 } })).toBe(false);
    expect(wasStarved({ harnessDelayMs: { p99: 100, max: 150 } })).toBe(true);
    expect(wasStarved({ harnessDelayMs: { p99: 40, max: 800 } })).toBe(true);
  });

  it('names each starved cell with what to change', () => {
    const results = {
      cells: [
        { id: 'a--pod-delete--r1', harnessDelayMs: { p99: 250, max: 1200 } },
        { id: 'b--pod-delete--r1', harnessDelayMs: { p99: 11, max: 19 } },
      ],
    } as unknown as ResultsFile;
    expect(describeStarvation(results)).toEqual([
      expect.stringMatching(
        /^a--pod-delete--r1: the machine was short of CPU \(.*up to 1200 ms, p99 250 ms\).*--parallel 1/,
      ),
    ]);
  });
});
