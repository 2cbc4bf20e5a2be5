import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sleep } from '../core/clock.ts';
import type { LoadGenerator, LoadRunOptions } from '../load/load-generator.ts';
import { DEFAULT_LOAD_PROFILE } from '../model/load-profile.ts';
import type { CellDeployment, Platform } from '../platform/platform.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import { findVariant } from '../variants/catalog.ts';
import { runCell } from './run-cell.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A platform whose cell settles at once and a generator that sends one request every 20 ms until told or until `endsAfterMs`. */
function fakes(endsAfterMs: number | undefined) {
  const deployment: CellDeployment = {
    client: {} as CellDeployment['client'],
    target: { host: '127.0.0.1', port: 1 },
    waitSettled: async () => undefined,
    teardown: async () => undefined,
    [Symbol.asyncDispose]: async () => undefined,
  };
  const platform: Platform = {
    name: 'kind',
    emulated: false,
    propagation: {
      kubeletNoticeSeconds: 0,
      endpointsControllerSeconds: 0,
      proxyWatchSeconds: 0,
      proxyMinSyncSeconds: 1,
    },
    versions: async () => ({}),
    deploy: async () => deployment,
  };
  const loadGenerator: LoadGenerator = {
    name: 'fake',
    async run(options: LoadRunOptions) {
      options.onStarted?.();
      const started = Date.now();
      let n = 0;
      while (!options.stop.aborted && (endsAfterMs === undefined || Date.now() - started < endsAfterMs)) {
        const t = options.clock.now();
        options.onSample({
          scheduledMs: t,
          startMs: t,
          durationMs: 1,
          status: 200,
          cause: null,
          pod: 'p',
          reused: true,
        });
        n++;
        await sleep(20);
      }
      return { scheduled: n, dropped: 0, started: n, vus: 1, engine: 'fake' };
    },
  };
  const scenario: Scenario = {
    name: 'rolling-update',
    summary: { en: 'x', ja: 'x' },
    initialReplicas: 1,
    trigger: async () => undefined,
  };
  return { platform, loadGenerator, scenario };
}

async function cell(endsAfterMs: number | undefined) {
  const runDir = await mkdtemp(path.join(os.tmpdir(), 'drainlab-run-cell-'));
  dirs.push(runDir);
  const { platform, loadGenerator, scenario } = fakes(endsAfterMs);
  // 1 s warm-up, 1 s disruption window, 1 s cool-down (time scale 0.2 of 5 s each).
  const load = { ...DEFAULT_LOAD_PROFILE, warmupSeconds: 5, durationSeconds: 5, cooldownSeconds: 5 };
  return runCell(
    { id: 'c1', variant: findVariant('baseline')!, scenario, repetition: 1 },
    {
      platform,
      loadGenerator,
      runDir,
      load,
      timeScale: 0.2,
      seed: 1,
      signal: new AbortController().signal,
      progress: () => undefined,
    },
  );
}

describe('runCell', () => {
  it('fails a cell whose load ended by itself before the cool-down ended (the tail would go unmeasured)', async () => {
    const result = await cell(600);
    expect(result.status).toBe('failed');
    const [, ended, needed] =
      /the load ended by itself ([\d.]+) s after it started, but the cell needed it until ([\d.]+) s/.exec(
        result.error ?? '',
      ) ?? [];
    // 0.6 s of load against a warm-up, disruption window and cool-down of 1 s each (bounds generous for a busy machine).
    expect(Number(ended)).toBeGreaterThanOrEqual(0.5);
    expect(Number(needed)).toBeGreaterThanOrEqual(2);
    expect(Number(needed)).toBeGreaterThan(Number(ended));
    expect(result.error).toMatch(/under-counted/);
  });

  it('keeps a cell whose load ran until the runner stopped it', async () => {
    const result = await cell(undefined);
    expect(result.status).toBe('complete');
    expect(result.error).toBeUndefined();
  });
});
