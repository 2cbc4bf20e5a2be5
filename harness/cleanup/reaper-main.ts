// The out-of-process reaper: started detached by startRunGuard, it watches the harness and, when the harness is
// gone without having closed its run (SIGKILL, crash, closed terminal), kills what the run started.
import { isSameProcess } from './process-identity.ts';
import { reapGroups } from './reap.ts';
import { readRunState, removeRunState } from './run-state.ts';

const POLL_MS = 250;
/** A reaper never outlives this, whatever happens. */
const MAX_LIFETIME_MS = 48 * 3600_000;

const file = process.argv[2];
const startedAt = Date.now();
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => {}); // a Ctrl-C meant for the harness's terminal must not take the reaper down

function poll(): void {
  const state = file ? readRunState(file) : undefined;
  if (!state || Date.now() - startedAt > MAX_LIFETIME_MS) process.exit(0);
  if (!isSameProcess(state.harness)) {
    reapGroups(state.groups);
    removeRunState(file!);
    process.exit(0);
  }
  setTimeout(poll, POLL_MS);
}
poll();
