import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClock } from '../harness/core/clock.ts';
import { HarnessError } from '../harness/core/errors.ts';
import { K6_SCRIPT_PATH, K6LocalGenerator } from '../harness/load/k6/k6-local-generator.ts';
import { DEFAULT_LOAD_PROFILE } from '../harness/model/load-profile.ts';
import type { RequestSample } from '../harness/model/sample.ts';

const FIXTURE_BIN = path.resolve('test/fixtures/k6-bin');
const savedPath = process.env.PATH;
let dir = '';

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'drainlab-k6-test-'));
  process.env.DRAINLAB_FAKE_K6_ARGV = path.join(dir, 'argv.ndjson');
});
afterEach(async () => {
  process.env.PATH = savedPath;
  for (const name of ['DRAINLAB_FAKE_K6_ARGV', 'DRAINLAB_FAKE_K6_ENV', 'K6_VUS', 'K6_DURATION'])
    delete process.env[name];
  await rm(dir, { recursive: true, force: true });
});

function run(stop: AbortSignal, maxDurationMs: number) {
  const samples: RequestSample[] = [];
  const promise = new K6LocalGenerator().run({
    target: { host: '127.0.0.1', port: 18080 },
    profile: { ...DEFAULT_LOAD_PROFILE, method: 'POST', rate: 50 },
    clock: createClock(),
    onSample: (s) => samples.push(s),
    stop,
    maxDurationMs,
  });
  return { samples, promise };
}

describe('K6LocalGenerator', () => {
  it('runs k6 from PATH with the script, env and --out json, and parses samples and totals', async () => {
    process.env.PATH = `${FIXTURE_BIN}${path.delimiter}${savedPath}`;
    // A stray K6_VUS in the harness's environment would replace the script's scenario (k6 >= 2.1): k6 must not see it.
    process.env.K6_VUS = '3';
    process.env.K6_DURATION = '1s';
    process.env.DRAINLAB_FAKE_K6_ENV = `${process.env.DRAINLAB_FAKE_K6_ARGV}.env`;
    const { samples, promise } = run(new AbortController().signal, 300);
    const summary = await promise;
    expect(summary).toEqual({ scheduled: 7, dropped: 2, started: 5, vus: 4, engine: 'k6 v0.57.0' });
    expect(samples.map((s) => [s.status, s.cause, s.pod, s.reused])).toEqual([
      [200, null, 'pod-a', true],
      [0, 'refused', null, false],
      [0, 'reset', null, true],
      [0, 'timeout', null, true],
      [503, 'http-5xx', 'pod-b', false],
    ]);
    const calls = (await readFile(process.env.DRAINLAB_FAKE_K6_ARGV!, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as string[]);
    const runArgs = calls.find((a) => a[0] === 'run')!;
    expect(runArgs.at(-1)).toBe(K6_SCRIPT_PATH);
    expect(runArgs).toContain('DRAINLAB_TARGET=http://127.0.0.1:18080');
    expect(runArgs).toContain('DRAINLAB_METHOD=POST');
    expect(runArgs.some((a) => a.startsWith('json='))).toBe(true);
    const k6Vars = (await readFile(process.env.DRAINLAB_FAKE_K6_ENV!, 'utf8')).trim().split('\n');
    expect(k6Vars.map((l) => JSON.parse(l) as string[])).toEqual([[], []]);
  });

  it('stops k6 with SIGINT when stop is aborted and still reads its summary', async () => {
    process.env.PATH = `${FIXTURE_BIN}${path.delimiter}${savedPath}`;
    const stop = new AbortController();
    const started = Date.now();
    const { promise } = run(stop.signal, 60_000);
    setTimeout(() => stop.abort(), 1500);
    const summary = await promise;
    expect(summary.started).toBe(5);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('says what to do, with exit code 4 (broken environment), when k6 is not on PATH', async () => {
    process.env.PATH = dir;
    const err = await run(new AbortController().signal, 100).promise.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HarnessError);
    expect((err as HarnessError).message).toBe('k6 not found on PATH: install k6 or use --load builtin');
    expect((err as HarnessError).exitCode).toBe(4);
  });
});
