import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { L4Proxy, type Backend } from './l4-proxy.ts';
import { seededRandom } from '../../load/seeded-random.ts';

const HOST = '127.0.0.1';
const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Deterministic randomness so spread assertions cannot flake. */
const seeded = seededRandom;

interface TestBackend extends Backend {
  server: net.Server;
  /** Sockets the backend accepted, with how each ended. */
  accepted: { socket: net.Socket; ended: Promise<string> }[];
}

/** A tiny TCP backend; by default it answers every chunk with its own name. */
async function startBackend(pod: string, onSocket?: (socket: net.Socket) => void): Promise<TestBackend> {
  const accepted: TestBackend['accepted'] = [];
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    const ended = new Promise<string>((resolve) => {
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      socket.on('close', () => resolve('close'));
    });
    accepted.push({ socket, ended });
    if (onSocket) onSocket(socket);
    else socket.on('data', () => socket.write(pod));
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  cleanups.push(() => {
    for (const { socket } of accepted) socket.destroy();
    return new Promise((resolve) => server.close(resolve));
  });
  return { pod, host: HOST, port: (server.address() as net.AddressInfo).port, server, accepted };
}

async function startProxy(backends: Backend[], random = seeded(1)): Promise<{ proxy: L4Proxy; port: number }> {
  const proxy = new L4Proxy({ random });
  proxy.setBackends(backends);
  const { port } = await proxy.listen();
  cleanups.push(() => proxy.close());
  return { proxy, port };
}

interface Probe {
  socket: net.Socket;
  /** Every byte received. */
  received: () => string;
  /** How the connection ended: 'end' (FIN), an error code such as 'ECONNRESET', or 'timeout'. */
  outcome: Promise<string>;
  /** Resolves with what was received once at least `n` bytes arrived. */
  waitBytes: (n: number) => Promise<string>;
}

/** A raw client connection that records bytes and how it ended (bounded by 5 s). */
function probe(port: number, payload?: string): Probe {
  const socket = net.connect({ host: HOST, port, allowHalfOpen: true });
  cleanups.push(() => socket.destroy());
  let text = '';
  const waiters: { n: number; resolve: (s: string) => void }[] = [];
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    text += chunk;
    for (const w of waiters.filter((w) => text.length >= w.n)) w.resolve(text);
  });
  if (payload !== undefined) socket.on('connect', () => socket.write(payload));
  const outcome = new Promise<string>((resolve) => {
    const timer = setTimeout(() => {
      resolve('timeout');
      socket.destroy();
    }, 5000);
    socket.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code ?? 'error');
    });
    socket.on('end', () => {
      clearTimeout(timer);
      resolve('end');
    });
  });
  const waitBytes = (n: number) =>
    new Promise<string>((resolve, reject) => {
      if (text.length >= n) return resolve(text);
      waiters.push({ n, resolve });
      void outcome.then((how) => reject(new Error(`expected ${n} bytes, connection ended (${how}) after "${text}"`)));
    });
  return { socket, received: () => text, outcome, waitBytes };
}

/** Asks one new connection which pod answers. */
async function whoAnswers(port: number): Promise<string> {
  const p = probe(port, '?');
  const name = await p.waitBytes(1);
  p.socket.destroy();
  return name;
}

