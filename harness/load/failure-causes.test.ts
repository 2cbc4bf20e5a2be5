import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createClock } from '../core/clock.ts';
import type { LoadProfile } from '../model/load-profile.ts';
import type { RequestSample } from '../model/sample.ts';
import { BuiltinLoadGenerator } from './builtin-generator.ts';
import {
  closedPort,
  eventually,
  startHttpServer,
  startNetServer,
  testProfile,
  type TestServer,
} from './test-servers.ts';

// Real sockets against misbehaving loopback peers: what each failure looks like to the client, and its cause.
// Without an oracle a time window tells a refusal (reset or EOF right after connecting) from a reset mid-request. The
// product's window is 10 ms; client and server here share one process, and on a busy machine a scheduler stall
// between the two events outlasts that. These tests use a 250 ms window and peers that fail at once or after 1 s,
// so they check the mechanism, not the machine; the boundary itself is unit-tested in classify-failure.test.ts.
const WINDOW_MS = 250;

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Sends `count` requests 100 ms apart through a single VU. */
async function send(port: number, count: number, overrides: Partial<LoadProfile> = {}): Promise<RequestSample[]> {
  const samples: RequestSample[] = [];
  const profile = testProfile({ rate: 10, maxVUs: 1, ...overrides });
  const summary = await new BuiltinLoadGenerator().run({
    target: { host: '127.0.0.1', port },
    profile,
    clock: createClock(),
    refusedWindowMs: WINDOW_MS,
    onSample: (s) => samples.push(s),
    stop: new AbortController().signal,
    // `count` arrivals: the last one half an interval before the end.
    maxDurationMs: count * (1000 / profile.rate) - 500 / profile.rate,
  });
  expect(summary).toMatchObject({ scheduled: count, started: count, dropped: 0 });
  return samples;
}

async function net_(onConnection: (socket: net.Socket) => void): Promise<TestServer> {
  const server = await startNetServer(onConnection);
  servers.push(server);
  return server;
}

async function http_(status: number, headers: Record<string, string> = {}): Promise<TestServer> {
  const server = await startHttpServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(status, headers).end('body'));
  });
  servers.push(server);
  return server;
}

