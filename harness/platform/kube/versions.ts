import { CoreV1Api, type KubeConfig, type V1NodeSystemInfo, VersionApi } from '@kubernetes/client-node';
import { parse } from 'yaml';

/**
 * Versions of the cluster's components the results record: `kubernetes` (the API server's gitVersion) and
 * `kubeProxyMode` when kube-proxy's ConfigMap (kube-system/kube-proxy, key config.conf, as kubeadm and kind write
 * it) is readable. An empty mode means the platform default, which is iptables on Linux. When nodes can be listed:
 * their count, and the kubelet, container runtime, OS and kernel versions (distinct values joined).
 */
export async function kubeVersions(kc: KubeConfig): Promise<Record<string, string>> {
  const versions: Record<string, string> = {};
  const info = await kc.makeApiClient(VersionApi).getCode();
  versions.kubernetes = info.gitVersion;
  try {
    const cm = await kc
      .makeApiClient(CoreV1Api)
      .readNamespacedConfigMap({ name: 'kube-proxy', namespace: 'kube-system' });
    const config = parse(cm.data?.['config.conf'] ?? '') as { mode?: unknown } | null;
    if (config && typeof config === 'object') {
      versions.kubeProxyMode = typeof config.mode === 'string' && config.mode !== '' ? config.mode : 'iptables';
    }
  } catch {
    // Not readable (RBAC, or a cluster without kube-proxy): leave it out rather than guess.
  }
  try {
    const nodes = (await kc.makeApiClient(CoreV1Api).listNode()).items;
    const distinct = (pick: (info: V1NodeSystemInfo) => string) =>
      [...new Set(nodes.flatMap((n) => (n.status?.nodeInfo ? [pick(n.status.nodeInfo)] : [])))].join(', ');
    if (nodes.length > 0) {
      versions.nodes = String(nodes.length);
      versions.kubelet = distinct((i) => i.kubeletVersion);
      versions.containerRuntime = distinct((i) => i.containerRuntimeVersion);
      versions.nodeOs = distinct((i) => i.osImage);
      versions.nodeKernel = distinct((i) => i.kernelVersion);
    }
  } catch {
    // Nodes are cluster-scoped and optional in the ClusterRole: without them the node facts are left out.
  }
  return versions;
}
