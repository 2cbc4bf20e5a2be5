import { afterEach, describe, expect, it } from 'vitest';
import { createClock } from '../core/clock.ts';
import { DEFAULT_LOAD_PROFILE, type LoadProfile } from '../model/load-profile.ts';
import type { RequestSample } from '../model/sample.ts';
import { BuiltinLoadGenerator } from './builtin-generator.ts';
import { eventually, startHttpServer, startNetServer, testProfile, type TestServer } from './test-servers.ts';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function run(port: number, profile: LoadProfile, maxDurationMs: number, stop = new AbortController().signal) {
  const clock = createClock();
  const samples: RequestSample[] = [];
  const startedAt = clock.now();
  const summary = await new BuiltinLoadGenerator().run({
    target: { host: '127.0.0.1', port },
    profile,
    clock,
    onSample: (s) => samples.push(s),
    stop,
    maxDurationMs,
    seed: 7,
  });
  return { summary, samples, elapsedMs: clock.now() - startedAt };
}

/** Answers 200 after the requested work time, naming the connection in x-pod. */
function workServer(extraDelayMs = 0) {
  return startHttpServer((req, res, connectionId) => {
    const workMs = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('workMs'));
    req.resume();
    req.on('end', () =>
      setTimeout(() => res.writeHead(200, { 'x-pod': connectionId }).end('ok'), workMs + extraDelayMs),
    );
  });
}

const DEFAULT_TIMEOUT_MS = DEFAULT_LOAD_PROFILE.timeoutMs;

