#!/usr/bin/env -S npx tsx
// Deletes the harness's kind cluster (drainlab); nothing else. Usage: npx tsx scripts/cluster-down.ts
import { echo } from 'zx';
import { KIND_CLUSTER_NAME } from '../harness/platform/kind/kind-defaults.ts';
import { KindCli } from '../harness/platform/kind/kind-cli.ts';
import { runScript } from './run-script.ts';

await runScript(async () => {
  const cli = new KindCli();
  if (!(await cli.getClusters()).includes(KIND_CLUSTER_NAME)) {
    echo(`no kind cluster named ${KIND_CLUSTER_NAME}: nothing to delete`);
    return;
  }
  await cli.deleteCluster(KIND_CLUSTER_NAME);
  echo(`deleted the kind cluster ${KIND_CLUSTER_NAME}`);
});
