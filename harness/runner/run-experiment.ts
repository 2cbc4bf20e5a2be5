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
  const variants = options.variants.map(
    (name) => options.customVariants?.find((v) => v.name === name) ?? findVariant(name)!,
  );
  const scenarios = options.scenarios.map(
    (name) => options.customScenarios?.find((s) => s.name === name) ?? findScenario(name)!,
  );
  const platform = await selectPlatform(
    options,
    variants.flatMap((v) => checkLocalSupport(v)),
  );
  await prepareOutDir(options.outDir);

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
    loadProfile: options.load,
    variants: options.variants,
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
  };
  // Written before any cell, and after each one: a crash still leaves a readable (interrupted) run folder.
  await writeRunOutputs(options.outDir, results);
  const loadGenerator = options.loadEngine === 'k6' ? new K6LocalGenerator() : new BuiltinLoadGenerator();
  const finished: CellResult[] = [];
  let writing = Promise.resolve();
  // Registers every process group the run starts on disk and has a reaper watch this process (harness/cleanup).
  const guard = startRunGuard({ runId: options.runId, runDir: options.outDir });
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
          load: options.load,
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
