import { describe, expect, it } from 'vitest';
import { resolveFenceposts, scaledValue } from './rollout-math.ts';

describe('rollout math (Kubernetes rounding)', () => {
  it('rounds maxSurge up and maxUnavailable down', () => {
    expect(resolveFenceposts('25%', '25%', 10)).toEqual({ surge: 3, unavailable: 2 });
    expect(resolveFenceposts(undefined, undefined, 3)).toEqual({ surge: 1, unavailable: 0 });
    expect(resolveFenceposts('50%', '50%', 3)).toEqual({ surge: 2, unavailable: 1 });
  });

  it('makes maxUnavailable 1 when both resolve to 0, so the rollout can progress', () => {
    expect(resolveFenceposts(0, 0, 3)).toEqual({ surge: 0, unavailable: 1 });
    expect(resolveFenceposts('10%', '10%', 1)).toEqual({ surge: 1, unavailable: 0 });
    expect(resolveFenceposts('0%', '10%', 5)).toEqual({ surge: 0, unavailable: 1 });
  });

  it('accepts integers and rejects nonsense', () => {
    expect(scaledValue(2, '25%', 10, true)).toBe(2);
    expect(scaledValue('4', '25%', 10, true)).toBe(4);
    expect(() => scaledValue('lots', '25%', 10, true)).toThrow(/int-or-percent/);
  });
});
