import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { labelValue } from './names.ts';

/** Label on every namespace the harness creates: the run it belongs to. */
export const RUN_LABEL = 'drainlab/run-id';
/** Label on every namespace the harness creates: the cell it belongs to. */
export const CELL_LABEL = 'drainlab/cell';
/** Label on every namespace the harness creates: who manages it. */
export const MANAGED_BY = { key: 'app.kubernetes.io/managed-by', value: 'drainlab' } as const;

/** The label selector of the harness's namespaces: all of them, or one run's. */
export function harnessNamespaceSelector(runId?: string): string {
  const run = runId === undefined ? RUN_LABEL : `${RUN_LABEL}=${labelValue(runId)}`;
  return `${MANAGED_BY.key}=${MANAGED_BY.value},${run}`;
}

/**
 * Deletes the namespaces the harness labelled (every run's, or only `runId`'s) and returns their names. Selection is
 * by label only, so it needs no state and never touches a namespace the harness did not create. It does not wait
 * for the namespaces to be gone (Kubernetes finishes that in the background, pods within their grace periods).
 */
export async function deleteHarnessNamespaces(kc: KubeConfig, runId?: string): Promise<string[]> {
  const core = kc.makeApiClient(CoreV1Api);
  const list = await core.listNamespace({ labelSelector: harnessNamespaceSelector(runId) });
  const names: string[] = [];
  for (const ns of list.items) {
    const name = ns.metadata?.name;
    if (!name || ns.status?.phase === 'Terminating') continue;
    try {
      await core.deleteNamespace({ name, body: { propagationPolicy: 'Background' } });
      names.push(name);
    } catch (error) {
      if ((error as { code?: number }).code !== 404) throw error;
    }
  }
  return names;
}
