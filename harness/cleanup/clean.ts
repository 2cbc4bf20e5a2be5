import { KubeConfig } from '@kubernetes/client-node';
import { KindCli } from '../platform/kind/kind-cli.ts';
import { KIND_CLUSTER_NAME } from '../platform/kind/kind-defaults.ts';
import { deleteHarnessNamespaces } from '../platform/kube/cleanup.ts';
import { loadContextKubeConfig } from '../platform/kube/context-config.ts';
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
  /** Why the cluster could not be cleaned (no answer, or it refused); the CLI prints it as an error and exits 4. */
  clusterProblem: string | undefined;
}

/** Which cluster's harness namespaces to delete: the harness's kind cluster, or a named kubeconfig context. */
export type CleanTarget = { kind: 'kind' } | { kind: 'context'; context: string };

/**
 * Finds what earlier runs left behind through their state files and removes it: SIGKILLs each recorded process group
 * whose leader is still the very process the run started, then deletes the state file. Runs whose harness is still
 * alive are left alone. On the harness's kind cluster, or on the named context instead, the namespaces it labelled are
 * deleted. A context missing from the kubeconfig is an InputError, thrown before anything is removed.
 */
export async function cleanLeftovers(dir = stateDir(), target: CleanTarget = { kind: 'kind' }): Promise<CleanReport> {
  // Resolved first: a mistyped context must stop the clean before it kills or removes anything.
  const contextConfig = target.kind === 'context' ? loadContextKubeConfig(target.context) : undefined;
  const report: CleanReport = { lines: [], killed: 0, stateFiles: 0, clusterProblem: undefined };
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
  const cluster =
    target.kind === 'context'
      ? await cleanNamespaces(`context ${target.context}`, async () => contextConfig!, [])
      : await cleanKind();
  report.lines.push(...cluster.lines);
  report.clusterProblem = cluster.problem;
  if (report.killed === 0 && report.stateFiles === 0) report.lines.unshift('nothing left from earlier local runs');
  return report;
}

const KUBE_TIMEOUT_MS = 60_000;

/** One cluster's part of the clean: lines for the user, or why it failed. */
interface ClusterClean {
  lines: string[];
  problem?: string;
}

/** On the harness's kind cluster, if there is one: every namespace the harness labelled (any run). */
async function cleanKind(): Promise<ClusterClean> {
  const cli = new KindCli();
  let clusters: string[];
  try {
    clusters = await cli.getClusters();
  } catch {
    return { lines: ['kind: not installed here; nothing to clean there'] };
  }
  if (!clusters.includes(KIND_CLUSTER_NAME)) return { lines: [`kind: no ${KIND_CLUSTER_NAME} cluster`] };
  return cleanNamespaces(
    'kind',
    async () => {
      const kc = new KubeConfig();
      kc.loadFromString(await cli.getKubeconfig(KIND_CLUSTER_NAME));
      return kc;
    },
    [`kind: the ${KIND_CLUSTER_NAME} cluster itself is kept; npm run cluster:down deletes it`],
  );
}

/** Deletes every namespace the harness labelled on one cluster, bounded in time; `label` prefixes each line. */
async function cleanNamespaces(
  label: string,
  kubeConfig: () => Promise<KubeConfig>,
  after: string[],
): Promise<ClusterClean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${KUBE_TIMEOUT_MS / 1000} s`)), KUBE_TIMEOUT_MS);
    });
    const names = await Promise.race([kubeConfig().then((kc) => deleteHarnessNamespaces(kc)), timeout]);
    return {
      lines: [
        names.length > 0 ? `${label}: deleted namespaces ${names.join(', ')}` : `${label}: no harness namespaces found`,
        ...after,
      ],
    };
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { lines: [], problem: `${label}: could not delete the harness namespaces (${why})` };
  } finally {
    clearTimeout(timer);
  }
}
