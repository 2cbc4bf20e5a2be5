import os from 'node:os';
import { HARNESS_VERSION } from '../../core/version.ts';
import { RESULTS_SCHEMA_VERSION, type ResultsFile } from '../../model/results.ts';
import type { ExperimentOptions } from '../../runner/experiment-options.ts';
import { buildMatrix } from '../../runner/cell-plan.ts';
import { findScenario } from '../../scenarios/catalog.ts';
import { findVariant } from '../../variants/catalog.ts';
import { renderVariantYaml } from '../../variants/render-manifest.ts';
import type { Variant } from '../../variants/variant.ts';
import { describeK6Invocation, k6RunSeconds } from '../kube/k6-job.ts';
import { kubeCellNamespace } from '../kube/names.ts';
import { renderKindConfig } from './cluster-config.ts';
import { commandLine } from './command.ts';
import { workloadBuildArgs } from './image-builder.ts';
import { K6_IMAGE, KIND_CLUSTER_NAME, KIND_WAIT, WORKLOAD_IMAGE_ENV, workloadImageTag } from './kind-defaults.ts';

/** A copy of the variant whose containers run `image` (the catalog's objects stay untouched). */
export function withImage(variant: Variant, image: string): Variant {
  const copy = structuredClone(variant);
  for (const container of copy.deployment.spec?.template.spec?.containers ?? []) container.image = image;
  return copy;
}

/**
 * What a real run would do, as text to check by eye (`--dry-run`): the kind config, the image commands, every
 * selected variant's manifests with the run's image, and the k6 invocation of each variant's first cell. Pure: it
 * runs no command and creates nothing.
 */
export function renderDryRun(options: ExperimentOptions, env: NodeJS.ProcessEnv = process.env): string {
  const variants = options.variants.map(
    (name) => options.customVariants?.find((v) => v.name === name) ?? findVariant(name)!,
  );
  const scenarios = options.scenarios.map(
    (name) => options.customScenarios?.find((s) => s.name === name) ?? findScenario(name)!,
  );
  const cells = buildMatrix(variants, scenarios, options.repetitions);
  const out: string[] = [
    `# drainlab dry run ${options.runId}: platform ${options.platform}, ${cells.length} cell(s); nothing was created`,
  ];
  if (options.platform !== 'kind') {
    out.push(
      `# load: ${options.loadEngine} generator, ${options.load.rate} req/s ${options.load.method}, keep-alive ${options.load.keepAlive ? 'on' : 'off'}`,
    );
    for (const v of variants) out.push(`\n# --- manifests: ${v.name} ---`, renderVariantYaml(v).trimEnd());
    return `${out.join('\n')}\n`;
  }
  const context = options.kind.context;
  const image = context
    ? (env[WORKLOAD_IMAGE_ENV] ?? `<set ${WORKLOAD_IMAGE_ENV}: a pullable image>`)
    : workloadImageTag(options.runId);
  if (context) {
    out.push(`\n# --- cluster: existing kubeconfig context ${context} (no kind cluster, no image load) ---`);
  } else {
    const config = renderKindConfig(options.kind.kubeProxyMode);
    const reuse = options.kind.reuseCluster ? ' (skipped when it exists: --reuse-cluster)' : '';
    out.push(
      `\n# --- kind config: kind create cluster --name ${KIND_CLUSTER_NAME} --config <this> --wait ${KIND_WAIT}${reuse} ---`,
      config.yaml.trimEnd(),
      '\n# --- images ---',
      commandLine('docker', workloadBuildArgs({ tag: image })),
      `docker image inspect ${K6_IMAGE} || docker pull ${K6_IMAGE}`,
      `kind load docker-image ${image} --name ${KIND_CLUSTER_NAME}`,
      `kind load docker-image ${K6_IMAGE} --name ${KIND_CLUSTER_NAME}`,
      `# at the end: ${options.kind.keepCluster || options.kind.reuseCluster ? `delete this run's namespaces (cluster kept)` : `kind delete cluster --name ${KIND_CLUSTER_NAME}`}`,
    );
  }
  for (const variant of variants) {
    out.push(
      `\n# --- manifests: ${variant.name} (image ${image}) ---`,
      renderVariantYaml(withImage(variant, image)).trimEnd(),
    );
    const first = cells.find((c) => c.variant.name === variant.name);
    if (!first) continue;
    const namespace = kubeCellNamespace(options.runId, first.id);
    out.push(
      `\n# --- k6 for ${first.id} (every cell of ${variant.name} alike, in its own namespace) ---`,
      describeK6Invocation({
        namespace,
        cellId: first.id,
        image: K6_IMAGE,
        target: `http://web.${namespace}.svc.cluster.local`,
        profile: options.load,
        durationSeconds: k6RunSeconds(options.load, variant),
      }),
    );
  }
  return `${out.join('\n')}\n`;
}

/** The outcome of a dry run for the CLI: complete, no cells, nothing written (the run folder is not created). */
export function dryRunResults(options: ExperimentOptions): ResultsFile {
  const now = new Date().toISOString();
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    runId: options.runId,
    harnessVersion: HARNESS_VERSION,
    startedAt: now,
    finishedAt: now,
    status: 'complete',
    platform: { name: options.platform, emulated: options.platform === 'local', versions: {} },
    timeScale: options.timeScale,
    propagation: {
      kubeletNoticeSeconds: 0,
      endpointsControllerSeconds: 0,
      proxyWatchSeconds: 0,
      proxyMinSyncSeconds: 0,
    },
    loadProfile: options.load,
    variants: options.variants,
    scenarios: options.scenarios,
    repetitions: options.repetitions,
    variantInfo: {},
    scenarioInfo: {},
    machine: {
      os: os.type(),
      arch: os.arch(),
      cpus: os.cpus().length,
      cpuModel: '',
      memoryGiB: 0,
      node: process.version,
    },
    cells: [],
  };
}
