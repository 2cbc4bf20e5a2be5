import { mkdir, readdir } from 'node:fs/promises';
import os from 'node:os';
import { InputError } from '../core/errors.ts';
import { BuiltinLoadGenerator } from '../load/builtin-generator.ts';
import { RESULTS_SCHEMA_VERSION, type CellResult, type ResultsFile } from '../model/results.ts';
import { KindPlatform } from '../platform/kind/kind-platform.ts';
import { dryRunResults, renderDryRun } from '../platform/kind/dry-run.ts';
import { K6LocalGenerator, localK6Version } from '../load/k6/k6-local-generator.ts';
import { LocalPlatform } from '../platform/local/local-platform.ts';
import { checkLocalSupport } from '../platform/local/spec-support.ts';
import type { Platform } from '../platform/platform.ts';
import { renderVariantYaml } from '../variants/render-manifest.ts';
import { findScenario } from '../scenarios/catalog.ts';
import { findVariant } from '../variants/catalog.ts';
import { writeRunOutputs } from '../report/write-run.ts';
import { startRunGuard } from '../cleanup/run-guard.ts';
import { buildMatrix, startOrder } from './cell-plan.ts';
import type { ExperimentOptions } from './experiment-options.ts';
import { ProgressDisplay } from './progress.ts';
import { runCell } from './run-cell.ts';
import { HARNESS_VERSION } from '../core/version.ts';
import path from 'node:path';
import { showCommand } from '../app/app-spec.ts';
import { describeShutdown } from '../app/describe-shutdown.ts';
import { probeAppShutdown } from '../app/shutdown-probe.ts';
import { defaultAppVariantNames, deriveAppVariants, graceSecondsFor, preStopSecondsFor } from '../app/app-variants.ts';
import type { AppManifestRecord, AppRecord } from '../model/app-result.ts';
import { deriveManifestVariants } from '../app/app-manifest.ts';
import type { PropagationSettings } from '../model/results.ts';
import type { Variant } from '../variants/variant.ts';

/** What the run produced. */
export interface ExperimentOutcome {
  results: ResultsFile;
  /** The run folder. */
  runDir: string;
}

