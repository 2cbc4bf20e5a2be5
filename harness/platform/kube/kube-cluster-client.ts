import {
  AppsV1Api,
  CoreV1Api,
  type KubeConfig,
  PatchStrategy,
  type V1Pod,
  setHeaderOptions,
} from '@kubernetes/client-node';
import type { ClusterClient, PodInfo, RollingUpdateFields } from '../cluster-client.ts';

/** The selector string (`k=v,k2=v2`) of matchLabels. */
export function selectorString(matchLabels: Record<string, string>): string {
  return Object.entries(matchLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** A pod as scenarios see it. */
export function podInfo(pod: V1Pod): PodInfo {
  return {
    name: pod.metadata?.name ?? '',
    revision: pod.metadata?.labels?.['pod-template-hash'] ?? '',
    ready: pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    terminating: Boolean(pod.metadata?.deletionTimestamp),
  };
}

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/**
 * The scenario operations on a real cluster through @kubernetes/client-node: merge patches (content type
 * application/merge-patch+json) for the template annotations, the strategy and the replicas, and pod deletion that
 * keeps the pod's own grace period unless the scenario gives one (never force), propagation Background.
 */
export class KubeClusterClient implements ClusterClient {
  readonly deploymentName: string;
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;

  constructor(
    kc: KubeConfig,
    private readonly namespace: string,
    deploymentName: string,
    private readonly selector: string,
  ) {
    this.deploymentName = deploymentName;
    this.core = kc.makeApiClient(CoreV1Api);
    this.apps = kc.makeApiClient(AppsV1Api);
  }

  async patchTemplateAnnotations(annotations: Record<string, string>): Promise<void> {
    const body = { spec: { template: { metadata: { annotations } } } };
    await this.apps.patchNamespacedDeployment(
      { name: this.deploymentName, namespace: this.namespace, body },
      mergePatch,
    );
  }

  async deletePod(name: string, gracePeriodSeconds?: number): Promise<void> {
    const body = {
      propagationPolicy: 'Background',
      ...(gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds }),
    };
    await this.core.deleteNamespacedPod({ name, namespace: this.namespace, body });
  }

  async setRollingUpdate(rollingUpdate: RollingUpdateFields): Promise<void> {
    const body = { spec: { strategy: { type: 'RollingUpdate', rollingUpdate } } };
    await this.apps.patchNamespacedDeployment(
      { name: this.deploymentName, namespace: this.namespace, body },
      mergePatch,
    );
  }

  async scale(replicas: number): Promise<void> {
    const body = { spec: { replicas } };
    await this.apps.patchNamespacedDeployment(
      { name: this.deploymentName, namespace: this.namespace, body },
      mergePatch,
    );
  }

  async listPods(): Promise<PodInfo[]> {
    const list = await this.core.listNamespacedPod({ namespace: this.namespace, labelSelector: this.selector });
    // creationTimestamp has 1 s resolution: ties are broken by name so the order is at least stable.
    const key = (p: V1Pod) => new Date(p.metadata?.creationTimestamp ?? 0).getTime();
    const pods = [...list.items].sort(
      (a, b) => key(a) - key(b) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''),
    );
    return pods.map(podInfo);
  }
}
