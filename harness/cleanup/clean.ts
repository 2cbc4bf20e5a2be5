import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isSameProcess } from './process-identity.ts';
import { reapGroups } from './reap.ts';
import { listRunStates, readRunState, removeRunState, stateDir } from './run-state.ts';

/** What `npm run clean` did. */
export interface CleanReport {
  /** One line per thing removed or left alone, for the user. */
  lines: string[];
  /** Process groups SIGKILLed. */
  killed: number;
  /** State files removed. */
  stateFiles: number;
}

/**
 * Finds what earlier runs left behind through their state files and removes it: SIGKILLs each recorded process group
 * whose leader is still the very process the run started, then deletes the state file. Runs whose harness is still
 * alive are left alone. On kind, harness namespaces are deleted when the kube cleanup is part of this version.
 */
export async function cleanLeftovers(dir = stateDir()): Promise<CleanReport> {
  const report: CleanReport = { lines: [], killed: 0, stateFiles: 0 };
  for (const file of listRunStates(dir)) {
    const state = readRunState(file);
    if (!state) {
      removeRunState(file);
      report.stateFiles++;
      report.lines.push(`removed unreadable state file ${file}`);
      continue;
    }
    if (isSameProcess(state.harness)) {
      report.lines.push(`run ${state.runId} is still running (harness pid ${state.harness.pid}); left alone`);
      continue;
    }
    for (const { group, outcome } of reapGroups(state.groups)) {
      if (outcome === 'killed') {
        report.killed++;
        report.lines.push(`run ${state.runId}: killed process group ${group.pid} (${group.command})`);
      } else if (outcome === 'not-ours') {
        report.lines.push(`run ${state.runId}: pid ${group.pid} now belongs to another process; not touched`);
      }
    }
    removeRunState(file);
    report.stateFiles++;
    report.lines.push(`run ${state.runId}: removed state file (run folder ${state.runDir})`);
  }
  report.lines.push(...(await cleanKube()));
  if (report.killed === 0 && report.stateFiles === 0) report.lines.unshift('nothing left from earlier local runs');
  return report;
}

const KUBE_TIMEOUT_MS = 60_000;

// The kind cleanup is written separately and may be absent from this version: look for it instead of importing it.
async function cleanKube(): Promise<string[]> {
  const file = path.resolve(import.meta.dirname, '../platform/kube/cleanup.ts');
  if (!existsSync(file)) return ['kind: no kube cleanup in this version; skipped'];
  try {
    const mod = (await import(pathToFileURL(file).href)) as { deleteHarnessNamespaces?: () => Promise<unknown> };
    if (typeof mod.deleteHarnessNamespaces !== 'function') return ['kind: no deleteHarnessNamespaces; skipped'];
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${KUBE_TIMEOUT_MS / 1000} s`)), KUBE_TIMEOUT_MS);
    });
    const removed = await Promise.race([mod.deleteHarnessNamespaces(), timeout]).finally(() => clearTimeout(timer));
    const names = Array.isArray(removed) ? removed.map(String) : [];
    return [names.length > 0 ? `kind: deleted namespaces ${names.join(', ')}` : 'kind: no harness namespaces found'];
  } catch (error) {
    return [`kind: skipped (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`];
  }
}
