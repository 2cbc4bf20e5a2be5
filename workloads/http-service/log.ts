import { writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { AppLogMessage } from '../../harness/model/events.ts';

/** Every lifecycle message the workload logs; `prestop-http` marks an httpGet preStop hook arriving. */
export type LogMessage = AppLogMessage | 'prestop-http';

/** Extra fields of a log line; the three fixed fields cannot be overridden. */
export type LogDetail = Record<string, unknown> & { t?: never; msg?: never; pod?: never };

/** Writes one lifecycle line: `{"t", "msg", "pod", ...detail}` on stderr. */
export type Logger = (msg: LogMessage, detail?: LogDetail) => void;

/**
 * A logger that writes synchronously: the `exit` line is written right before process.exit(), and an
 * asynchronous stderr pipe would lose it.
 */
export function createLogger(pod: string): Logger {
  return (msg, detail = {}) => {
    const t = performance.timeOrigin + performance.now();
    writeStderrLine(JSON.stringify({ t, msg, pod, ...detail }));
  };
}

const BLOCKED_RETRIES = 1_000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Writes `line` and a newline to fd 2 synchronously, waiting (bounded) while a full pipe says EAGAIN. */
export function writeStderrLine(line: string): void {
  let rest = Buffer.from(`${line}\n`);
  for (let attempt = 0; rest.length > 0 && attempt < BLOCKED_RETRIES;) {
    try {
      rest = rest.subarray(writeSync(2, rest));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return; // stderr is gone: nobody to tell
      attempt++;
      Atomics.wait(sleeper, 0, 0, 1);
    }
  }
}
