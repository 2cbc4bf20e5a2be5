import { readFileSync } from 'node:fs';
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

describe('k6Env for your own app', () => {
  it('passes the request path, body and success status only when the run measures an app', () => {
    const plain = k6Env({ target: 'http://x', profile: DEFAULT_LOAD_PROFILE, cellId: 'c', durationSeconds: 10 });
    expect(Object.keys(plain).filter((k) => /PATH|BODY|OK_STATUS/.test(k))).toEqual([]);
    const app = k6Env({
      target: 'http://shop',
      profile: { ...DEFAULT_LOAD_PROFILE, path: '/orders', body: '{"n":1}', okStatus: 201 },
      cellId: 'c',
      durationSeconds: 10,
    });
    expect(app).toMatchObject({ DRAINLAB_PATH: '/orders', DRAINLAB_BODY: '{"n":1}', DRAINLAB_OK_STATUS: '201' });
  });
});

describe('k6Env and k6/drain-load.ts', () => {
  it('name the same variables: the script reads every one drainlab sets, and nothing else', () => {
    const script = readFileSync(new URL('../../../k6/drain-load.ts', import.meta.url), 'utf8');
    const read = new Set([...script.matchAll(/DRAINLAB_[A-Z_]+/g)].map((m) => m[0]));
    const set = k6Env({
      target: 'http://x',
      profile: { ...DEFAULT_LOAD_PROFILE, path: '/p', body: 'b', okStatus: 200 },
      cellId: 'c',
      durationSeconds: 10,
    });
    expect([...read].sort()).toEqual(Object.keys(set).sort());
  });
});
