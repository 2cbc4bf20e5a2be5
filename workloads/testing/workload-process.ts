import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { ensureWorkloadBundle } from '../bundle.ts';

/** One parsed lifecycle line of the workload. */
export interface WorkloadLogLine {
  /** Epoch ms with decimals. */
  t: number;
  /** Lifecycle message name. */
  msg: string;
  /** Pod name the workload reports. */
  pod: string;
  /** Any detail field. */
  [key: string]: unknown;
}

/** How the process ended, and when (performance.now() of the test process). */
export interface WorkloadExit {
  /** Exit code, null when killed by a signal. */
  code: number | null;
  /** Signal that killed it, or null. */
  signal: NodeJS.Signals | null;
  /** performance.now() at the exit event. */
  atMs: number;
}

/** A running workload process for tests. */
export interface WorkloadProcess {
  /** The OS process. */
  child: ChildProcess;
  /** Port it listens on, from its `listening` line. */
  port: number;
  /** Every stderr line so far, raw. */
  stderrLines: string[];
  /** Stderr lines that parsed as lifecycle JSON. */
  logs: WorkloadLogLine[];
  /** Resolves with the first log line with `msg` (already logged or future), rejects after `timeoutMs`. */
  waitForLog(msg: string, timeoutMs?: number): Promise<WorkloadLogLine>;
  /** Resolves when the process has ended and its stderr has been read to the end. */
  exited: Promise<WorkloadExit>;
}

const running = new Set<ChildProcess>();

/**
 * Runs the bundled workload on 127.0.0.1 with PORT=0 and the given environment; resolves once it listens.
 * Pass `waitListening: false` for processes expected to fail before listening.
 */
export async function startWorkload(
  env: Record<string, string>,
  opts: { waitListening?: boolean; timeoutMs?: number } = {},
): Promise<WorkloadProcess> {
  const bundle = await ensureWorkloadBundle();
  const child = spawn(process.execPath, [bundle], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', POD_NAME: 'test-pod', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  const stderrLines: string[] = [];
  const logs: WorkloadLogLine[] = [];
  const waiters: Array<() => void> = [];
  let partial = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      stderrLines.push(line);
      try {
        logs.push(JSON.parse(line) as WorkloadLogLine);
      } catch {
        // kept in stderrLines; tests assert that every line parses
      }
    }
    for (const wake of waiters.splice(0)) wake();
  });
  const exited = new Promise<WorkloadExit>((resolve) => {
    // 'close' (not 'exit'): stderr has been read to its end by then.
    child.once('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal, atMs: performance.now() });
    });
  });
  let stderrClosed = false;
  child.stderr?.once('close', () => {
    stderrClosed = true;
    for (const wake of waiters.splice(0)) wake();
  });

  const waitForLog = (msg: string, timeoutMs = 10_000): Promise<WorkloadLogLine> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(`workload did not log "${msg}" within ${timeoutMs} ms; stderr so far:\n${stderrLines.join('\n')}`),
        );
      }, timeoutMs);
      const check = (): void => {
        const found = logs.find((line) => line.msg === msg);
        if (found !== undefined) {
          clearTimeout(timer);
          resolve(found);
        } else if (stderrClosed) {
          clearTimeout(timer);
          reject(new Error(`workload exited without logging "${msg}"; stderr:\n${stderrLines.join('\n')}`));
        } else {
          waiters.push(check);
        }
      };
      check();
    });

  const handle: WorkloadProcess = { child, port: 0, stderrLines, logs, waitForLog, exited };
  if (opts.waitListening !== false) {
    const listening = await waitForLog('listening', opts.timeoutMs ?? 10_000);
    handle.port = Number(listening.port);
  }
  return handle;
}

/** SIGKILLs every workload still running and waits for them to end; for afterEach. */
export async function killAllWorkloads(): Promise<void> {
  const children = [...running];
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('close', () => resolve());
          if (!child.kill('SIGKILL')) resolve();
        }),
    ),
  );
}
