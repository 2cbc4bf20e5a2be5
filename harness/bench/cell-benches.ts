import path from 'node:path';
import { summarizeVerdicts } from '../analysis/verdicts.ts';
import { wilsonInterval } from '../analysis/stats.ts';
import type { CellResult, ResultsFile } from '../model/results.ts';
import { parseExperimentArgs } from '../runner/parse-args.ts';
import { ProgressDisplay } from '../runner/progress.ts';
import { runExperiment } from '../runner/run-experiment.ts';
import { findVariant } from '../variants/catalog.ts';
import { compareVerdicts, inherentCellMs, intervalsOverlap, meanOf, routingWindowMs } from './bench-math.ts';
import { pct, secs, type BenchRow } from './bench-report.ts';

const OVERHEAD_LIMIT = 0.15;
const MATRIX_LIMIT_MS = 180_000;
/** Timer and scheduling jitter allowed around the model's routing window. */
const ROUTING_SLACK_MS = 250;

/** One finished experiment run and its wall time. */
export interface TimedRun {
  /** What it was, e.g. `matrix scale 1 parallel 4`. */
  label: string;
  /** The run's results.json content. */
  results: ResultsFile;
  /** The run folder, absolute. */
  runDir: string;
  /** Wall time of runExperiment(), ms. */
  wallMs: number;
}

/** Prints one line per finished cell and nothing else (the bench has its own output). */
class QuietProgress extends ProgressDisplay {
  constructor(private readonly log: (line: string) => void) {
    super(0, process.stderr, false);
  }
  override update(): void {}
  override finished(result: CellResult): void {
    this.log(`  ${result.id}: ${result.requests.failed}/${result.requests.total} failed, ${secs(result.durationMs)}`);
  }
}

/** Runs `npm run experiment -- <args>` in-process into `outDir` and times it. */
export async function timedExperiment(
  label: string,
  args: string[],
  outDir: string,
  log: (line: string) => void,
): Promise<TimedRun> {
  const parsed = parseExperimentArgs([...args, '--out', outDir, '--seed', '1']);
  if (parsed.kind !== 'ok') {
    throw new Error(`expected valid experiment flags for ${label}, found: ${JSON.stringify(parsed)}`);
  }
  log(`${label}: npm run experiment -- ${args.join(' ')}`);
  const started = Date.now();
  const { results, runDir } = await runExperiment(parsed.options, new AbortController().signal, new QuietProgress(log));
  const wallMs = Date.now() - started;
  log(`${label}: ${results.cells.length} cells in ${secs(wallMs)} (${results.status})`);
  if (results.status !== 'complete') throw new Error(`expected ${label} to complete, found status ${results.status}`);
  return { label, results, runDir: path.resolve(runDir), wallMs };
}

/** Target 1: each cell's wall time against its inherent duration (see inherentCellMs), worst cell gates. */
export function overheadRows(run: TimedRun, log: (line: string) => void): BenchRow[] {
  const ratios: { id: string; ratio: number; wall: number; inherent: number }[] = [];
  for (const cell of run.results.cells) {
    const variant = findVariant(cell.variant);
    const inherent = variant ? inherentCellMs(cell, variant, run.results.loadProfile, run.results.timeScale) : null;
    if (inherent === null) {
      log(`  ${cell.id}: no inherent duration (did not settle)`);
      continue;
    }
    const ratio = (cell.durationMs - inherent) / inherent;
    const loadStart = cell.events.find((e) => e.kind === 'load-start')?.t ?? 0;
    const loadStop = cell.events.find((e) => e.kind === 'load-stop')?.t ?? cell.durationMs;
    log(
      `  ${cell.id.padEnd(44)} wall ${secs(cell.durationMs, 2).padStart(8)}  inherent ${secs(inherent, 2).padStart(8)}  ` +
        `overhead ${pct(ratio).padStart(7)}  (deploy→load ${secs(loadStart, 2)}, after load ${secs(cell.durationMs - loadStop, 2)})`,
    );
    ratios.push({ id: cell.id, ratio, wall: cell.durationMs, inherent });
  }
  const worst = ratios.reduce(
    (a, b) => (b.ratio > a.ratio ? b : a),
    ratios[0] ?? { id: '-', ratio: Infinity, wall: 0, inherent: 0 },
  );
  const wall = ratios.reduce((sum, r) => sum + r.wall, 0);
  const inherent = ratios.reduce((sum, r) => sum + r.inherent, 0);
  return [
    {
      name: `1 cell overhead, worst (${run.label})`,
      measured: pct(worst.ratio),
      target: `<= ${pct(OVERHEAD_LIMIT, 0)}`,
      comparison: `${worst.id}: wall ${secs(worst.wall, 2)} vs inherent ${secs(worst.inherent, 2)}`,
      pass: ratios.length === run.results.cells.length && worst.ratio <= OVERHEAD_LIMIT,
    },
    {
      name: `1 cell overhead, total (${run.label})`,
      measured: pct((wall - inherent) / inherent),
      target: `<= ${pct(OVERHEAD_LIMIT, 0)}`,
      comparison: `sum of cell walls ${secs(wall)} vs sum inherent ${secs(inherent)} over ${ratios.length} cells`,
      pass: (wall - inherent) / inherent <= OVERHEAD_LIMIT,
    },
  ];
}

