import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createClock } from '../../core/clock.ts';
import { BuiltinLoadGenerator } from '../../load/builtin-generator.ts';
import { DEFAULT_LOAD_PROFILE } from '../../model/load-profile.ts';
import type { RequestSample } from '../../model/sample.ts';
import { L4Proxy } from './l4-proxy.ts';

/**
 * Through the emulated proxy a refusal reaches the client as a reset of an accepted connection, which a client alone
 * cannot tell from a pod dying right after it took the request. The proxy's ground truth must separate them exactly.
 */
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

async function run(backendPort: number, withOracle: boolean): Promise<RequestSample[]> {
  const proxy = new L4Proxy();
  const address = await proxy.listen();
  closers.push(() => proxy.close());
  proxy.setBackends([{ pod: 'p', host: '127.0.0.1', port: backendPort }]);
  const samples: RequestSample[] = [];
  await new BuiltinLoadGenerator().run({
    target: address,
    profile: { ...DEFAULT_LOAD_PROFILE, rate: 100, keepAlive: false, workMs: { min: 0, max: 0 }, timeoutMs: 1000 },
    clock: createClock(),
    onSample: (s) => samples.push(s),
    stop: new AbortController().signal,
    maxDurationMs: 500,
    seed: 1,
    ...(withOracle ? { refusals: proxy } : {}),
  });
  return samples;
}

describe('refusals through the emulated proxy', () => {
  it('a pod whose listener is closed: every request is refused', async () => {
    const dead = net.createServer();
    const port = await listen(dead);
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    const samples = await run(port, true);
    expect(samples.length).toBeGreaterThanOrEqual(45);
    expect(samples.every((s) => s.cause === 'refused')).toBe(true);
  });

  it('a pod that dies right after taking the request: every request is a reset, not a refusal', async () => {
    // The process takes the request, then is gone a moment later: well inside any time window a client could use.
    const dying = http.createServer((req) => {
      req.socket.resetAndDestroy();
    });
    const port = await listen(dying);
    const samples = await run(port, true);
    expect(samples.length).toBeGreaterThanOrEqual(45);
    expect(samples.map((s) => s.cause)).toEqual(samples.map(() => 'reset'));
  });

  it('without the proxy’s word, the client-side time window calls those fast deaths refusals', async () => {
    const dying = http.createServer((req) => {
      req.socket.resetAndDestroy();
    });
    const port = await listen(dying);
    const samples = await run(port, false);
    expect(samples.filter((s) => s.cause === 'refused').length).toBeGreaterThan(samples.length / 2);
  });
});
