import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { PodProcess } from './pod-process.ts';
import { runPreStop, scaledExecCommand, type PreStopContext } from './prestop-hook.ts';
import { alive } from '../../cleanup/reap.ts';

const servers: Server[] = [];
const aborts: AbortController[] = [];
afterEach(async () => {
  for (const abort of aborts.splice(0)) abort.abort();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

function context(overrides: Partial<PreStopContext> = {}): PreStopContext & { abort: AbortController } {
  const abort = new AbortController();
  aborts.push(abort);
  return {
    address: undefined,
    timeScale: 0.1,
    env: { PATH: process.env.PATH ?? '' },
    signal: abort.signal,
    abort,
    ...overrides,
  };
}

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ host: string; port: number }> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { host: '127.0.0.1', port: (server.address() as AddressInfo).port };
}

describe('scaledExecCommand', () => {
  it('scales a plain sleep N and leaves everything else alone', () => {
    expect(scaledExecCommand(['sleep', '40'], 0.1)).toEqual(['sleep', '4']);
    expect(scaledExecCommand(['/bin/sleep', '5'], 0.1)).toEqual(['/bin/sleep', '0.5']);
    expect(scaledExecCommand(['/usr/bin/sleep', '1.5'], 0.01)).toEqual(['/usr/bin/sleep', '0.015']);
    expect(scaledExecCommand(['sleep', '40'], 1)).toEqual(['sleep', '40']);
    expect(scaledExecCommand(['sh', '-c', 'sleep 5'], 0.1)).toEqual(['sh', '-c', 'sleep 5']);
    expect(scaledExecCommand(['sleep', '5s'], 0.1)).toEqual(['sleep', '5s']);
    expect(scaledExecCommand(['sleep', '5', '6'], 0.1)).toEqual(['sleep', '5', '6']);
  });
});

describe('runPreStop', () => {
  it('sleep: waits seconds × timeScale, or is abandoned when aborted', async () => {
    const started = performance.now();
    expect(await runPreStop({ sleep: { seconds: 3 } }, context())).toBe('completed');
    expect(performance.now() - started).toBeGreaterThanOrEqual(297); // setTimeout may fire a ms early
    const ctx = context();
    setTimeout(() => ctx.abort.abort(), 50);
    expect(await runPreStop({ sleep: { seconds: 30 } }, ctx)).toBe('abandoned');
  });

  it('exec: a scaled sleep completes, a non-zero exit or a missing program fails', async () => {
    const started = performance.now();
    expect(await runPreStop({ exec: { command: ['sleep', '3'] } }, context())).toBe('completed');
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(1_500);
    expect(await runPreStop({ exec: { command: ['sh', '-c', 'exit 3'] } }, context())).toBe('failed');
    expect(await runPreStop({ exec: { command: ['/nonexistent/drainlab-hook'] } }, context())).toBe('failed');
  });

  it('exec: abandoning kills the hook process (and its children)', async () => {
    const ctx = context({ timeScale: 1 });
    let pid = 0;
    ctx.onExecStarted = (started) => (pid = started);
    const outcome = runPreStop({ exec: { command: ['sh', '-c', 'sleep 40 & wait'] } }, ctx);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(true);
    ctx.abort.abort();
    expect(await outcome).toBe('abandoned');
    expect(alive(pid)).toBe(false);
    expect(PodProcess.liveGroups()).toEqual([]);
  });

  it('httpGet: 2xx completes, 5xx or no address fails, no answer before the deadline is abandoned', async () => {
    const paths: string[] = [];
    const address = await serve((req, res) => {
      paths.push(req.url ?? '');
      if (req.url?.startsWith('/hang')) return;
      res.statusCode = req.url === '/prestop?sleepMs=5' ? 200 : 500;
      res.end();
    });
    expect(await runPreStop({ httpGet: { path: '/prestop?sleepMs=5', port: 8080 } }, context({ address }))).toBe(
      'completed',
    );
    expect(await runPreStop({ httpGet: { path: '/broken', port: 8080 } }, context({ address }))).toBe('failed');
    expect(await runPreStop({ httpGet: { path: '/prestop', port: 8080 } }, context())).toBe('failed');
    const ctx = context({ address });
    setTimeout(() => ctx.abort.abort(), 100);
    expect(await runPreStop({ httpGet: { path: '/hang', port: 8080 } }, ctx)).toBe('abandoned');
    expect(paths).toEqual(['/prestop?sleepMs=5', '/broken', '/hang']);
  });
});
