#!/usr/bin/env node
import path from 'node:path';
import { EXIT, HarnessError, InputError } from './core/errors.ts';
import type { ResultsFile } from './model/results.ts';
import { rebuildReport } from './report/rebuild-report.ts';
import type { CompareRow } from './analysis/compare-runs.ts';
import { summarizeVerdicts } from './analysis/verdicts.ts';
import { writeCompare } from './report/write-compare.ts';
import { describeLoadShortfall } from './analysis/load-shortfall.ts';
import { distinguishVariants } from './analysis/distinguish.ts';
import { cleanLeftovers } from './cleanup/clean.ts';
import { describeIncomplete } from './runner/describe-incomplete.ts';
import { EXPERIMENT_HELP, parseExperimentArgs } from './runner/parse-args.ts';
import { ProgressDisplay } from './runner/progress.ts';
import { runExperiment } from './runner/run-experiment.ts';
import { checkManifests, writeManifests } from './variants/render-manifest.ts';

const USAGE = `Usage:
  npm run experiment -- [options]     run the experiment (see npm run experiment -- --help)
  npm run report -- <run-dir> [--compare <other-run-dir>]
                                      rebuild the report of a run from its results.json;
                                      with --compare also write <run-dir>/compare.html
  npm run manifests [-- --check]      write (or check) manifests/variants/*.yaml from the variant definitions
  npm run clean                       remove what earlier runs left behind (processes, state files, kind namespaces)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'experiment':
      return experiment(rest);
    case 'report':
      return report(rest);
    case 'manifests':
      return manifests(rest);
    case 'clean':
      return clean(rest);
    case undefined:
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? EXIT.badInput : EXIT.ok;
    default:
      throw new InputError([`unknown command "${command}": use experiment, report, manifests or clean`]);
  }
}

async function experiment(args: string[]): Promise<number> {
  const parsed = parseExperimentArgs(args);
  if (parsed.kind === 'help') {
    process.stdout.write(EXPERIMENT_HELP);
    return EXIT.ok;
  }
  if (parsed.kind === 'problems') throw new InputError(parsed.problems, 'see npm run experiment -- --help');
  const options = parsed.options;
  if (options.dryRun) {
    // Prints the plan (kind config, manifests, k6 invocation) and creates nothing.
    await runExperiment(options, new AbortController().signal, new ProgressDisplay(0));
    return EXIT.ok;
  }
  const cells = options.variants.length * options.scenarios.length * options.repetitions;
  const progress = new ProgressDisplay(cells);
  const controller = new AbortController();
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts++;
    if (interrupts === 1) {
      progress.line('Stopping cleanly: tearing down and writing what was measured (Ctrl-C again to kill at once)...');
      controller.abort(new Error('interrupted'));
    } else {
      // The kubelet's exit hook SIGKILLs every pod process group synchronously on the way out.
      process.exit(EXIT.interrupted);
    }
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  progress.line(
    `drainlab: ${cells} cell(s) on the ${options.platform} platform (${options.variants.join(', ')} × ${options.scenarios.join(', ')} × ${options.repetitions}), ` +
      `${options.load.rate} req/s, keep-alive ${options.load.keepAlive ? 'on' : 'off'}, time scale ${options.timeScale}, load: ${options.loadEngine}`,
  );
  for (const warning of options.warnings ?? []) progress.line(`warning: ${warning}`);
  try {
    const { results, runDir } = await runExperiment(options, controller.signal, progress);
    progress.stop();
    process.stdout.write(`${renderTable(results)}\n`);
    const rel = path.relative(process.cwd(), runDir) || '.';
    process.stdout.write(`Report: ${path.join(rel, 'index.html')}\nResults: ${path.join(rel, 'results.json')}\n`);
    const alike = distinguishVariants(results).filter((d) => !d.distinguishable);
    if (alike.length > 5) {
      process.stdout.write(
        `\n${alike.length} variant pairs cannot be told apart with ${results.repetitions} repetition(s); ` +
          'more repetitions (--repeat) narrow the intervals. The report lists them.\n',
      );
    } else if (alike.length > 0) {
      process.stdout.write(`\nCannot be told apart with ${results.repetitions} repetition(s):\n`);
      for (const d of alike) process.stdout.write(`  ${d.scenario}: ${d.a} vs ${d.b}: ${d.note}\n`);
    }
    const shortfall = describeLoadShortfall(results);
    if (shortfall.length > 0) {
      process.stdout.write(`\nThe load generator fell short of the asked rate:\n`);
      for (const line of shortfall) process.stdout.write(`  ${line}\n`);
    }
    if (results.status === 'interrupted') return EXIT.interrupted;
    if (results.status !== 'complete') return EXIT.failure;
    if (options.failOnLoss) {
      const lost = summarizeVerdicts(results).filter((row) => row.expectedSafe && row.failed > 0);
      for (const row of lost) {
        process.stderr.write(
          `error: ${row.variant} is expected to lose no request but lost ${row.failed} of ${row.requests} under ${row.scenario}\n`,
        );
      }
      if (lost.length > 0) return EXIT.failure;
    }
    return EXIT.ok;
  } finally {
    progress.stop();
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }
}

/** A short verdict table for the terminal. */
function renderTable(results: ResultsFile): string {
  const rows = summarizeVerdicts(results).map((r) => [
    r.variant + (r.expectedSafe ? ' *' : ''),
    r.scenario,
    String(r.requests),
    String(r.failed),
    `${(r.errorRate * 100).toFixed(2)}%`,
    r.verdict,
  ]);
  const header = ['variant', 'scenario', 'requests', 'failed', 'error rate', 'verdict'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (row: string[]) =>
    row.map((cell, i) => (i >= 2 && i <= 4 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ');
  return [
    '',
    fmt(header),
    fmt(widths.map((w) => '-'.repeat(w))),
    ...rows.map(fmt),
    '',
    '* recommended setup: expected to lose no request',
  ].join('\n');
}

async function report(args: string[]): Promise<number> {
  const usage = 'npm run report -- <run-dir> [--compare <other-run-dir>]';
  const positional: string[] = [];
  let other: string | undefined;
  const problems: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--compare') {
      const value = args[++i];
      if (value === undefined || value.startsWith('--')) problems.push(`--compare needs a run folder: ${usage}`);
      else other = value;
    } else if (arg.startsWith('--compare=')) {
      other = arg.slice('--compare='.length);
    } else if (arg.startsWith('--')) {
      problems.push(`unknown option "${arg}" for report: ${usage}`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 1) {
    problems.push(`report needs exactly one run folder, found ${positional.length}: ${usage}`);
  }
  if (problems.length > 0) throw new InputError(problems);
  const runDir = path.resolve(positional[0]!);
  const results = await rebuildReport(runDir);
  process.stdout.write(`${renderTable(results)}\nReport: ${path.join(runDir, 'index.html')}\n`);
  if (other !== undefined) {
    const rows = await writeCompare(runDir, path.resolve(other));
    process.stdout.write(`${renderCompareTable(rows)}\nComparison: ${path.join(runDir, 'compare.html')}\n`);
  }
  const incomplete = describeIncomplete(results);
  if (incomplete.length > 0) {
    process.stdout.write(
      `\nIncomplete (the numbers above do not cover these):\n${incomplete.map((l) => `  ${l}`).join('\n')}\n`,
    );
  }
  return EXIT.ok;
}

async function clean(args: string[]): Promise<number> {
  if (args.length > 0) throw new InputError(args.map((a) => `unknown argument "${a}" for clean: it takes none`));
  const report = await cleanLeftovers();
  process.stdout.write(`${report.lines.join('\n')}\n`);
  return EXIT.ok;
}

/** The comparison for the terminal: error rate in the other run and this one, and whether it changed beyond the intervals. */
function renderCompareTable(rows: CompareRow[]): string {
  const pct = (side: CompareRow['now']) => (side === null ? '-' : `${(side.errorRate * 100).toFixed(2)}%`);
  const cells = rows.map((r) => [r.variant, r.scenario, pct(r.then), pct(r.now), r.change]);
  const header = ['variant', 'scenario', 'other run', 'this run', 'change'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)));
  const fmt = (row: string[]) =>
    row.map((cell, i) => (i === 2 || i === 3 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ');
  return ['', fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...cells.map(fmt)].join('\n');
}

async function manifests(args: string[]): Promise<number> {
  const unknown = args.filter((a) => a !== '--check');
  if (unknown.length > 0)
    throw new InputError(unknown.map((a) => `unknown argument "${a}" for manifests: only --check`));
  if (args.includes('--check')) {
    const stale = await checkManifests();
    if (stale.length > 0) {
      process.stderr.write(`out of date: ${stale.join(', ')}; run npm run manifests\n`);
      return EXIT.failure;
    }
    process.stdout.write('manifests are up to date\n');
    return EXIT.ok;
  }
  const written = await writeManifests();
  process.stdout.write(`wrote ${written.length} file(s):\n${written.map((f) => `  ${f}`).join('\n')}\n`);
  return EXIT.ok;
}

/** The one place that prints errors and maps them to exit codes. */
function printError(error: unknown): number {
  if (error instanceof InputError) {
    for (const problem of error.problems) process.stderr.write(`error: ${problem}\n`);
    if (error.hint) process.stderr.write(`hint: ${error.hint}\n`);
    return error.exitCode;
  }
  if (error instanceof HarnessError) {
    process.stderr.write(`error: ${error.message}\n`);
    if (error.hint) process.stderr.write(`hint: ${error.hint}\n`);
    return error.exitCode;
  }
  process.stderr.write(
    `unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return EXIT.failure;
}

// Exit explicitly once everything is written: after a run with thousands of reset sockets, Node 20's exit-time handle
// cleanup can spin forever at 100 % CPU (seen here; nodejs/node#47748), and nothing is left to wait for anyway.
main(process.argv.slice(2))
  .catch((error: unknown) => printError(error))
  .then((code) => {
    process.stdout.write('', () => process.exit(code));
  });
