import type { KubeConfig } from '@kubernetes/client-node';
import { deleteHarnessNamespaces } from '../kube/cleanup.ts';
import { deployKubeCell, type KubeCellOptions } from '../kube/kube-cell.ts';
import { kubeVersions } from '../kube/versions.ts';
import type { CellDeployment } from '../platform.ts';

export type { KubeCellOptions };

/** The cluster operations KindPlatform needs, so tests can inject fakes (see kindPlatform's constructor). */
export interface KubeOps {
  /** Deploys one cell (namespace, variant objects, k6 Job) and waits until it is ready. */
  deployKubeCell(options: KubeCellOptions): Promise<CellDeployment>;
  /** Deletes the namespaces the harness labelled (this run's, or every run's). */
  deleteHarnessNamespaces(kc: KubeConfig, runId?: string): Promise<string[]>;
  /** Kubernetes and kube-proxy versions of the cluster. */
  kubeVersions(kc: KubeConfig): Promise<Record<string, string>>;
}

/** The real kube layer. */
export const defaultKubeOps: KubeOps = { deployKubeCell, deleteHarnessNamespaces, kubeVersions };
