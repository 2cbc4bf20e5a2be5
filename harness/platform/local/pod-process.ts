import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { createInterface } from 'node:readline';
import { HarnessError } from '../../core/errors.ts';
import { registerProcessGroup, unregisterProcessGroup } from '../../cleanup/run-guard.ts';

/** How a process ended, as a container runtime reports it. */
export interface ProcessExit {
  /** The exit code, or 128 + the signal number when a signal killed it (SIGTERM → 143, SIGKILL → 137). */
  exitCode: number;
  /** Name of the signal that killed it, or null when it exited by itself. */
  signal: NodeJS.Signals | null;
}

/** What to run and how to listen to it. */
export interface PodProcessOptions {
  /** Executable (looked up on the PATH of `env`). */
  command: string;
  /** Arguments after the executable. */
  args: readonly string[];
  /** The complete environment of the process (nothing is inherited). */
  env: Record<string, string>;
  /** Called for every line written to stderr; when absent, stderr is discarded. */
  onStderrLine?: (line: string) => void;
  /** Called for every line written to stdout; when absent, stdout is discarded. */
  onStdoutLine?: (line: string) => void;
}

/** Lines longer than this are cut before they reach the caller, so one runaway line cannot bloat the events. */
const MAX_LINE_CHARS = 64 * 1024;
/** How long to wait for stderr to reach EOF after the exit (a grandchild may hold the pipe open). */
const STDERR_DRAIN_MS = 500;

/** Every process group started here and not yet exited, across all kubelets: the exit hook kills them. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' listeners must be synchronous; process.kill is. Covers normal exit and uncaught errors, not SIGKILL.
  process.on('exit', () => {
    for (const pgid of liveGroups) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

/**
 * A child process that leads its own process group ("PID 1" of a pretend container). Signals go to the whole
 * group, and only while the leader has not been reaped, so a recycled PID is never signalled.
 */
export class PodProcess {
  /** Process id of the leader, which is also the process group id. */
  readonly pid: number;
  /** Resolves once the leader has exited and its stderr has been read to the end. */
  readonly exited: Promise<ProcessExit>;
  private exit: ProcessExit | undefined;

  private constructor(
    child: ChildProcess,
    onStderrLine: ((line: string) => void) | undefined,
    onStdoutLine: ((line: string) => void) | undefined,
  ) {
    this.pid = child.pid!;
    liveGroups.add(this.pid);
    this.exited = new Promise((resolve) => {
      let stderrDone = child.stderr === null;
      const finish = () => {
        if (this.exit && stderrDone) resolve(this.exit);
      };
      if (child.stderr && onStderrLine) {
        const lines = createInterface({ input: child.stderr, crlfDelay: Infinity });
        lines.on('line', (line) => onStderrLine(line.length > MAX_LINE_CHARS ? line.slice(0, MAX_LINE_CHARS) : line));
        lines.once('close', () => {
          stderrDone = true;
          finish();
        });
      }
      if (child.stdout && onStdoutLine) {
        const out = createInterface({ input: child.stdout, crlfDelay: Infinity });
        out.on('line', (line) => onStdoutLine(line.length > MAX_LINE_CHARS ? line.slice(0, MAX_LINE_CHARS) : line));
      }
      child.once('exit', (code, signal) => {
        // Node has reaped the leader by now: from here on its PID may be reused, so it must never be signalled.
        liveGroups.delete(this.pid);
        unregisterProcessGroup(this.pid);
        this.exit = { exitCode: code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0), signal };
        if (!stderrDone) {
          setTimeout(() => {
            stderrDone = true;
            child.stderr?.destroy();
            child.stdout?.destroy();
            finish();
          }, STDERR_DRAIN_MS).unref();
        }
        finish();
      });
    });
  }

  /** Starts the process in its own group; rejects with what failed when it cannot be started. */
  static start(options: PodProcessOptions): Promise<PodProcess> {
    installExitHook();
    const child = spawn(options.command, [...options.args], {
      detached: true,
      env: options.env,
      stdio: ['ignore', options.onStdoutLine ? 'pipe' : 'ignore', options.onStderrLine ? 'pipe' : 'ignore'],
    });
    // Recorded on disk before anything else can happen, so a reaper or `npm run clean` can find it after a crash.
    if (child.pid !== undefined) registerProcessGroup(child.pid);
    return new Promise((resolve, reject) => {
      child.on('error', (error) => {
        if (child.pid !== undefined) return; // a later error on a running child: its exit tells the rest
        reject(
          new HarnessError(
            'spawn-failed',
            `could not start ${[options.command, ...options.args].join(' ')}: ${error.message}`,
            {
              hint: 'check that the command exists and is executable (for a pod: what resolveImage returns for its image)',
              cause: error,
            },
          ),
        );
      });
      child.once('spawn', () => resolve(new PodProcess(child, options.onStderrLine, options.onStdoutLine)));
    });
  }

  /** Process group ids of every started process (of any kubelet) that has not exited yet. */
  static liveGroups(): number[] {
    return [...liveGroups];
  }

  /** True until the leader has exited. */
  get alive(): boolean {
    return this.exit === undefined;
  }

  /** Sends `signal` to the whole process group; false when the leader has already exited. */
  signal(signal: 'SIGTERM' | 'SIGKILL'): boolean {
    if (!this.alive) return false;
    try {
      process.kill(-this.pid, signal);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * SIGTERM as a container runtime delivers it to a container's PID 1: to the leader only (a child of a shell that
   * did not `exec` gets nothing), and only when the leader catches SIGTERM, because the init of a PID namespace never
   * gets a signal it has no handler for (pid_namespaces(7)). `not-caught`: not sent, as in the container.
   */
  terminateAsPid1(): 'delivered' | 'not-caught' | 'gone' {
    if (!this.alive) return 'gone';
    if (!catchesSignal(this.pid, constants.signals.SIGTERM)) return 'not-caught';
    try {
      process.kill(this.pid, 'SIGTERM');
      return 'delivered';
    } catch {
      return 'gone';
    }
  }
}

/**
 * True when process `pid` has a handler for signal number `signal` (the SigCgt mask of /proc/<pid>/status). When
 * /proc cannot be read (not Linux), true: the signal is then sent as any kill would send it.
 */
export function catchesSignal(pid: number, signal: number): boolean {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return true;
  }
  const mask = /^SigCgt:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  if (mask === undefined) return true;
  return (BigInt(`0x${mask}`) & (1n << BigInt(signal - 1))) !== 0n;
}
