import { CoreV1Api, type KubeConfig, VersionApi } from '@kubernetes/client-node';
import { parse } from 'yaml';

/**
 * Versions of the cluster's components the results record: `kubernetes` (the API server's gitVersion) and
 * `kubeProxyMode` when kube-proxy's ConfigMap (kube-system/kube-proxy, key config.conf, as kubeadm and kind write
 * it) is readable. An empty mode means the platform default, which is iptables on Linux.
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
  return versions;
}
