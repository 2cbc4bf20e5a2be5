import { describe, expect, it } from 'vitest';
import { resolveRollout } from './rollout.ts';

describe('resolveRollout', () => {
  it('resolves percentages against replicas: maxSurge rounds up, maxUnavailable down, 25 % by default', () => {
    expect(resolveRollout(undefined, 3).rollout).toMatchObject({ surge: 1, unavailable: 0, fencepost: false });
    expect(resolveRollout(undefined, 10).rollout).toMatchObject({ surge: 3, unavailable: 2 });
    expect(resolveRollout({ rollingUpdate: { maxUnavailable: '100%' } }, 4).rollout).toMatchObject({
      unavailable: 4,
    });
    expect(resolveRollout({ rollingUpdate: { maxSurge: 2, maxUnavailable: 1 } }, 5).rollout).toMatchObject({
      surge: 2,
      unavailable: 1,
    });
  });

  it('takes 1 for maxUnavailable when both round to 0 (ResolveFenceposts)', () => {
    expect(resolveRollout({ rollingUpdate: { maxSurge: 0, maxUnavailable: '25%' } }, 3).rollout).toMatchObject({
      surge: 0,
      unavailable: 1,
      fencepost: true,
    });
  });

  it('knows Recreate, and names a value it cannot read', () => {
    expect(resolveRollout({ type: 'Recreate' }, 3).rollout).toEqual({ type: 'Recreate' });
    expect(resolveRollout({ type: 'BlueGreen' }, 3).problem).toMatch(/strategy.type must be RollingUpdate or Recreate/);
    expect(resolveRollout({ rollingUpdate: { maxUnavailable: 'half' } }, 3).problem).toMatch(
      /maxUnavailable must be a whole number or a percentage such as "25%", got "half"/,
    );
    expect(resolveRollout({ rollingUpdate: { maxSurge: -1 } }, 3).problem).toMatch(/maxSurge must be/);
  });
});
