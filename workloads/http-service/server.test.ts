import { Agent } from 'node:http';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureWorkloadBundle } from '../bundle.ts';
import { httpRequest } from '../testing/http-request.ts';
import { killAllWorkloads, startWorkload } from '../testing/workload-process.ts';
import type { WorkloadProcess } from '../testing/workload-process.ts';

const LOG_MESSAGES = ['listening', 'sigterm', 'drain-start', 'drain-done', 'drain-timeout', 'exit', 'prestop-http'];

const agents: Agent[] = [];
function keepAliveAgent(): Agent {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(agent);
  return agent;
}

/** Every stderr line is a lifecycle JSON object with the fixed fields and a known msg. */
function expectCleanLog(wl: WorkloadProcess): string[] {
  for (const line of wl.stderrLines) {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed).toMatchObject({ t: expect.any(Number), pod: 'test-pod' });
    expect(LOG_MESSAGES).toContain(parsed.msg);
  }
  return wl.logs.map((line) => line.msg);
}

beforeAll(async () => {
  await ensureWorkloadBundle();
});

afterEach(async () => {
  for (const agent of agents.splice(0)) agent.destroy();
  await killAllWorkloads();
});

describe('workload endpoints', () => {
  it('serves work, health, readiness, prestop and 404, each with x-pod', async () => {
    const wl = await startWorkload({ WORK_MS: '30-60', TIME_SCALE: '0.5' });
    const { port } = wl;
    const listening = wl.logs[0]!;
    expect(listening).toMatchObject({ msg: 'listening', host: '127.0.0.1', pid: wl.child.pid, mode: 'drain' });
    expect(listening.t).toBeGreaterThan(Date.now() - 60_000);

    const started = performance.now();
    const post = await httpRequest({ port, method: 'POST', path: '/work?workMs=200', body: 'x'.repeat(100_000) });
    expect(post.endedAtMs - started).toBeGreaterThanOrEqual(190);
    expect(post).toMatchObject({ status: 200, body: { pod: 'test-pod', workMs: 200 } });
    expect(post.headers['x-pod']).toBe('test-pod');

    const ranged = await httpRequest({ port, path: '/' });
    expect(ranged.body.workMs).toBeGreaterThanOrEqual(30);
    expect(ranged.body.workMs).toBeLessThanOrEqual(60);

    for (const [path, status] of [
      ['/healthz', 200],
      ['/readyz', 200],
      ['/nowhere', 404],
      ['/work?workMs=60001', 400],
      ['/work?workMs=abc', 400],
    ] as const) {
      const res = await httpRequest({ port, path });
      expect({ path, status: res.status, pod: res.headers['x-pod'] }).toEqual({ path, status, pod: 'test-pod' });
    }

    const hookStart = performance.now();
    const hook = await httpRequest({ port, path: '/prestop?sleepMs=400' });
    expect(hook.status).toBe(200);
    const hookMs = hook.endedAtMs - hookStart;
    expect(hookMs).toBeGreaterThanOrEqual(190); // 400 ms scaled by 0.5
    expect(hookMs).toBeLessThan(390);
    expect(await wl.waitForLog('prestop-http')).toMatchObject({ sleepMs: 200 });
    expect(expectCleanLog(wl)).toEqual(['listening', 'prestop-http']);
  });

  it('rejects bad configuration with exit code 2 and one line per bad variable', async () => {
    const wl = await startWorkload(
      { PORT: 'abc', SHUTDOWN_MODE: 'sometimes', TIME_SCALE: '0', WORK_MS: '5-2', DRAIN_TIMEOUT_MS: '-1' },
      { waitListening: false },
    );
    const exit = await wl.exited;
    expect(exit.code).toBe(2);
    expect(wl.logs).toEqual([]);
    expect(wl.stderrLines).toHaveLength(5);
    for (const name of ['PORT', 'SHUTDOWN_MODE', 'TIME_SCALE', 'WORK_MS', 'DRAIN_TIMEOUT_MS']) {
      expect(wl.stderrLines.filter((line) => line.includes(`invalid ${name}=`))).toHaveLength(1);
    }
  });
});

