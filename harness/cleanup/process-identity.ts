import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** What identifies one process for its whole life: a PID alone may be reused after it exits. */
export interface ProcessIdentity {
  /** Process id. */
  pid: number;
  /** Start time as the OS reports it (Linux: clock ticks since boot; elsewhere: `ps -o lstart`). */
  startTime: string;
  /** Process group id, when the OS tells it. */
  pgid: number | undefined;
  /** The command line, space-joined. */
  command: string;
}

/** The identity of a running process, or undefined when no process has this pid (or it is not ours to see). */
export function readProcessIdentity(pid: number): ProcessIdentity | undefined {
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  if (process.platform === 'linux') return fromProc(pid);
  return fromPs(pid);
}

function fromProc(pid: number): ProcessIdentity | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may hold spaces and parentheses: fields are counted after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return undefined; // a zombie has exited; its group can no longer be signalled safely
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return { pid, startTime: fields[19] ?? '', pgid: Number(fields[2]), command };
  } catch {
    return undefined;
  }
}

function fromPs(pid: number): ProcessIdentity | undefined {
  try {
    // The C locale: lstart is a date in the user's language otherwise, and the pattern below would never match.
    const out = execFileSync('ps', ['-o', 'pgid=,lstart=,command=', '-p', String(pid)], {
      encoding: 'utf8',
      env: { ...process.env, LC_ALL: 'C' },
    }).trim();
    const match = /^(\d+)\s+(\w{3}\s+\w{3}\s+\d+\s+[\d:]+\s+\d{4})\s+(.*)$/.exec(out);
    if (!match) return undefined;
    return { pid, pgid: Number(match[1]), startTime: match[2]!, command: match[3]! };
  } catch {
    return undefined;
  }
}

/**
 * True when `recorded` still describes a live process: same pid, same start time, same command. This is the rule
 * that keeps the reaper and `npm run clean` from ever signalling a process the harness did not start.
 */
export function isSameProcess(recorded: Pick<ProcessIdentity, 'pid' | 'startTime' | 'command'>): boolean {
  const now = readProcessIdentity(recorded.pid);
  return now !== undefined && now.startTime === recorded.startTime && now.command === recorded.command;
}
