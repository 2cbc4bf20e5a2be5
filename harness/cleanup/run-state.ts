import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ProcessIdentity } from './process-identity.ts';

/** One run's record of what it started, kept on disk so that it can be found after a crash. */
export interface RunState {
  /** The run id. */
  runId: string;
  /** The run folder. */
  runDir: string;
  /** The harness process. */
  harness: ProcessIdentity;
  /** The reaper watching the harness, when one was started. */
  reaper: ProcessIdentity | undefined;
  /** Every process group started and not yet seen to exit; the leader's identity names the group. */
  groups: ProcessIdentity[];
}

/** Where state files live: `$DRAINLAB_STATE_DIR`, or `<tmp>/drainlab/state`. */
export function stateDir(): string {
  return process.env['DRAINLAB_STATE_DIR'] ?? path.join(os.tmpdir(), 'drainlab', 'state');
}

/** The state file of a run. */
export function stateFile(runId: string, dir = stateDir()): string {
  return path.join(dir, `${runId}.json`);
}

/** Writes the state synchronously and atomically: it must be on disk before the process it names can outlive us. */
export function writeRunState(file: string, state: RunState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(state, null, 1));
  renameSync(temp, file);
}

/** The state in `file`, or undefined when it is gone or unreadable. */
export function readRunState(file: string): RunState | undefined {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as RunState;
    return typeof data.runId === 'string' && Array.isArray(data.groups) ? data : undefined;
  } catch {
    return undefined;
  }
}

/** Removes a state file; missing is fine. */
export function removeRunState(file: string): void {
  rmSync(file, { force: true });
}

/** Every state file in `dir`. */
export function listRunStates(dir = stateDir()): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}