/** The machine the run is on, for results.json; `env` says whether it is a GitHub-hosted runner, and which image. */
export function describeMachine(env: NodeJS.ProcessEnv): ResultsFile['machine'] {
  const machine: ResultsFile['machine'] = {
    os: `${os.type()} ${os.release()}`,
    arch: os.arch(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
  };
  // GitHub-hosted runners set both (runner-images' configure-environment.sh); one alone names no image.
  const imageOS = env['ImageOS']?.trim();
  const imageVersion = env['ImageVersion']?.trim();
  if (imageOS && imageVersion) machine.runnerImage = { imageOS, imageVersion };
  return machine;
}

/**
 * Runs the whole matrix with bounded parallelism and writes the run folder. Aborting `signal` stops every running
 * cell cleanly (teardown, partial results); cells not started yet are skipped.
 */
export async function runExperiment(
  options: ExperimentOptions,
  signal: AbortSignal,
  progress = new ProgressDisplay(0),
): Promise<ExperimentOutcome> {
  if (options.dryRun) {
    // Prints what a real run would do and returns before anything (folder, cluster, image) is created.
    process.stdout.write(renderDryRun(options));
    return { results: dryRunResults(options), runDir: options.outDir };
  }
  const scenarios = options.scenarios.map(
    (name) => options.customScenarios?.find((s) => s.name === name) ?? findScenario(name)!,
  );
  const catalogOrCustom = (names: readonly string[]) =>
    names.flatMap((name) => {
      const v = options.customVariants?.find((c) => c.name === name) ?? findVariant(name);
      return v ? [v] : [];
    });
  const platform = await selectPlatform(
    options,
    catalogOrCustom(options.variants).flatMap((v) => checkLocalSupport(v)),
  );
  await prepareOutDir(options.outDir);
  // Registers every process group the run starts on disk and has a reaper watch this process (harness/cleanup);
  // started before the app's probe, so that its process is found too if the harness is killed meanwhile.
  const guard = startRunGuard({ runId: options.runId, runDir: options.outDir });
  // Your own app: its SIGTERM behaviour is measured before any cell (bad input stops the run here, exit 2), and the
  // derived variants follow from it.
  let app: Awaited<ReturnType<typeof prepareApp>> | undefined;
  // Your own Deployment on a real cluster: nothing to start here first; the variants follow from the manifest.
  let own: ReturnType<typeof manifestApp> | undefined;
  try {
    app = options.app ? await prepareApp(options, platform.propagation, progress, signal) : undefined;
    own = options.appManifest ? manifestApp(options, platform.propagation) : undefined;
  } catch (error) {
    guard.close();
    throw error;
  }
  const variantNames = app?.variantNames ?? own?.variantNames ?? options.variants;
  // Your app's request succeeds with the status it answered before the run (201 for a create, say).
  const load = app ? { ...options.load, okStatus: app.record.shutdown.requestStatus } : options.load;
  const variants = variantNames.map(
    (name) =>
      options.customVariants?.find((v) => v.name === name) ??
      app?.derived.find((v) => v.name === name) ??
      own?.derived.find((v) => v.name === name) ??
      findVariant(name)!,
  );

  const cells = buildMatrix(variants, scenarios, options.repetitions);
  const queue = startOrder(cells, options.repetitions, options.seed);
  const cellOrder = queue.map((c) => c.id);
  const results: ResultsFile = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    runId: options.runId,
    harnessVersion: HARNESS_VERSION,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    status: 'interrupted',
    platform: { name: platform.name, emulated: platform.emulated, versions: await platform.versions() },
    timeScale: options.timeScale,
    propagation: platform.propagation,
    loadProfile: load,
    variants: variantNames,
    scenarios: options.scenarios,
    repetitions: options.repetitions,
    variantInfo: Object.fromEntries(
      variants.map((v) => [
        v.name,
        {
          summary: v.summary,
          expectation: v.expectation,
          expectedSafe: v.expectedSafe,
          manifestYaml: renderVariantYaml(v),
        },
      ]),
    ),
    scenarioInfo: Object.fromEntries(scenarios.map((s) => [s.name, { summary: s.summary }])),
    machine: describeMachine(process.env),
    cells: [],
    warnings: options.warnings ?? [],
    seed: options.seed,
    cellOrder,
    ...(app ? { app: app.record } : {}),
    ...(own ? { appManifest: own.record } : {}),
  };
  // Written before any cell, and after each one: a crash still leaves a readable (interrupted) run folder.
  await writeRunOutputs(options.outDir, results);
  const loadGenerator = options.loadEngine === 'k6' ? new K6LocalGenerator() : new BuiltinLoadGenerator();
  const finished: CellResult[] = [];
  let writing = Promise.resolve();
  try {
    await platform.setUp?.(signal);
    // Set-up may have learnt more (kind: cluster, Kubernetes and kube-proxy versions).
    results.platform.versions = await platform.versions();
    await runCells();
  } finally {
    try {
      await platform.tearDown?.();
    } finally {
      guard.close();
    }
  }
  results.cells = orderLike(
    cells.map((c) => c.id),
    finished,
  );
  results.finishedAt = new Date().toISOString();
  const allComplete = results.cells.length === cells.length && results.cells.every((c) => c.status === 'complete');
  results.status = signal.aborted ? 'interrupted' : allComplete ? 'complete' : 'failed';
  await writing;
  await writeRunOutputs(options.outDir, results);
  return { results, runDir: options.outDir };

  async function runCells(): Promise<void> {
    const worker = async () => {
      for (;;) {
        if (signal.aborted) return;
        const plan = queue.shift();
        if (!plan) return;
        const result = await runCell(plan, {
          platform,
          loadGenerator,
          runDir: options.outDir,
          load,
          timeScale: options.timeScale,
          seed: options.seed,
          signal,
          progress: (p) => progress.update(p),
        });
        finished.push(result);
        progress.finished(result);
        results.cells = orderLike(
          cells.map((c) => c.id),
          finished,
        );
        writing = writing.then(() => writeRunOutputs(options.outDir, results));
        await writing;
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.parallel, cells.length) }, worker));
  }
}

