import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PodProcess } from '../platform/local/pod-process.ts';
import { validateApp } from './app-spec.ts';
import { listeningPorts } from './listening-ports.ts';
import { probeAppShutdown } from './shutdown-probe.ts';

const PYTHON_APP = 'python3 examples/apps/python-exits-at-once/app.py --port {port}';
const SHELL_APP = 'sh examples/apps/shell-wrapped/run.sh {port}';
const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin' };

function app(command: string, extra: Record<string, string> = {}) {
  const checked = validateApp(
    { command, readinessPath: '/healthz', request: 'POST /orders', body: '{"item":"x"}', ...extra },
    'flags',
  );
  expect(checked.problems).toEqual([]);
  return checked.spec!;
}

describe('SIGTERM as a container PID 1 gets it', { timeout: 20_000 }, () => {
  it('is not delivered to a shell without a trap, and its child keeps running', async () => {
    const child = await PodProcess.start({ command: 'sh', args: ['-c', 'sleep 30; echo done'], env });
    try {
      await new Promise((r) => setTimeout(r, 200));
      expect(child.terminateAsPid1()).toBe('not-caught');
      await new Promise((r) => setTimeout(r, 200));
      expect(child.alive).toBe(true);
    } finally {
      child.signal('SIGKILL');
      await child.exited;
    }
  });

  it('is delivered to a process with a handler', async () => {
    const child = await PodProcess.start({
      command: 'sh',
      args: ['-c', "trap 'exit 7' TERM; while :; do sleep 0.05; done"],
      env,
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(child.terminateAsPid1()).toBe('delivered');
    expect((await child.exited).exitCode).toBe(7);
  });
});

describe('listeningPorts', () => {
  it('finds the port a process group listens on', async () => {
    const lines: string[] = [];
    const child = await PodProcess.start({
      command: 'python3',
      args: [
        '-c',
        'import socket,time;s=socket.socket();s.bind(("127.0.0.1",0));s.listen();print(s.getsockname()[1],flush=True);time.sleep(30)',
      ],
      env,
      onStdoutLine: (line) => lines.push(line),
    });
    try {
      for (let i = 0; i < 50 && lines.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(listeningPorts(child.pid)).toEqual([Number(lines[0])]);
    } finally {
      child.signal('SIGKILL');
      await child.exited;
    }
  });
});

describe('probeAppShutdown measures the examples', { timeout: 60_000 }, () => {
  it('python-exits-at-once: caught SIGTERM, exits at once, cuts the requests in flight', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'drainlab-probe-'));
    try {
      const m = await probeAppShutdown({ spec: app(PYTHON_APP), logDir: dir });
      expect(m.behaviour).toBe('exits-at-once');
      expect(m.sigterm).toBe('caught');
      expect(m.killed).toBe(false);
      expect(m.exit.code).toBe(143);
      expect(m.exit.afterMs).toBeLessThan(1_000);
      expect(m.requestStatus).toBe(201);
      expect(m.inFlight.failed).toBeGreaterThan(0);
      expect(readFileSync(path.join(dir, 'probe.log'), 'utf8')).toMatch(/SIGTERM: exiting now/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shell-wrapped: SIGTERM never reaches the app, which keeps serving until SIGKILL at the bound', async () => {
    const m = await probeAppShutdown({ spec: app(SHELL_APP, { shutdownBoundSeconds: '3' }) });
    expect(m.behaviour).toBe('ignores-sigterm');
    expect(m.sigterm).toBe('not-caught');
    expect(m.killed).toBe(true);
    expect(m.exit).toMatchObject({ code: 137, signal: 'SIGKILL' });
    expect(m.exit.afterMs).toBeGreaterThanOrEqual(3_000);
    expect(m.inFlight.failed).toBe(0);
    expect(m.newConnections.accepted).toBeGreaterThan(10);
    expect(m.newConnections.lastAcceptedMs).toBeGreaterThan(2_000);
  });
});