describe('L4Proxy', () => {
  it('spreads new connections over the backends of the moment', async () => {
    const backends = await Promise.all(['a', 'b', 'c'].map((pod) => startBackend(pod)));
    const { proxy, port } = await startProxy(backends);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 60; i++) {
      const pod = await whoAnswers(port);
      counts[pod] = (counts[pod] ?? 0) + 1;
    }
    expect(Object.keys(counts).sort()).toEqual(['a', 'b', 'c']);
    for (const n of Object.values(counts)) expect(n).toBeGreaterThanOrEqual(10);

    proxy.setBackends([backends[2]!]);
    for (let i = 0; i < 10; i++) expect(await whoAnswers(port)).toBe('c');
  });

  it('resets a connection before any byte when there is no backend', async () => {
    const { port } = await startProxy([]);
    const p = probe(port, 'hello');
    expect(await p.outcome).toBe('ECONNRESET');
    expect(p.received()).toBe('');
  });

  it('resets a new connection before any byte when the backend listener is closed', async () => {
    const a = await startBackend('a');
    await new Promise((resolve) => a.server.close(resolve));
    const { proxy, port } = await startProxy([a]);
    const p = probe(port, 'hello');
    expect(await p.outcome).toBe('ECONNRESET');
    expect(p.received()).toBe('');
    await expect.poll(() => proxy.connections(), { timeout: 2000 }).toBe(0);
  });

  it('propagates half-close both ways', async () => {
    const echo = await startBackend('echo', (socket) => {
      let got = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (got += chunk));
      // Answers only after the client's FIN arrived, then sends its own FIN.
      socket.on('end', () => socket.end(`${got}|bye`));
    });
    const { port } = await startProxy([echo]);
    const p = probe(port);
    await new Promise((resolve) => p.socket.once('connect', resolve));
    p.socket.end('hello');
    expect(await p.outcome).toBe('end');
    expect(p.received()).toBe('hello|bye');
  });

  it('keeps an established connection on its pod after the backends change', async () => {
    const [a, b] = await Promise.all([startBackend('a'), startBackend('b')]);
    const { proxy, port } = await startProxy([a]);
    const kept = probe(port, '1');
    expect(await kept.waitBytes(1)).toBe('a');
    proxy.setBackends([b]);
    expect(await whoAnswers(port)).toBe('b');
    kept.socket.write('2');
    expect(await kept.waitBytes(2)).toBe('aa');
    expect(proxy.connections('a')).toBe(1);
  });

  it('resets the client when the backend resets mid-response', async () => {
    const a = await startBackend('a', (socket) => {
      socket.once('data', () => {
        socket.write('partial');
        setTimeout(() => socket.resetAndDestroy(), 50);
      });
    });
    const { port } = await startProxy([a]);
    const p = probe(port, 'GET');
    expect(await p.outcome).toBe('ECONNRESET');
    expect(p.received()).toBe('partial');
  });

  it('resetPod resets both sides of the connections pinned to that pod only', async () => {
    const [a, b] = await Promise.all([startBackend('a'), startBackend('b')]);
    const { proxy, port } = await startProxy([a]);
    const onA = [probe(port, '1'), probe(port, '1')];
    for (const p of onA) await p.waitBytes(1);
    proxy.setBackends([b]);
    const onB = probe(port, '1');
    await onB.waitBytes(1);
    expect(proxy.connections('a')).toBe(2);

    proxy.resetPod('a');
    for (const p of onA) expect(await p.outcome).toBe('ECONNRESET');
    for (const { ended } of a.accepted) expect(await ended).toBe('ECONNRESET');
    await expect.poll(() => proxy.connections('a'), { timeout: 2000 }).toBe(0);
    onB.socket.write('2');
    expect(await onB.waitBytes(2)).toBe('bb');
  });

  it('close() stops listening and destroys open connections', async () => {
    const a = await startBackend('a');
    const { proxy, port } = await startProxy([a]);
    const open = probe(port, '1');
    await open.waitBytes(1);
    await proxy.close();
    // The proxy destroys its side: the client sees a FIN (or a reset if bytes were still unread).
    expect(['end', 'ECONNRESET']).toContain(await open.outcome);
    const late = probe(port, 'x');
    expect(await late.outcome).toBe('ECONNREFUSED');
    await expect.poll(() => proxy.connections(), { timeout: 2000 }).toBe(0);
  });

  it('carries thousands of keep-alive HTTP requests', async () => {
    const server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
    cleanups.push(() => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    });
    const { port } = await startProxy([{ pod: 'a', host: HOST, port: (server.address() as net.AddressInfo).port }]);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
    cleanups.push(() => agent.destroy());
    const get = () =>
      new Promise<void>((resolve, reject) => {
        http
          .get({ host: HOST, port, agent, path: '/' }, (res) => {
            res.resume();
            res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
          })
          .on('error', reject);
      });
    const total = 3000;
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < total) {
          next++;
          await get();
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(`l4-proxy: ${total} keep-alive requests in ${seconds.toFixed(2)} s (${Math.round(total / seconds)}/s)`);
    expect(seconds).toBeLessThan(30);
  });
});
