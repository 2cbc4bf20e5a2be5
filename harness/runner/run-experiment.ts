import { mkdir, readdir } from 'node:fs/promises';
import os from 'node:os';
import { HarnessError, InputError } from '../core/errors.ts';
import { BuiltinLoadGenerator } from '../load/builtin-generator.ts';
import { RESULTS_SCHEMA_VERSION, type CellResult, type ResultsFile } from '../model/results.ts';
import { LocalPlatform } from '../platform/local/local-platform.ts';
import { checkLocalSupport } from '../platform/local/spec-support.ts';
import type { Platform } from '../platform/platform.ts';
import { renderVariantYaml } from '../variants/render-manifest.ts';
import { findScenario } from '../scenarios/catalog.ts';
import { findVariant } from '../variants/catalog.ts';
import { writeRunOutputs } from '../report/write-run.ts';
import { buildMatrix, terminationSeconds } from './cell-plan.ts';
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

/**
 * Runs the whole matrix with bounded parallelism and writes the run folder. Aborting `signal` stops every running
 * cell cleanly (teardown, partial results); cells not started yet are skipped.
 */
export async function runExperiment(
  options: ExperimentOptions,
  signal: AbortSignal,
  progress = new ProgressDisplay(0),
): Promise<ExperimentOutcome> {
  const variants = options.variants.map((name) => findVariant(name)!);
  const scenarios = options.scenarios.map((name) => findScenario(name)!);
  const platform = await selectPlatform(
    options,
    variants.flatMap((v) => checkLocalSupport(v)),
  );
  await prepareOutDir(options.outDir);

  const cells = buildMatrix(variants, scenarios, options.repetitions);
  // Longest cells first: with bounded parallelism this finishes the matrix soonest.
  const queue = [...cells].sort((a, b) => terminationSeconds(b.variant) - terminationSeconds(a.variant));
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
    machine: {
      os: `${os.type()} ${os.release()}`,
      arch: os.arch(),
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    cells: [],
  };
  // Written before any cell, and after each one: a crash still leaves a readable (interrupted) run folder.
  await writeRunOutputs(options.outDir, results);
  const loadGenerator = new BuiltinLoadGenerator();
  const finished: CellResult[] = [];
  let writing = Promise.resolve();
  try {
    await platform.setUp?.(signal);
    await runCells();
  } finally {
    await platform.tearDown?.();
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
    throw new HarnessError('kind-unavailable', 'the kind platform is not part of this version yet', {
      hint: 'run on the embedded local platform (omit --platform)',
      exitCode: 2,
    });
  }
  if (localProblems.length > 0) throw new InputError(localProblems);
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