/** Target 1: the full default matrix at scale 1 in under 3 minutes. */
export function matrixWallRow(run: TimedRun, parallel: number): BenchRow {
  const inherentSum = run.results.cells.reduce((sum, c) => {
    const v = findVariant(c.variant);
    return sum + ((v && inherentCellMs(c, v, run.results.loadProfile, run.results.timeScale)) ?? 0);
  }, 0);
  return {
    name: '1 full default matrix wall (scale 1)',
    measured: secs(run.wallMs),
    target: `< ${secs(MATRIX_LIMIT_MS, 0)}`,
    comparison: `${run.results.cells.length} cells; sum of inherent ${secs(inherentSum)} / ${parallel} at once = ${secs(inherentSum / parallel)} lower bound`,
    pass: run.wallMs < MATRIX_LIMIT_MS,
  };
}

/** Target 1: a cell measures the same alone (parallel 1) and alongside others (the matrix run). */
export function isolationRows(alone: TimedRun, together: TimedRun, log: (line: string) => void): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const a of alone.results.cells) {
    const t = together.results.cells.find((c) => c.id === a.id);
    if (!t) continue;
    const ciA = wilsonInterval(a.requests.failed, a.requests.total);
    const ciT = wilsonInterval(t.requests.failed, t.requests.total);
    const windowA = routingWindowMs(alone.results.propagation, alone.results.timeScale);
    const windowT = routingWindowMs(together.results.propagation, together.results.timeScale);
    const delaysA = a.propagation.map((p) => p.routingRemovedMs);
    const delaysT = t.propagation.map((p) => p.routingRemovedMs);
    const inWindow = (ds: (number | null)[], w: { low: number; high: number }) =>
      ds.every((d) => d !== null && d >= w.low - ROUTING_SLACK_MS && d <= w.high + ROUTING_SLACK_MS);
    const fmt = (ds: (number | null)[]) => ds.map((d) => (d === null ? '-' : d.toFixed(0))).join('/');
    log(
      `  ${a.id}: alone ${a.requests.failed}/${a.requests.total} ${JSON.stringify(a.failuresByCause)} routing ms ${fmt(delaysA)}; ` +
        `alongside ${t.requests.failed}/${t.requests.total} ${JSON.stringify(t.failuresByCause)} routing ms ${fmt(delaysT)}`,
    );
    rows.push({
      name: `1 alone vs alongside: ${a.variant}/${a.scenario}`,
      measured: `${pct(a.errorRate, 2)} vs ${pct(t.errorRate, 2)}`,
      target: 'Wilson 95 % overlap; routing delay in model window',
      comparison:
        `alone [${pct(ciA.low, 2)}, ${pct(ciA.high, 2)}] vs alongside [${pct(ciT.low, 2)}, ${pct(ciT.high, 2)}]; ` +
        `routing mean ${meanOf(delaysA)?.toFixed(0) ?? '-'} vs ${meanOf(delaysT)?.toFixed(0) ?? '-'} ms ` +
        `(window ${windowA.low.toFixed(0)}-${windowA.high.toFixed(0)} ms ±${ROUTING_SLACK_MS})`,
      pass: intervalsOverlap(ciA, ciT) && inWindow(delaysA, windowA) && inWindow(delaysT, windowT),
    });
  }
  return rows;
}

/** Target 4: which variant × scenario verdicts hold when every modelled delay is scaled. */
export function compressionRows(reference: TimedRun, scaled: TimedRun, log: (line: string) => void): BenchRow[] {
  const verdicts = (run: TimedRun) =>
    new Map(summarizeVerdicts(run.results).map((r) => [`${r.variant}/${r.scenario}`, r.verdict] as const));
  const compared = compareVerdicts(verdicts(reference), verdicts(scaled));
  for (const c of compared) {
    log(
      `  ${c.key.padEnd(38)} scale 1: ${c.reference.padEnd(15)} scale ${scaled.results.timeScale}: ${c.candidate.padEnd(15)} ${c.holds ? 'holds' : 'CHANGES'}`,
    );
  }
  const held = compared.filter((c) => c.holds).length;
  const changed = compared.filter((c) => !c.holds).map((c) => c.key);
  return [
    {
      name: `4 verdicts at time scale ${scaled.results.timeScale}`,
      measured: `${held}/${compared.length} hold`,
      target: 'show which hold',
      comparison: `wall ${secs(scaled.wallMs)} vs ${secs(reference.wallMs)} at scale 1${changed.length ? `; change: ${changed.join(', ')}` : ''}`,
      pass: null,
    },
  ];
}
