import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ensureWorkloadBundle } from '../../workloads/bundle.ts';

/** A workload server started for a benchmark. */
export interface WorkloadProcess {
  /** Port on 127.0.0.1. */
  port: number;
  /** OS process id. */
  pid: number;
  /** Sends SIGKILL and waits for the exit. */
  stop(): Promise<void>;
}

const START_LIMIT_MS = 15_000;

/** Whether an executable `name` is in one of PATH's folders. */
export function onPath(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      accessSync(path.join(dir || '.', name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const hasTaskset = onPath('taskset');

/** Runs `command` pinned to `cpu` with taskset when it is available (util-linux), else unpinned. */
export function pinned(cpu: number | undefined, command: string, args: string[]): [string, string[]] {
  return cpu === undefined || !hasTaskset ? [command, args] : ['taskset', ['-c', String(cpu), command, ...args]];
}

/**
 * Starts workloads/http-service on 127.0.0.1 with a free port (no work per request, draining on SIGTERM), optionally
 * pinned to one CPU, and resolves once its `listening` log line names the port.
 */
export async function startWorkload(cpu?: number): Promise<WorkloadProcess> {
  const bundle = await ensureWorkloadBundle();
  const [command, args] = pinned(cpu, process.execPath, [bundle]);
  const child = spawn(command, args, {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', WORK_MS: '0', SHUTDOWN_MODE: 'drain', POD_NAME: 'bench' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  try {
    const port = await readPort(child);
    return { port, pid: child.pid ?? -1, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function readPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stderr! });
    const timer = setTimeout(
      () => reject(new Error(`expected the workload to log "listening" within ${START_LIMIT_MS} ms; it did not`)),
      START_LIMIT_MS,
    );
    child.once('exit', (code) => reject(new Error(`the workload exited (code ${code}) before it was listening`)));
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'listening' && typeof entry.port === 'number') {
          clearTimeout(timer);
          resolve(entry.port);
        }
      } catch {
        // not a log line of ours
      }
    });
  });
}
