#!/usr/bin/env -S npx tsx
// Creates the harness's kind cluster (drainlab) for manual work, with the same preflight and config as a run.
// Usage: npx tsx scripts/cluster-up.ts [--kube-proxy-mode iptables|ipvs|nftables]
import { argv, echo } from 'zx';
import { InputError } from '../harness/core/errors.ts';
import { renderKindConfig } from '../harness/platform/kind/cluster-config.ts';
import { KIND_CLUSTER_NAME } from '../harness/platform/kind/kind-defaults.ts';
import { KindCli } from '../harness/platform/kind/kind-cli.ts';
import { preflightKind } from '../harness/platform/kind/preflight.ts';
import { runScript } from './run-script.ts';

await runScript(async () => {
  const mode = String(argv['kube-proxy-mode'] ?? 'iptables');
  if (!['iptables', 'ipvs', 'nftables'].includes(mode))
    throw new InputError([`--kube-proxy-mode must be iptables, ipvs or nftables, got "${mode}"`]);
  const config = renderKindConfig(mode as 'iptables' | 'ipvs' | 'nftables');
  const report = await preflightKind({ mode: 'kind', hostPorts: config.hostPorts, reuseCluster: true });
  if (report.clusterExists) {
    echo(`the kind cluster ${KIND_CLUSTER_NAME} already exists; runs use it with --reuse-cluster`);
    return;
  }
  await new KindCli({ onLine: (l) => echo(l) }).createCluster(KIND_CLUSTER_NAME, config.yaml);
  echo(`created ${KIND_CLUSTER_NAME}; run with: npm run experiment -- --platform kind --reuse-cluster`);
});