describe('SIGTERM behaviour by SHUTDOWN_MODE', () => {
  it('exit: exits 143 at once and cuts the request in flight', async () => {
    const wl = await startWorkload({ SHUTDOWN_MODE: 'exit' });
    const inFlight = httpRequest({ port: wl.port, path: '/work?workMs=3000' });
    await sleep(300);
    const signalledAt = performance.now();
    wl.child.kill('SIGTERM');
    await expect(inFlight).rejects.toThrow(/ECONNRESET|socket hang up/);
    const exit = await wl.exited;
    expect(exit).toMatchObject({ code: 143, signal: null });
    expect(exit.atMs - signalledAt).toBeLessThan(2_000);
    expect(await wl.waitForLog('exit')).toMatchObject({ code: 143 });
    expect(expectCleanLog(wl)).toEqual(['listening', 'sigterm', 'exit']);
  });

  it('none: no handler, the process dies of SIGTERM', async () => {
    const wl = await startWorkload({ SHUTDOWN_MODE: 'none' });
    const agent = keepAliveAgent();
    expect((await httpRequest({ port: wl.port, agent })).status).toBe(200);
    wl.child.kill('SIGTERM');
    expect(await wl.exited).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(expectCleanLog(wl)).toEqual(['listening']);
  });

  it('ignore: logs SIGTERM, keeps serving and accepting, dies only of SIGKILL', async () => {
    const wl = await startWorkload({ SHUTDOWN_MODE: 'ignore' });
    const agent = keepAliveAgent();
    expect((await httpRequest({ port: wl.port, agent })).status).toBe(200);
    wl.child.kill('SIGTERM');
    await wl.waitForLog('sigterm');

    const reused = await httpRequest({ port: wl.port, agent, method: 'POST', body: 'x' });
    expect(reused).toMatchObject({ status: 200, reusedSocket: true });
    expect(reused.headers.connection).toBe('keep-alive');
    expect((await httpRequest({ port: wl.port, path: '/readyz' })).status).toBe(200);
    await sleep(500);
    expect(wl.child.exitCode).toBeNull();

    wl.child.kill('SIGKILL');
    expect(await wl.exited).toMatchObject({ code: null, signal: 'SIGKILL' });
    expect(expectCleanLog(wl)).toEqual(['listening', 'sigterm']);
  });

  it('drain: finishes in-flight work, serves kept-alive sockets once, refuses new ones, closes idle ones, exits 0', async () => {
    const wl = await startWorkload({ SHUTDOWN_MODE: 'drain', DRAIN_IDLE_MS: '1000', DRAIN_TIMEOUT_MS: '15000' });
    const { port } = wl;
    const [forReady, forWork, idle, busy] = [keepAliveAgent(), keepAliveAgent(), keepAliveAgent(), keepAliveAgent()];
    const warm = await Promise.all(
      [forReady, forWork, idle].map((agent) => httpRequest({ port, agent, path: '/healthz' })),
    );
    const idleClosed = once(warm[2]!.socket, 'close').then(() => performance.now());

    const inFlight = httpRequest({ port, agent: busy, method: 'POST', path: '/work?workMs=1500', body: 'x' });
    await sleep(300);
    const signalledAt = performance.now();
    wl.child.kill('SIGTERM');
    await wl.waitForLog('drain-start');

    await expect(httpRequest({ port })).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    const ready = await httpRequest({ port, agent: forReady, path: '/readyz' });
    expect(ready).toMatchObject({ status: 503, reusedSocket: true, body: { ready: false } });
    expect(ready.headers.connection).toBe('close');

    const late = await httpRequest({ port, agent: forWork, method: 'POST', body: 'late' });
    expect(late).toMatchObject({ status: 200, reusedSocket: true });
    expect(late.headers.connection).toBe('close');
    await once(late.socket, 'close'); // the server closes it after the response

    const done = await inFlight;
    expect(done.status).toBe(200);
    expect(done.headers.connection).toBe('close');

    const idleMs = (await idleClosed) - signalledAt;
    expect(idleMs).toBeGreaterThanOrEqual(950);
    expect(idleMs).toBeLessThan(2_500);

    const exit = await wl.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.atMs - signalledAt).toBeLessThan(5_000);
    expect(await wl.waitForLog('drain-done')).toMatchObject({ requestsServed: 3, idleSocketsClosed: 1 });
    expect(await wl.waitForLog('exit')).toMatchObject({ code: 0 });
    expect(expectCleanLog(wl)).toEqual(['listening', 'sigterm', 'drain-start', 'drain-done', 'exit']);
  });

  it('drain: at the (scaled) deadline destroys what is left, logs drain-timeout and exits 1', async () => {
    // 3200 ms × 0.25 = 800 ms; unscaled it would overshoot the upper bound below.
    const wl = await startWorkload({ SHUTDOWN_MODE: 'drain', DRAIN_TIMEOUT_MS: '3200', TIME_SCALE: '0.25' });
    const inFlight = httpRequest({ port: wl.port, path: '/work?workMs=5000' });
    await sleep(300);
    const signalledAt = performance.now();
    wl.child.kill('SIGTERM');
    await expect(inFlight).rejects.toThrow(/ECONNRESET|socket hang up/);
    const exit = await wl.exited;
    expect(exit.code).toBe(1);
    expect(exit.atMs - signalledAt).toBeGreaterThanOrEqual(750);
    expect(exit.atMs - signalledAt).toBeLessThan(3_000);
    expect(await wl.waitForLog('drain-timeout')).toMatchObject({ connections: 1, inFlight: 1 });
    expect(expectCleanLog(wl)).toEqual(['listening', 'sigterm', 'drain-start', 'drain-timeout', 'exit']);
  });

  it('drain: cleans up for SHUTDOWN_CLEANUP_MS after the last connection closed, then exits 0', async () => {
    const wl = await startWorkload({ SHUTDOWN_MODE: 'drain', SHUTDOWN_CLEANUP_MS: '800', TIME_SCALE: '0.5' });
    const signalledAt = performance.now();
    wl.child.kill('SIGTERM');
    const exit = await wl.exited;
    expect(exit.code).toBe(0);
    // No connection to wait for: drain-done at once, exit after 800 ms × 0.5.
    expect(exit.atMs - signalledAt).toBeGreaterThanOrEqual(390);
    expect(exit.atMs - signalledAt).toBeLessThan(2_000);
    expect(expectCleanLog(wl)).toEqual(['listening', 'sigterm', 'drain-start', 'drain-done', 'exit']);
  });

  it('drain: TIME_SCALE compresses the ready delay and the idle period, not the service time', async () => {
    const wl = await startWorkload({
      SHUTDOWN_MODE: 'drain',
      TIME_SCALE: '0.25',
      READY_DELAY_MS: '2000',
      DRAIN_IDLE_MS: '2000',
      DRAIN_TIMEOUT_MS: '40000',
    });
    const { port } = wl;
    const agent = keepAliveAgent();
    const listenedAt = performance.now();
    expect((await httpRequest({ port, agent, path: '/readyz' })).status).toBe(503);
    let readyAfterMs = Infinity;
    for (let attempt = 0; attempt < 100; attempt++) {
      const res = await httpRequest({ port, agent, path: '/readyz' });
      if (res.status === 200) {
        readyAfterMs = res.endedAtMs - listenedAt;
        break;
      }
      await sleep(20);
    }
    expect(readyAfterMs).toBeGreaterThanOrEqual(350); // 500 ms scaled, minus the time to read the log line
    expect(readyAfterMs).toBeLessThan(1_800);

    const workStart = performance.now();
    const work = await httpRequest({ port, agent, path: '/work?workMs=300' });
    expect(work.endedAtMs - workStart).toBeGreaterThanOrEqual(290);

    const socket = work.socket;
    const closed = once(socket, 'close').then(() => performance.now());
    const signalledAt = performance.now();
    wl.child.kill('SIGTERM');
    expect(await wl.waitForLog('drain-start')).toMatchObject({ idleMs: 500, timeoutMs: 10_000 });
    const idleMs = (await closed) - signalledAt;
    expect(idleMs).toBeGreaterThanOrEqual(450);
    expect(idleMs).toBeLessThan(1_800);
    expect(await wl.exited).toMatchObject({ code: 0 });
    expect(expectCleanLog(wl)).toEqual(['listening', 'sigterm', 'drain-start', 'drain-done', 'exit']);
  });
});
