import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { ReadinessProber } from './readiness-prober.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A /readyz whose answer the test sets: a status code, or 'hang' (never answers). */
async function readyz(): Promise<{ address: { host: string; port: number }; set: (s: number | 'hang') => void }> {
  let answer: number | 'hang' = 200;
  const server: Server = createServer((_req, res) => {
    if (answer === 'hang') return;
    res.statusCode = answer;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    server.closeAllConnections();
    server.close();
  });
  const address = { host: '127.0.0.1', port: (server.address() as AddressInfo).port };
  return { address, set: (s) => (answer = s) };
}

function track(prober: ReadinessProber): void {
  cleanups.push(() => prober.stop());
  prober.start();
}

async function until(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('ReadinessProber', () => {
  it('turns ready after initialDelay + successThreshold probes and not ready after failureThreshold failures', async () => {
    const server = await readyz();
    const changes: { ready: boolean; at: number }[] = [];
    const started = performance.now();
    const prober = new ReadinessProber({
      probe: {
        httpGet: { path: '/readyz', port: 8080 },
        initialDelaySeconds: 2,
        periodSeconds: 1,
        successThreshold: 3,
      },
      target: () => server.address,
      timeScale: 0.1,
      onChange: (ready) => changes.push({ ready, at: performance.now() - started }),
    });
    track(prober);
    await until('ready', () => changes.length === 1);
    // 0.2 s initial delay, then probes at 0.2, 0.3, 0.4 s.
    expect(changes[0]!.ready).toBe(true);
    expect(changes[0]!.at).toBeGreaterThanOrEqual(395);
    expect(changes[0]!.at).toBeLessThan(650);
    expect(prober.ready).toBe(true);

    server.set(503);
    const failedAt = performance.now() - started;
    await until('not ready', () => changes.length === 2);
    // Default failureThreshold 3 at 0.1 s period: between 0.2 and 0.3 s after the first failing answer.
    expect(changes[1]!.ready).toBe(false);
    expect(changes[1]!.at - failedAt).toBeGreaterThanOrEqual(195);
    expect(changes[1]!.at - failedAt).toBeLessThan(500);
  });

  it('probes first on the first period tick at or after initialDelaySeconds, like the kubelet worker', async () => {
    const server = await readyz();
    const changes: number[] = [];
    const started = performance.now();
    const prober = new ReadinessProber({
      probe: { httpGet: { path: '/readyz', port: 8080 }, initialDelaySeconds: 3, periodSeconds: 2 },
      target: () => server.address,
      timeScale: 0.1,
      onChange: () => changes.push(performance.now() - started),
    });
    track(prober);
    await until('ready', () => changes.length === 1);
    // Ticks at 0, 0.2, 0.4 s; the one at 0.2 s is inside the 0.3 s delay, so the first probe is at 0.4 s.
    expect(changes[0]!).toBeGreaterThanOrEqual(395);
    expect(changes[0]!).toBeLessThan(600);
  });

  it('counts an answer slower than timeoutSeconds, or no address yet, as a failure', async () => {
    const server = await readyz();
    let target: { host: string; port: number } | undefined = undefined;
    const changes: { ready: boolean; at: number }[] = [];
    const prober = new ReadinessProber({
      probe: { httpGet: { path: '/readyz', port: 8080 }, periodSeconds: 1, timeoutSeconds: 1, failureThreshold: 1 },
      target: () => target,
      timeScale: 0.1,
      onChange: (ready) => changes.push({ ready, at: performance.now() }),
    });
    track(prober);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(changes).toEqual([]);
    target = server.address;
    await until('ready', () => changes.length === 1);
    server.set('hang');
    const hungAt = performance.now();
    await until('timed out', () => changes.length === 2);
    expect(changes[1]!.ready).toBe(false);
    expect(changes[1]!.at - hungAt).toBeGreaterThanOrEqual(99);
    expect(changes[1]!.at - hungAt).toBeLessThan(500);
  });

  it('makes no call after stop()', async () => {
    const server = await readyz();
    let calls = 0;
    const prober = new ReadinessProber({
      probe: { httpGet: { path: '/readyz', port: 8080 }, periodSeconds: 1 },
      target: () => server.address,
      timeScale: 0.05,
      onChange: () => calls++,
    });
    prober.start();
    prober.stop();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(calls).toBe(0);
  });
});
