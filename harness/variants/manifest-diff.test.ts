import { describe, expect, it } from 'vitest';
import { findVariant } from './catalog.ts';
import { lineDiff, manifestDiff } from './manifest-diff.ts';

const must = (name: string) => findVariant(name) ?? expect.fail(`variant ${name} missing`);
const changed = (diff: string) => diff.split('\n').filter((l) => !l.startsWith('  '));

describe('lineDiff', () => {
  it('keeps common lines and marks removals before additions', () => {
    expect(lineDiff(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd', 'e'])).toEqual([
      '  a',
      '- b',
      '+ x',
      '  c',
      '  d',
      '+ e',
    ]);
    expect(lineDiff([], ['a'])).toEqual(['+ a']);
    expect(lineDiff(['a'], [])).toEqual(['- a']);
    expect(lineDiff(['a', 'b'], ['a', 'b'])).toEqual(['  a', '  b']);
  });

  it('finds a longest common subsequence, not a greedy match', () => {
    // A greedy matcher would pair the first "x" and lose "a b c".
    expect(lineDiff(['x', 'a', 'b', 'c'], ['a', 'b', 'c', 'x'])).toEqual(['- x', '  a', '  b', '  c', '+ x']);
  });
});

describe('manifestDiff', () => {
  it('is all context for baseline against itself', () => {
    const base = must('baseline');
    expect(changed(manifestDiff(base, base))).toEqual([]);
    expect(manifestDiff(base, base)).toMatch(/^ {2}apiVersion: apps\/v1\n/);
  });

  it('shows the preStop hook and the shutdown mode of prestop-drain against baseline', () => {
    const diff = changed(manifestDiff(must('prestop-drain'), must('baseline')));
    expect(diff).toContain('-               value: exit');
    expect(diff).toContain('+               value: drain');
    expect(diff).toContain('+           lifecycle:');
    expect(diff).toContain('+                 seconds: 5');
    // The variant label appears in 5 places (3 in the Deployment, 2 in the Service); nothing else differs.
    expect(diff.filter((l) => l.includes('drainlab/variant'))).toHaveLength(10);
    expect(diff).toHaveLength(10 + 2 + 4);
  });
});
