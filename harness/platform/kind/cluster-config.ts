import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { ExperimentOptions } from '../../runner/experiment-options.ts';

/** The kind config template: `<repo>/manifests/kind/cluster.yaml`. */
export const KIND_CONFIG_TEMPLATE = fileURLToPath(new URL('../../../manifests/kind/cluster.yaml', import.meta.url));

/** What the harness reads back from a rendered kind config. */
export interface KindConfig {
  /** The YAML passed to `kind create cluster --config`. */
  yaml: string;
  /** Node images, one per node (all the same). */
  nodeImages: string[];
  /** Host ports the config maps (extraPortMappings); preflight checks that they are free. */
  hostPorts: number[];
  /** kube-proxy mode in the config. */
  kubeProxyMode: string;
}

type KindConfigDoc = {
  networking?: { kubeProxyMode?: string };
  nodes?: { image?: string; extraPortMappings?: { hostPort?: number }[] }[];
};

/** Fills the template with the kube-proxy mode and checks that every node image is pinned by digest. */
export function renderKindConfig(
  kubeProxyMode: ExperimentOptions['kind']['kubeProxyMode'],
  template = readFileSync(KIND_CONFIG_TEMPLATE, 'utf8'),
): KindConfig {
  if (!template.includes('{{kubeProxyMode}}')) {
    throw new Error(
      `the kind config template has no {{kubeProxyMode}} placeholder; restore it in ${KIND_CONFIG_TEMPLATE}`,
    );
  }
  const yaml = template.replaceAll('{{kubeProxyMode}}', kubeProxyMode);
  const doc = parse(yaml) as KindConfigDoc;
  const nodes = doc.nodes ?? [];
  const nodeImages = nodes.map((n) => n.image ?? '');
  const unpinned = nodeImages.filter((image) => !/^kindest\/node:v[\d.]+@sha256:[0-9a-f]{64}$/.test(image));
  if (nodes.length === 0 || unpinned.length > 0) {
    throw new Error(
      `every node in ${KIND_CONFIG_TEMPLATE} needs an image pinned as kindest/node:vX.Y.Z@sha256:<digest>, found ${JSON.stringify(nodeImages)}`,
    );
  }
  const hostPorts = nodes.flatMap((n) => (n.extraPortMappings ?? []).flatMap((m) => (m.hostPort ? [m.hostPort] : [])));
  return { yaml, nodeImages, hostPorts, kubeProxyMode: doc.networking?.kubeProxyMode ?? 'iptables' };
}