describe('failure causes seen by the builtin generator', () => {
  it('a port with no listener is refused', async () => {
    const [sample] = await send(await closedPort(), 1);
    expect(sample).toMatchObject({ cause: 'refused', status: 0, reused: false, pod: null });
  });

  it('a reset right after accept, before any byte, is refused', async () => {
    const server = await net_((socket) => socket.resetAndDestroy());
    expect(await send(server.port, 2)).toMatchObject([
      { cause: 'refused', reused: false },
      { cause: 'refused', reused: false },
    ]);
  });

  it('a reset when the request arrives on a fresh connection is refused', async () => {
    const server = await net_((socket) => socket.once('data', () => socket.resetAndDestroy()));
    expect(await send(server.port, 1)).toMatchObject([{ cause: 'refused', reused: false }]);
  });

  it('an EOF right after accept on a fresh connection is refused', async () => {
    const server = await net_((socket) => socket.once('data', () => socket.end()));
    expect(await send(server.port, 1)).toMatchObject([{ cause: 'refused', reused: false }]);
  });

  it('a reset of a kept-alive connection at the second request is a reset, reused', async () => {
    const seen = new WeakMap<object, number>();
    const server = await startHttpServer((req, res) => {
      const n = (seen.get(req.socket) ?? 0) + 1;
      seen.set(req.socket, n);
      if (n === 2) {
        req.socket.resetAndDestroy();
        return;
      }
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    servers.push(server);
    expect(await send(server.port, 2)).toMatchObject([
      { cause: null, status: 200, reused: false },
      { cause: 'reset', status: 0, reused: true },
    ]);
  });

  it('a process dying mid-request on a fresh connection is a reset', async () => {
    const server = await net_((socket) =>
      socket.once('data', () => setTimeout(() => socket.resetAndDestroy(), 4 * WINDOW_MS)),
    );
    expect(await send(server.port, 1)).toMatchObject([{ cause: 'reset', status: 0, reused: false }]);
  });

  it('half a response then destroy is a reset', async () => {
    const server = await net_((socket) =>
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\nx-pod: half\r\n\r\nonly a part');
        setTimeout(() => socket.destroy(), 20);
      }),
    );
    expect(await send(server.port, 1)).toMatchObject([{ cause: 'reset', status: 200, pod: 'half' }]);
  });

  it('half a status line then destroy is a reset', async () => {
    const server = await net_((socket) => socket.once('data', () => socket.end('HTTP/1.1 2')));
    expect(await send(server.port, 1)).toMatchObject([{ cause: 'reset', status: 0 }]);
  });

  it('a server that never answers is a timeout, bounded by timeoutMs', async () => {
    const server = await net_((socket) => socket.resume());
    const [sample] = await send(server.port, 1, { timeoutMs: 300 });
    expect(sample).toMatchObject({ cause: 'timeout', status: 0 });
    expect(sample!.durationMs).toBeGreaterThanOrEqual(299);
    expect(sample!.durationMs).toBeLessThan(1000);
    expect(await eventually(() => server.open() === 0)).toBe(true);
  });

  it('a timeout on a kept-alive connection makes the next request dial afresh', async () => {
    let count = 0;
    const server = await startHttpServer((req, res) => {
      count++;
      req.resume();
      if (count !== 2) req.on('end', () => res.end('ok'));
    });
    servers.push(server);
    // Arrivals 250 ms apart: the one VU is free again even when the 80 ms timeout fires late on a busy machine.
    expect(await send(server.port, 3, { timeoutMs: 80, rate: 4 })).toMatchObject([
      { cause: null, reused: false },
      { cause: 'timeout', reused: true },
      { cause: null, reused: false },
    ]);
    expect(server.connections).toBe(2);
  });

  it('503 is http-5xx, 404 is other, 200 succeeds; x-pod is captured', async () => {
    const s503 = await http_(503, { 'x-pod': 'web-1' });
    const s404 = await http_(404);
    const s200 = await http_(200, { 'x-pod': 'web-2' });
    expect(await send(s503.port, 1)).toMatchObject([{ cause: 'http-5xx', status: 503, pod: 'web-1' }]);
    expect(await send(s404.port, 1)).toMatchObject([{ cause: 'other', status: 404, pod: null }]);
    expect(await send(s200.port, 1)).toMatchObject([{ cause: null, status: 200, pod: 'web-2' }]);
  });

  it('a chunked response succeeds and keeps the connection; a response that is not HTTP is other', async () => {
    const chunked = await net_((socket) =>
      socket.on('data', () =>
        socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nx-pod: c\r\n\r\n2\r\nok\r\n0\r\n\r\n'),
      ),
    );
    expect(await send(chunked.port, 2)).toMatchObject([
      { cause: null, status: 200, pod: 'c', reused: false },
      { cause: null, status: 200, pod: 'c', reused: true },
    ]);
    expect(chunked.connections).toBe(1);
    const garbage = await net_((socket) => socket.once('data', () => socket.write('SSH-2.0-OpenSSH_9.6\r\n\r\n')));
    expect(await send(garbage.port, 1)).toMatchObject([{ cause: 'other', status: 0, pod: null }]);
  });

  it('sends POST with a body, or GET without', async () => {
    const seen: string[] = [];
    const server = await startHttpServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${req.headers['content-length'] ?? '-'} ${body.length}`);
        res.end('ok');
      });
    });
    servers.push(server);
    await send(server.port, 1, { workMs: { min: 7, max: 7 } });
    await send(server.port, 1, { workMs: { min: 7, max: 7 }, method: 'GET' });
    expect(seen[0]).toMatch(/^POST \/work\?workMs=7 (\d+) \1$/);
    expect(seen[1]).toBe('GET /work?workMs=7 - 0');
  });
});
