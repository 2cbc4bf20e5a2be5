import { describe, expect, it } from 'vitest';
import { DEFAULT_LOAD_PROFILE } from '../../model/load-profile.ts';
import { k6Env, preallocatedVUs } from './k6-env.ts';

describe('preallocatedVUs', () => {
  it('starts k6 with twice the VUs the steady state keeps busy, so no arrival is dropped while VUs initialise', () => {
    // 100 req/s × (80 ms work + 100 ms) = 18 busy → 36.
    expect(preallocatedVUs({ rate: 100, maxVUs: 100, workMs: { min: 20, max: 80 } })).toBe(36);
    expect(preallocatedVUs({ rate: 1, maxVUs: 100, workMs: { min: 0, max: 0 } })).toBe(1);
  });

  it('never exceeds maxVUs', () => {
    expect(preallocatedVUs({ rate: 1000, maxVUs: 150, workMs: { min: 20, max: 80 } })).toBe(150);
  });

  it('is what the script gets', () => {
    const env = k6Env({ target: 'http://x', profile: DEFAULT_LOAD_PROFILE, cellId: 'c', durationSeconds: 10 });
    expect(env.DRAINLAB_PREALLOCATED_VUS).toBe(String(preallocatedVUs(DEFAULT_LOAD_PROFILE)));
  });
});
