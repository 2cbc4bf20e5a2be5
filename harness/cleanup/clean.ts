import { KubeConfig } from '@kubernetes/client-node';
import { KindCli } from '../platform/kind/kind-cli.ts';
import { KIND_CLUSTER_NAME } from '../platform/kind/kind-defaults.ts';
import { deleteHarnessNamespaces } from '../platform/kube/cleanup.ts';
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
 * alive are left alone. On the harness's kind cluster, the namespaces it labelled are deleted.
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

/** On the harness's kind cluster, if there is one: every namespace the harness labelled (any run). */
async function cleanKube(): Promise<string[]> {
  const cli = new KindCli();
  let clusters: string[];
  try {
    clusters = await cli.getClusters();
  } catch {
    return ['kind: not installed here; nothing to clean there'];
  }
  if (!clusters.includes(KIND_CLUSTER_NAME)) return [`kind: no ${KIND_CLUSTER_NAME} cluster`];
  let timer: NodeJS.Timeout | undefined;
  try {
    const kc = new KubeConfig();
    kc.loadFromString(await cli.getKubeconfig(KIND_CLUSTER_NAME));
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${KUBE_TIMEOUT_MS / 1000} s`)), KUBE_TIMEOUT_MS);
    });
    const names = await Promise.race([deleteHarnessNamespaces(kc), timeout]);
    return [
      names.length > 0 ? `kind: deleted namespaces ${names.join(', ')}` : 'kind: no harness namespaces found',
      `kind: the ${KIND_CLUSTER_NAME} cluster itself is kept; npm run cluster:down deletes it`,
    ];
  } catch (error) {
    return [`kind: could not clean (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`];
  } finally {
    clearTimeout(timer);
  }
}