describe('BuiltinLoadGenerator', () => {
  it('holds 200 req/s for 10 s on an exact schedule', { timeout: 30_000 }, async () => {
    const server = await workServer();
    servers.push(server);
    const { summary, samples, elapsedMs } = await run(server.port, testProfile({ rate: 200, maxVUs: 200 }), 10_000);

    expect(summary).toMatchObject({ scheduled: 2000, dropped: 0, started: 2000, engine: 'builtin' });
    expect(samples).toHaveLength(2000);
    // The rate is that of the starts; the run's wall time also holds the last responses and, on a busy machine, a
    // stall before run() returns, which say nothing about the rate. It must still end by itself within the timeout.
    const starts = samples.map((s) => s.startMs);
    const spanS = (Math.max(...starts) - Math.min(...starts) + 5) / 1000;
    expect(Math.abs(summary.started / spanS - 200) / 200).toBeLessThan(0.02);
    expect(elapsedMs).toBeLessThan(10_000 + DEFAULT_TIMEOUT_MS);
    expect(samples.filter((s) => s.cause !== null)).toEqual([]);
    const scheduled = samples.map((s) => s.scheduledMs).sort((a, b) => a - b);
    for (let i = 1; i < scheduled.length; i++) expect(scheduled[i]! - scheduled[i - 1]!).toBeCloseTo(5, 6);
    const lateness = samples.map((s) => s.startMs - s.scheduledMs).sort((a, b) => a - b);
    expect(lateness[0]).toBeGreaterThanOrEqual(0);
    expect(lateness[Math.floor(lateness.length / 2)]).toBeLessThan(5);
  });

  it('drops and counts arrivals when every VU is busy', { timeout: 10_000 }, async () => {
    const server = await workServer(1000);
    servers.push(server);
    const { summary, samples } = await run(server.port, testProfile({ rate: 50, maxVUs: 5 }), 1000);

    expect(summary.dropped).toBeGreaterThan(0);
    expect(summary.vus).toBe(5);
    expect(summary.scheduled).toBe(50);
    expect(summary.scheduled).toBe(summary.started + summary.dropped);
    expect(samples).toHaveLength(summary.started);
  });

  it('catches up after a late timer without drifting', { timeout: 10_000 }, async () => {
    const server = await workServer();
    servers.push(server);
    // Block the event loop for 300 ms in the middle of the run.
    setTimeout(() => {
      const until = Date.now() + 300;
      while (Date.now() < until);
    }, 200);
    const { summary, samples } = await run(server.port, testProfile({ rate: 100, maxVUs: 100 }), 1000);

    expect(summary).toMatchObject({ scheduled: 100, started: 100, dropped: 0 });
    expect(samples.filter((s) => s.startMs - s.scheduledMs > 100).length).toBeGreaterThanOrEqual(15);
    const scheduled = samples.map((s) => s.scheduledMs).sort((a, b) => a - b);
    expect(scheduled[99]! - scheduled[0]!).toBeCloseTo(990, 6);
  });

  it('sends the seeded service times in [min, max], the same for the same seed', { timeout: 10_000 }, async () => {
    const seen: number[][] = [[], []];
    let runIndex = 0;
    const server = await startHttpServer((req, res) => {
      seen[runIndex]!.push(Number(new URL(req.url ?? '/', 'http://x').searchParams.get('workMs')));
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    servers.push(server);
    // As many VUs as arrivals: a scheduler stall makes the generator catch up several arrivals at once, and none may
    // be dropped for the two runs to send the same 30.
    const profile = testProfile({ rate: 100, maxVUs: 30, workMs: { min: 10, max: 20 } });
    await run(server.port, profile, 300);
    runIndex = 1;
    await run(server.port, profile, 300);

    expect(seen[0]).toHaveLength(30);
    // Sorted: two connections may swap the arrival order of neighbouring requests.
    expect([...seen[0]!].sort()).toEqual([...seen[1]!].sort());
    expect(Math.min(...seen[0]!)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...seen[0]!)).toBeLessThanOrEqual(20);
    expect(new Set(seen[0]).size).toBeGreaterThan(3);
  });

  it('keeps one connection per VU with keep-alive, used least recently first', { timeout: 10_000 }, async () => {
    // A slow first 300 ms makes the generator open many connections; afterwards requests are quick, so one or two
    // connections would carry the load. FIFO reuse keeps rotating through all of them; LIFO would reuse the most
    // recently freed one and leave the others idle.
    let firstRequestAt: number | undefined;
    const server = await startHttpServer((req, res, connectionId) => {
      firstRequestAt ??= Date.now();
      const delayMs = Date.now() - firstRequestAt < 300 ? 200 : 2;
      req.resume();
      req.on('end', () => setTimeout(() => res.writeHead(200, { 'x-pod': connectionId }).end('ok'), delayMs));
    });
    servers.push(server);
    const { summary, samples } = await run(server.port, testProfile({ rate: 100, maxVUs: 40 }), 2000);

    expect(summary.started).toBe(200);
    expect(server.connections).toBeLessThanOrEqual(summary.vus);
    expect(server.connections).toBeGreaterThanOrEqual(10);
    expect(samples.filter((s) => !s.reused)).toHaveLength(server.connections);
    // Judge the second second, over the connections that existed by then: one opened later (a scheduling stall on
    // a busy machine) joins the rotation late and is left out.
    const uses = new Map<string, { first: number; late: number }>();
    for (const s of [...samples].sort((a, b) => a.startMs - b.startMs)) {
      const u = uses.get(s.pod ?? '?') ?? { first: s.startMs, late: 0 };
      if (s.startMs >= 1000) u.late++;
      uses.set(s.pod ?? '?', u);
    }
    const early = [...uses.values()].filter((u) => u.first < 1000);
    const mean = early.reduce((sum, u) => sum + u.late, 0) / early.length;
    expect(early.length).toBeGreaterThanOrEqual(10);
    expect(Math.min(...early.map((u) => u.late))).toBeGreaterThan(mean * 0.5);
    expect(await eventually(() => server.open() === 0)).toBe(true);
  });

  it('opens one connection per request without keep-alive', { timeout: 10_000 }, async () => {
    const server = await workServer();
    servers.push(server);
    // Room for a catch-up burst after a scheduler stall: no arrival may be dropped.
    const { summary, samples } = await run(server.port, testProfile({ rate: 100, maxVUs: 50, keepAlive: false }), 500);

    expect(summary.started).toBe(50);
    expect(server.connections).toBe(50);
    expect(samples.every((s) => !s.reused && s.cause === null)).toBe(true);
  });

  it('dials a new connection when the server answered Connection: close', { timeout: 10_000 }, async () => {
    const server = await startHttpServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { connection: 'close' }).end('ok'));
    });
    servers.push(server);
    // A VU is free again long before the next arrival, so VUs are reused and must redial; the bound only leaves room
    // for a catch-up burst after a scheduler stall, which would otherwise drop arrivals.
    const { summary, samples } = await run(server.port, testProfile({ rate: 50, maxVUs: 20 }), 400);

    expect(summary.started).toBe(20);
    expect(server.connections).toBe(20);
    expect(samples.every((s) => !s.reused && s.cause === null)).toBe(true);
  });

  it('stops promptly on abort and leaves no socket open', { timeout: 10_000 }, async () => {
    const server = await startNetServer((socket) => socket.resume());
    servers.push(server);
    const controller = new AbortController();
    let abortedAt = 0;
    setTimeout(() => {
      abortedAt = performance.now();
      controller.abort();
    }, 300);
    const timeoutMs = 1500;
    const { summary, samples } = await run(
      server.port,
      testProfile({ rate: 50, maxVUs: 100, timeoutMs }),
      60_000,
      controller.signal,
    );
    const resolvedAfterAbortMs = performance.now() - abortedAt;

    expect(resolvedAfterAbortMs).toBeLessThan(timeoutMs + 1000);
    expect(summary.started).toBeGreaterThan(5);
    expect(summary.started).toBeLessThan(30);
    expect(samples).toHaveLength(summary.started);
    expect(samples.every((s) => s.cause === 'timeout' && s.status === 0)).toBe(true);
    expect(await eventually(() => server.open() === 0)).toBe(true);
  });

  it('schedules nothing when stopped before it starts', async () => {
    const controller = new AbortController();
    controller.abort();
    const { summary, samples } = await run(1, testProfile({ rate: 100 }), 1000, controller.signal);
    expect(summary).toEqual({ scheduled: 0, dropped: 0, started: 0, vus: 0, engine: 'builtin' });
    expect(samples).toEqual([]);
  });

  it('rejects with the error of a throwing onSample, after the started requests finished', async () => {
    const server = await workServer();
    servers.push(server);
    let calls = 0;
    const result = new BuiltinLoadGenerator().run({
      target: { host: '127.0.0.1', port: server.port },
      profile: testProfile({ rate: 100 }),
      clock: createClock(),
      onSample: () => {
        calls++;
        throw new Error('sink full');
      },
      stop: new AbortController().signal,
      maxDurationMs: 5000,
    });
    await expect(result).rejects.toThrow('sink full');
    expect(calls).toBe(1);
    expect(await eventually(() => server.open() === 0)).toBe(true);
  });

  it('rejects an impossible profile, naming every problem', async () => {
    const run = new BuiltinLoadGenerator().run({
      target: { host: '127.0.0.1', port: 0 },
      profile: testProfile({ rate: 0, maxVUs: 0, workMs: { min: 5, max: 1 } }),
      clock: createClock(),
      onSample: () => {},
      stop: new AbortController().signal,
      maxDurationMs: 1000,
    });
    await expect(run).rejects.toThrow(/rate[\s\S]*maxVUs[\s\S]*workMs[\s\S]*port/);
  });
});
