import { spawn } from 'node:child_process';
import path from 'node:path';
import { readProcessIdentity } from './process-identity.ts';
import { reapGroups } from './reap.ts';
import { removeRunState, stateFile, writeRunState, type RunState } from './run-state.ts';

/** Set to `1` only in tests: run without the out-of-process reaper, to show that `npm run clean` finds leftovers. */
export const NO_REAPER_ENV = 'DRAINLAB_NO_REAPER';

/** A run's registration of everything it starts, on disk, watched by a reaper process. */
export interface RunGuard {
  /** The state file naming the run's live process groups. */
  readonly stateFile: string;
  /** Pid of the reaper process, when one runs. */
  readonly reaperPid: number | undefined;
  /** The run ended (cleanly or not, but in-process): forget the state file and stop the reaper. */
  close(): void;
}

interface ActiveRun {
  file: string;
  state: RunState;
}

const active = new Set<ActiveRun>();
let exitHookInstalled = false;

/**
 * Starts guarding a run: writes its state file and, unless DRAINLAB_NO_REAPER=1, spawns a detached reaper that
 * SIGKILLs the run's registered process groups if this process dies without closing the guard.
 */
export function startRunGuard(options: { runId: string; runDir: string }): RunGuard {
  const harness = readProcessIdentity(process.pid);
  const file = stateFile(options.runId);
  const run: ActiveRun = {
    file,
    state: {
      runId: options.runId,
      runDir: options.runDir,
      harness: harness ?? { pid: process.pid, startTime: '', pgid: undefined, command: '' },
      reaper: undefined,
      groups: [],
    },
  };
  writeRunState(file, run.state);
  active.add(run);
  installExitHook();
  if (process.env[NO_REAPER_ENV] !== '1') {
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), REAPER_MAIN, file], {
      detached: true,
      stdio: 'ignore',
    });
    child.on('error', () => {}); // without a reaper, `npm run clean` still finds the state file
    child.unref();
    if (child.pid !== undefined) {
      run.state.reaper = readProcessIdentity(child.pid);
      writeRunState(file, run.state);
    }
  }
  let closed = false;
  return {
    stateFile: file,
    reaperPid: run.state.reaper?.pid,
    close() {
      if (closed) return;
      closed = true;
      finish(run);
    },
  };
}

const REAPER_MAIN = path.join(import.meta.dirname, 'reaper-main.ts');

/** Registers a process group the moment it is started, in every guarded run of this process. */
export function registerProcessGroup(pid: number): void {
  if (active.size === 0) return;
  const identity = readProcessIdentity(pid);
  if (!identity) return; // already gone
  for (const run of active) {
    run.state.groups.push(identity);
    writeRunState(run.file, run.state);
  }
}

/** The group's leader has exited (and been reaped): its pid must no longer be named. */
export function unregisterProcessGroup(pid: number): void {
  for (const run of active) {
    const before = run.state.groups.length;
    run.state.groups = run.state.groups.filter((g) => g.pid !== pid);
    if (run.state.groups.length !== before) writeRunState(run.file, run.state);
  }
}

function finish(run: ActiveRun): void {
  active.delete(run);
  removeRunState(run.file);
  const reaper = run.state.reaper;
  // The reaper exits by itself once the state file is gone; the signal only makes it quicker.
  if (reaper && readProcessIdentity(reaper.pid)?.startTime === reaper.startTime) {
    try {
      process.kill(reaper.pid, 'SIGTERM');
    } catch {
      // gone already
    }
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Synchronous, like every 'exit' listener: covers process.exit (second Ctrl-C) and uncaught errors, not SIGKILL.
  process.on('exit', () => {
    for (const run of [...active]) {
      reapGroups(run.state.groups);
      finish(run);
    }
  });
}
