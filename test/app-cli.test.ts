import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '../harness/model/results.ts';
import { ROOT, runCli } from './run-cli.ts';

// Your own app through the real CLI (issue 15): every bad input is one message, exit 2 and no process left; the two
// examples run end to end on the local platform at a short time scale.

const dir = mkdtempSync(path.join(os.tmpdir(), 'drainlab-app-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BAD_APP = 'python3 test/fixtures/apps/bad-app.py --port {port} --mode';
const env = (name: string) => ({ DRAINLAB_STATE_DIR: path.join(dir, `state-${name}`) });

/** True while a process with this pid exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs the CLI with a bad app whose pid lands in a file; returns the run and that pid. */
async function badRun(mode: string, extra: string[] = []) {
  const out = path.join(dir, mode);
  const pidFile = path.join(dir, `${mode}.pid`);
  const run = await runCli(
    [
      'experiment',
      '--app-command',
      `${BAD_APP} ${mode}`,
      '--app-ready',
      '/healthz',
      '--app-env',
      `PID_FILE=${pidFile}`,
      '--app-ready-timeout',
      '3',
      ...extra,
      '--out',
      out,
    ],
    { timeoutMs: 60_000, env: env(mode) },
  );
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined;
  return { run, pid, out };
}

/** Exit 2, exactly one error, no cell run, and the app's process gone. */
function expectRefused(result: Awaited<ReturnType<typeof badRun>>, message: RegExp): void {
  const { run, pid, out } = result;
  expect(run.code, run.stderr).toBe(2);
  const errors = run.stderr.split('\n').filter((l) => l.startsWith('error:'));
  expect(errors, run.stderr).toHaveLength(1);
  expect(errors[0]).toMatch(message);
  expect(existsSync(path.join(out, 'results.json'))).toBe(false);
  expect(existsSync(path.join(out, 'cells'))).toBe(false);
  if (pid !== undefined) expect(alive(pid), `pid ${pid} is still running`).toBe(false);
}

describe('bad input for --app-command is one message, exit 2, nothing left running', { timeout: 90_000 }, () => {
  it('a command that does not exist', async () => {
    const out = path.join(dir, 'missing');
    const run = await runCli(['experiment', '--app-command', 'no-such-app-xyz --port {port}', '--out', out], {
      timeoutMs: 60_000,
      env: env('missing'),
    });
    expectRefused({ run, pid: undefined, out }, /command "no-such-app-xyz" was not found; give a program on PATH/);
  });

  it('an app that exits at once: its last lines are shown, and kept in the run folder', async () => {
    const result = await badRun('exit');
    expectRefused(result, /your app exited with code 3, [\d.]+ s after it started, before it answered/);
    expect(result.pid).toBeGreaterThan(0);
    expect(result.run.stderr).toMatch(/bad-app: missing setting DATABASE_URL/);
    expect(readFileSync(path.join(result.out, 'app', 'probe.log'), 'utf8')).toMatch(/missing setting DATABASE_URL/);
  });

  it('an app that never becomes ready within the bound', async () => {
    const result = await badRun('never-ready');
    expectRefused(result, /did not become ready within 3 s: its readiness path \/healthz answers HTTP 503/);
    expect(result.pid).toBeGreaterThan(0);
  });

  it('an app that listens on another port', async () => {
    const result = await badRun('wrong-port');
    expectRefused(result, /your app listens on port \d+, not on the port drainlab gave it \(\d+\).*\$PORT.*\{port\}/);
    expect(result.pid).toBeGreaterThan(0);
  });

  it('an app that answers 500s from the start', async () => {
    const result = await badRun('error-500', ['--app-request', 'POST /orders']);
    expectRefused(result, /answers the load's request POST \/orders with HTTP 500/);
    expect(result.pid).toBeGreaterThan(0);
  });

  it('Ctrl-C while the app is measured stops at once (exit 130) and leaves no process', async () => {
    const out = path.join(dir, 'ctrl-c');
    const pidFile = path.join(dir, 'ctrl-c.pid');
    const child = spawn(
      process.execPath,
      [
        'scripts/drainlab.mjs',
        'experiment',
        '--app-command',
        `${BAD_APP} serve`,
        '--app-ready',
        '/healthz',
        '--app-env',
        `PID_FILE=${pidFile}`,
        '--out',
        out,
      ],
      {
        cwd: ROOT,
        env: { ...process.env, CI: 'true', ...env('ctrl-c') },
        stdio: ['ignore', 'ignore', 'pipe'],
        // Its own process group, as a terminal's foreground job: Ctrl-C goes to every process in it.
        detached: true,
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    while (!existsSync(pidFile) || !/Measuring what your app does/.test(stderr)) {
      if (Date.now() > deadline) throw new Error(`the probe did not start:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    // Into the measurement: SIGTERM is sent about 0.4 s after ready, and this app (no handler) never gets it.
    await new Promise((r) => setTimeout(r, 2_500));
    const sentAt = Date.now();
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited, stderr).toBe(130);
    expect(Date.now() - sentAt).toBeLessThan(10_000);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(pid), `pid ${pid} is still running`).toBe(false);
  });

  it('--platform kind: points to --app-manifest', async () => {
    const run = await runCli(['experiment', '--app-command', 'python3 app.py', '--platform', 'kind'], {
      env: env('kind'),
    });
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n').filter((l) => l.startsWith('error:'))).toEqual([
      expect.stringMatching(
        /runs your app as local processes, on --platform local \(the default\); on a real cluster give/,
      ),
    ]);
  });
});

const readResults = (out: string) => JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as ResultsFile;
const sum = (results: ResultsFile, variant: string) => {
  const cells = results.cells.filter((c) => c.variant === variant);
  return { cells: cells.length, failed: cells.reduce((n, c) => n + c.requests.failed, 0) };
};

describe('the examples run end to end on the local platform', { timeout: 240_000 }, () => {
  it('python-exits-at-once: as-is loses requests, the preStop fix loses none, and the report proposes it', async () => {
    const out = path.join(dir, 'python');
    const run = await runCli(
      [
        'experiment',
        '--config',
        'examples/app-python.yaml',
        '--variants',
        'app-as-is,app-prestop',
        // Real time: at a compressed scale the 3 s preStop shrinks toward what a busy machine delays a sync by.
        '--repeat',
        '2',
        '--parallel',
        '2',
        '--out',
        out,
      ],
      { timeoutMs: 200_000, env: env('python') },
    );
    expect(run.code, run.stderr).toBe(0);
    const results = readResults(out);
    expect(results.status).toBe('complete');
    expect(results.app?.shutdown).toMatchObject({ behaviour: 'exits-at-once', sigterm: 'caught', killed: false });
    expect(results.loadProfile).toMatchObject({ method: 'POST', path: '/orders', okStatus: 201 });
    expect(sum(results, 'app-as-is').failed).toBeGreaterThan(0);
    expect(sum(results, 'app-prestop')).toEqual({ cells: 2, failed: 0 });
    const patch = 'kubectl patch deployment web --type strategic -p';
    const summary = readFileSync(path.join(out, 'summary.md'), 'utf8');
    expect(summary).toContain('app-prestop removed the loss: 0 of');
    expect(summary).toContain('              sleep:\n                seconds: 3');
    expect(summary).toContain(patch);
    expect(readFileSync(path.join(out, 'index.html'), 'utf8')).toContain(patch);
    // The app's output: the measured instance, and every pod of every cell.
    expect(readFileSync(path.join(out, 'app', 'probe.log'), 'utf8')).toMatch(/SIGTERM: exiting now/);
    const pods = path.join(out, 'cells', results.cells[0]!.id, 'pods');
    expect(readdirSync(pods).filter((f) => f.endsWith('.log')).length).toBeGreaterThanOrEqual(6);
  });

  it('shell-wrapped: SIGTERM never reaches the app, old pods are killed at the deadline, the fix is in the app', async () => {
    const out = path.join(dir, 'shell');
    const run = await runCli(
      [
        'experiment',
        '--app-command',
        'sh examples/apps/shell-wrapped/run.sh {port}',
        '--app-ready',
        '/healthz',
        '--app-request',
        'POST /orders',
        '--app-shutdown-bound',
        '3',
        '--variants',
        'app-as-is',
        '--scenarios',
        'rolling-update',
        '--time-scale',
        '0.25',
        '--out',
        out,
      ],
      { timeoutMs: 200_000, env: env('shell') },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).toMatch(/Your app on SIGTERM \(ignores-sigterm\): SIGTERM never reached the app/);
    const results = readResults(out);
    expect(results.app?.shutdown).toMatchObject({ behaviour: 'ignores-sigterm', sigterm: 'not-caught', killed: true });
    const old = results.cells[0]!.pods.filter((p) => p.generation === 'old');
    expect(old).toHaveLength(3);
    for (const pod of old) {
      expect(pod.sigkillMs, pod.name).not.toBeNull();
      expect(pod.exitCode, pod.name).toBe(137);
    }
    const summary = readFileSync(path.join(out, 'summary.md'), 'utf8');
    expect(summary).toContain('No manifest change fixes this: the fix is in the app');
    expect(summary).not.toContain('kubectl patch');
  });
});
