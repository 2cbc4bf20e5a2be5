#!/usr/bin/env -S npx tsx
// Builds the workload image and loads it (and the k6 image) into the drainlab cluster, as a run does.
// Usage: npx tsx scripts/load-image.ts [--tag drainlab/workload:dev] [--local-base] [--no-load]
//   --local-base  build from a base made of this machine's Node.js (for machines that cannot pull; Linux only)
//   --no-load     build only (no kind needed)
import { argv, echo } from 'zx';
import { buildWorkloadImage, ensureImagePresent } from '../harness/platform/kind/image-builder.ts';
import { K6_IMAGE, KIND_CLUSTER_NAME } from '../harness/platform/kind/kind-defaults.ts';
import { KindCli } from '../harness/platform/kind/kind-cli.ts';
import { buildLocalNodeBase } from '../harness/platform/kind/local-node-base.ts';
import { runScript } from './run-script.ts';

await runScript(async () => {
  const tag = String(argv.tag ?? 'drainlab/workload:dev');
  const onLine = (line: string) => echo(line);
  const base = argv['local-base'] ? await buildLocalNodeBase() : undefined;
  await buildWorkloadImage({ tag, onLine, ...(base ? { nodeImage: base, network: 'host' as const } : {}) });
  echo(`built ${tag}`);
  if (argv.load === false) return;
  await ensureImagePresent(K6_IMAGE, { onLine });
  const cli = new KindCli({ onLine });
  for (const image of [tag, K6_IMAGE]) {
    await cli.loadDockerImage(image, KIND_CLUSTER_NAME);
    echo(`loaded ${image} into ${KIND_CLUSTER_NAME}`);
  }
});
