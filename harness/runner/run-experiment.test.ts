import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '../model/results.ts';
import { spawnCli } from '../../test/run-cli.ts';
import { describeMachine } from './run-experiment.ts';

const IMAGE = { ImageOS: 'ubuntu24', ImageVersion: '20261123.1.0' };

describe('the machine a run records', () => {
  it('names the GitHub-hosted runner image when the runner set ImageOS and ImageVersion', () => {
    const machine = describeMachine(IMAGE);
    expect(machine.runnerImage).toEqual({ imageOS: 'ubuntu24', imageVersion: '20261123.1.0' });
    expect(machine.node).toBe(process.version);
    expect(machine.cpus).toBe(os.cpus().length);
  });

  it('has no runner image anywhere else, nor from only one of the two variables or empty ones', () => {
    for (const env of [
      {},
      { ImageOS: 'ubuntu24' },
      { ImageVersion: '20261123.1.0' },
      { ImageOS: '', ImageVersion: ' ' },
    ]) {
      const machine = describeMachine(env);
      expect(machine, JSON.stringify(env)).not.toHaveProperty('runnerImage');
      // Absent, not null: results.json keeps the same shape as before off a runner.
      expect(JSON.stringify(machine)).not.toContain('runnerImage');
    }
  });
});

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('npm run experiment on a GitHub-hosted runner', () => {
  it('writes the runner image into results.json and summary.md from the environment', { timeout: 60_000 }, async () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'drainlab-runner-image-'));
    dirs.push(base);
    const out = path.join(base, 'run');
    const child = spawnCli(
      ['experiment', '--variants', 'baseline', '--scenarios', 'pod-delete', '--time-scale', '0.25', '--out', out],
      IMAGE,
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // results.json and summary.md are written before the first cell starts; the run itself is not needed.
    const deadline = Date.now() + 40_000;
    while (!/warm-up/.test(stderr)) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`no warm-up in time:\n${stderr}`);
      }
      await sleep(50);
    }
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(existsSync(path.join(out, 'results.json'))).toBe(true);
    const results = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as ResultsFile;
    expect(results.machine.runnerImage).toEqual({ imageOS: 'ubuntu24', imageVersion: '20261123.1.0' });
    expect(readFileSync(path.join(out, 'summary.md'), 'utf8')).toContain(
      '- Runner image: ubuntu24 20261123.1.0 (GitHub-hosted)',
    );
  });
});