function orderLike(ids: string[], results: CellResult[]): CellResult[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
}

/** The variants of your own manifest and what results.json records of it. */
function manifestApp(
  options: ExperimentOptions,
  propagation: PropagationSettings,
): { record: AppManifestRecord; derived: Variant[]; variantNames: string[] } {
  const { manifest, request, defaultVariants } = options.appManifest!;
  const preStopSeconds = preStopSecondsFor(propagation);
  const derived = deriveManifestVariants(manifest, { preStopSeconds });
  const known = derived.map((v) => v.name);
  const variantNames = defaultVariants ? known : options.variants;
  const missing = variantNames.filter((n) => n.startsWith('app-') && !known.includes(n));
  if (missing.length > 0) {
    throw new InputError(
      missing.map(
        (n) =>
          `--variants names ${n}, which your manifest does not need (its variants: ${known.join(', ')}); leave it out`,
      ),
    );
  }
  return {
    derived,
    variantNames,
    record: {
      source: manifest.source,
      deployment: manifest.deployment.metadata?.name ?? '',
      container: manifest.container,
      service: manifest.service.metadata?.name ?? '',
      servicePort: manifest.servicePort,
      request,
      preStopSeconds,
      warnings: manifest.warnings,
    },
  };
}

/** Probes the app's shutdown (its output in `<run>/app/probe.log`) and derives the variants. */
async function prepareApp(
  options: ExperimentOptions,
  propagation: PropagationSettings,
  progress: ProgressDisplay,
  signal: AbortSignal,
): Promise<{ record: AppRecord; derived: Variant[]; variantNames: string[] }> {
  const spec = options.app!.spec;
  progress.line(`Measuring what your app does on SIGTERM: ${showCommand(spec.command)}`);
  const shutdown = await probeAppShutdown({
    spec,
    logDir: path.join(options.outDir, 'app'),
    logLabel: path.join(options.outDir, 'app', 'probe.log'),
    signal,
  });
  progress.line(describeShutdown(shutdown));
  const derived = deriveAppVariants(spec, shutdown, propagation);
  const preStopSeconds = preStopSecondsFor(propagation);
  const record: AppRecord = {
    spec,
    shutdown,
    preStopSeconds,
    graceSeconds: graceSecondsFor(shutdown, preStopSeconds),
    probeLog: path.join('app', 'probe.log'),
  };
  const variantNames = options.app!.defaultVariants ? defaultAppVariantNames(shutdown, propagation) : options.variants;
  return { record, derived, variantNames };
}

async function selectPlatform(options: ExperimentOptions, localProblems: string[]): Promise<Platform> {
  if (options.platform === 'kind') {
    // Preflight before the run folder exists: a missing tool is exit 4 with nothing created.
    const platform = new KindPlatform(options);
    await platform.preflight();
    return platform;
  }
  if (localProblems.length > 0) throw new InputError(localProblems);
  // A missing k6 binary is bad input: said before anything starts.
  if (options.loadEngine === 'k6') await localK6Version();
  return new LocalPlatform();
}

async function prepareOutDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new InputError([
      `cannot create the run folder ${dir}: ${(error as Error).message}; choose another with --out`,
    ]);
  }
  const entries = await readdir(dir);
  if (entries.includes('results.json')) {
    throw new InputError([`the run folder ${dir} already holds a run (results.json); choose another with --out`]);
  }
}
