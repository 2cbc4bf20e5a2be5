import { isSameProcess, type ProcessIdentity } from './process-identity.ts';

/** What happened to one recorded process group. */
export interface ReapOutcome {
  /** The recorded group leader. */
  group: ProcessIdentity;
  /** `killed`: SIGKILL sent to the group; `gone`: nothing left; `not-ours`: the pid now names another process. */
  outcome: 'killed' | 'gone' | 'not-ours';
}

/**
 * SIGKILLs every recorded process group whose leader is still the very process the harness started (same pid, start
 * time and command). A pid that now names another process is never signalled.
 */
export function reapGroups(groups: readonly ProcessIdentity[]): ReapOutcome[] {
  return groups.map((group) => {
    if (!isSameProcess(group)) {
      return { group, outcome: alive(group.pid) ? 'not-ours' : 'gone' };
    }
    try {
      process.kill(-group.pid, 'SIGKILL');
      return { group, outcome: 'killed' };
    } catch {
      return { group, outcome: 'gone' };
    }
  });
}

/** True while a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
