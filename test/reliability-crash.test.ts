import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { RunState } from '../harness/cleanup/run-state.ts';
import type { LifecycleEvent } from '../harness/model/events.ts';
import type { ResultsFile } from '../harness/model/results.ts';
import { runCli, spawnCli } from './run-cli.ts';

// The harness is SIGKILLed in the middle of a cell: nothing in-process can clean up, so only the out-of-process
// reaper (first test) or `npm run clean` (second test) can remove the pods it started.

const dirs: string[] = [];
const started: number[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  // Whatever a failed assertion left behind: these are the groups this test's harness started.
  for (const pid of started.splice(0)) {
    if (running(pid)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
});

/** True while the process exists and is not a zombie (a zombie holds no socket and runs no code). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

async function until(check: () => boolean | Promise<boolean>, limitMs: number): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > limitMs) throw new Error(`not within ${limitMs} ms`);
    await sleep(50);
  }
  return Date.now() - start;
}

/** Starts a run of ignore-sigterm (its pods would live 30 s after deletion) and SIGKILLs the harness while settling. */
async function startAndKill(env: Record<string, string>) {
  const base = mkdtempSync(path.join(os.tmpdir(), 'drainlab-crash-'));
  dirs.push(base);
  const stateDir = path.join(base, 'state');
  const out = path.join(base, 'run');
  const child = spawnCli(
    ['experiment', '--variants', 'ignore-sigterm', '--scenarios', 'rolling-update', '--out', out],
    { DRAINLAB_STATE_DIR: stateDir, ...env },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    await until(() => /settling/.test(stderr), 40_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`no "settling" in time: ${String(error)}\n${stderr}`);
  }
  await sleep(500);
  // tsx runs harness/cli.ts in a child process: the state file names that one, the real harness.
  const [file] = readdirSync(stateDir).map((f) => path.join(stateDir, f));
  const state = JSON.parse(readFileSync(file!, 'utf8')) as RunState;
  expect(state.harness.command).toContain('harness/cli.ts');
  const cellDir = path.join(out, 'cells', 'ignore-sigterm--rolling-update--r1');
  const events = readFileSync(path.join(cellDir, 'events.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as LifecycleEvent);
  const pids = events.flatMap((e) => (e.kind === 'pod-started' && e.pid ? [e.pid] : []));
  const ports = events.flatMap((e) =>
    e.kind === 'app-log' && e.msg === 'listening' && typeof e.detail?.['port'] === 'number'
      ? [e.detail['port'] as number]
      : [],
  );
  started.push(...pids);
  process.kill(state.harness.pid, 'SIGKILL');
  const killedAt = Date.now();
  await exited;
  return { stateDir, out, file: file!, state, pids, ports, killedAt };
}

describe('the harness is SIGKILLed in the middle of a cell', () => {
  it('the reaper kills every pod it started and frees their ports', { timeout: 90_000 }, async () => {
    const run = await startAndKill({});
    expect(run.pids.length).toBeGreaterThanOrEqual(4);
    expect(run.ports.length).toBeGreaterThanOrEqual(4);
    expect(run.state.reaper).toBeDefined();
    await until(() => run.pids.every((pid) => !running(pid)), 5_000);
    console.log(`reaper: ${run.pids.length} pods gone within ${Date.now() - run.killedAt} ms of the SIGKILL`);
    for (const port of run.ports) expect(await refuses(port), `port ${port}`).toBe(true);
    await until(() => !existsSync(run.file), 2_000);
    await until(() => !running(run.state.reaper!.pid), 2_000);
    // What was measured before the crash is still readable.
    const results = JSON.parse(readFileSync(path.join(run.out, 'results.json'), 'utf8')) as ResultsFile;
    expect(results.status).toBe('interrupted');
    const report = await runCli(['report', run.out]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/Incomplete[\s\S]*ignore-sigterm--rolling-update--r1: not run/);
  });

  it('without a reaper, npm run clean removes the leftovers and says so', { timeout: 90_000 }, async () => {
    const run = await startAndKill({ DRAINLAB_NO_REAPER: '1' });
    expect(run.state.reaper).toBeUndefined();
    await sleep(1_000);
    const left = run.pids.filter(running);
    // ignore-sigterm pods outlive the harness: this is exactly the debris clean must find.
    expect(left.length).toBeGreaterThanOrEqual(3);
    expect(existsSync(run.file)).toBe(true);
    const clean = await runCli(['clean'], { env: { DRAINLAB_STATE_DIR: run.stateDir } });
    expect(clean.code, clean.stderr).toBe(0);
    for (const pid of left) expect(clean.stdout).toContain(`killed process group ${pid} `);
    expect(clean.stdout).toContain(`run ${run.state.runId}: removed state file`);
    await until(() => run.pids.every((pid) => !running(pid)), 3_000);
    for (const port of run.ports) expect(await refuses(port), `port ${port}`).toBe(true);
    expect(existsSync(run.file)).toBe(false);
    // A second clean finds nothing more.
    const again = await runCli(['clean'], { env: { DRAINLAB_STATE_DIR: run.stateDir } });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing left from earlier local runs');
  });
});
