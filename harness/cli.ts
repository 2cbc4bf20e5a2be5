#!/usr/bin/env node
import path from 'node:path';
import {
  CHECK_HELP,
  CLEAN_HELP,
  EXPERIMENT_HELP,
  MANIFESTS_HELP,
  REPORT_HELP,
  TOP_HELP,
  VERSION_LINE,
} from './cli-help.ts';
import { checkCommand } from './check/check-command.ts';
import { EnvironmentError, EXIT, HarnessError, InputError } from './core/errors.ts';
import type { ResultsFile } from './model/results.ts';
import { rebuildReport } from './report/rebuild-report.ts';
import type { CompareRow } from './analysis/compare-runs.ts';
import { summarizeVerdicts } from './analysis/verdicts.ts';
import { writeCompare } from './report/write-compare.ts';
import { describeCautions } from './analysis/cautions.ts';
import { distinguishVariants } from './analysis/distinguish.ts';
import { cleanLeftovers } from './cleanup/clean.ts';
import { describeIncomplete } from './runner/describe-incomplete.ts';
import { experimentExit } from './runner/exit-status.ts';
import { parseExperimentArgs } from './runner/parse-args.ts';
import { ProgressDisplay } from './runner/progress.ts';
import { runExperiment } from './runner/run-experiment.ts';
import { checkManifests, writeManifests } from './variants/render-manifest.ts';

const HELP_FLAGS = new Set(['-h', '--help']);

/** The help of each command, for `<command> --help` and `help <command>`. */
const COMMAND_HELP: Record<string, string> = {
  experiment: EXPERIMENT_HELP,
  report: REPORT_HELP,
  manifests: MANIFESTS_HELP,
  check: CHECK_HELP,
  clean: CLEAN_HELP,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // Help and version win over everything else on the line, as in most CLIs: asking never fails.
  if (command !== undefined && command in COMMAND_HELP && command !== 'experiment') {
    if (rest.some((a) => HELP_FLAGS.has(a))) return print(COMMAND_HELP[command]!);
    if (rest.includes('--version')) return print(VERSION_LINE);
  }
  switch (command) {
    case 'experiment':
      return experiment(rest);
    case 'report':
      return report(rest);
    case 'manifests':
      return manifests(rest);
    case 'check':
      return checkCommand(rest);
    case 'clean':
      return clean(rest);
    case '--version':
    case 'version':
      return print(VERSION_LINE);
    case 'help':
      if (rest[0] !== undefined && rest[0] in COMMAND_HELP) return print(COMMAND_HELP[rest[0]]!);
      return print(TOP_HELP);
    case '-h':
    case '--help':
      return print(TOP_HELP);
    case undefined:
      process.stderr.write(TOP_HELP);
      return EXIT.badInput;
    default:
      throw new InputError(
        [`unknown command "${command}": use experiment, report, manifests, check or clean`],
        'drainlab --help lists the commands',
      );
  }
}

function print(text: string): number {
  process.stdout.write(text);
  return EXIT.ok;
}

async function experiment(args: string[]): Promise<number> {
  const parsed = parseExperimentArgs(args);
  if (parsed.kind === 'help') return print(EXPERIMENT_HELP);
  if (parsed.kind === 'version') return print(VERSION_LINE);
  if (parsed.kind === 'problems') throw new InputError(parsed.problems, 'see drainlab experiment --help');
  const options = parsed.options;
  if (options.dryRun) {
    // The plan alone goes to stdout, so that `--dry-run > plan.txt` holds nothing else; remarks go to stderr.
    for (const warning of options.warnings ?? []) process.stderr.write(`warning: ${warning}\n`);
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
    const shown = shownPath(runDir);
    process.stdout.write(
      `Report: ${path.join(shown, 'index.html')}\nResults: ${path.join(shown, 'results.json')}\n` +
        `Figures for a course page: ${path.join(shown, 'figures', 'README.md')}\n`,
    );
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
    for (const caution of describeCautions(results)) {
      process.stdout.write(`\n${caution.en}\n${caution.lines.map((l) => `  ${l}\n`).join('')}`);
    }
    const exit = experimentExit(results, options.failOnLoss);
    for (const row of exit.losses) {
      process.stderr.write(
        `error: ${row.variant} is expected to lose no request but lost ${row.failed} of ${row.requests} under ${row.scenario}\n`,
      );
    }
    if (exit.code === EXIT.failure) {
      process.stderr.write(`error: the run is ${results.status}; the numbers do not cover:\n`);
      for (const line of describeIncomplete(results)) process.stderr.write(`  ${line}\n`);
    }
    return exit.code;
  } catch (error) {
    // Ctrl-C while the platform was still setting up surfaces as that step's error: the user asked to stop.
    if (!controller.signal.aborted) throw error;
    process.stderr.write(`interrupted: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
    return EXIT.interrupted;
  } finally {
    progress.stop();
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }
}

/** A folder as the user can find it: relative when inside the working folder, absolute otherwise (no ../../..). */
function shownPath(dir: string): string {
  const rel = path.relative(process.cwd(), dir);
  if (rel === '') return '.';
  return rel.startsWith('..') || path.isAbsolute(rel) ? dir : rel;
}

/** A short verdict table for the terminal. */
function renderTable(results: ResultsFile): string {
  const rows = summarizeVerdicts(results).map((r) => [
    // Marked in front, as in the report; the others are indented to keep the names aligned.
    (r.expectedSafe ? '★ ' : '  ') + r.variant,
    r.scenario,
    String(r.requests),
    String(r.failed),
    `${(r.errorRate * 100).toFixed(2)}%`,
    r.verdict,
  ]);
  const header = ['  variant', 'scenario', 'requests', 'failed', 'error rate', 'verdict'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (row: string[]) =>
    row.map((cell, i) => (i >= 2 && i <= 4 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ');
  return [
    '',
    fmt(header),
    fmt(widths.map((w) => '-'.repeat(w))),
    ...rows.map(fmt),
    '',
    '★ recommended variant: expected to lose no request',
  ].join('\n');
}

async function report(args: string[]): Promise<number> {
  const usage = 'drainlab report <run-dir> [--compare <other-run-dir>]';
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
  if (problems.length > 0) throw new InputError(problems, 'see drainlab report --help');
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

const CONFIRM_FOREIGN = 'i-understand-this-is-not-a-harness-cluster';

async function clean(args: string[]): Promise<number> {
  const problems: string[] = [];
  let context: string | undefined;
  let confirmed = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--context' || arg.startsWith('--context=')) {
      const value = arg === '--context' ? args[++i] : arg.slice('--context='.length);
      if (value === undefined || value === '' || value.startsWith('--')) {
        problems.push('--context needs the name of a kubeconfig context');
        if (value?.startsWith('--')) i--;
      } else if (context !== undefined) {
        problems.push('--context is given more than once: give it once');
      } else {
        context = value;
      }
    } else if (arg === `--${CONFIRM_FOREIGN}`) {
      confirmed = true;
    } else {
      problems.push(`unknown argument "${arg}" for clean: it takes only --context NAME and --${CONFIRM_FOREIGN}`);
    }
  }
  // The same confirmation as an experiment on that context: clean deletes namespaces there too.
  if (context !== undefined && !confirmed) {
    problems.push(
      `--context ${context} acts on a cluster drainlab did not create: add --${CONFIRM_FOREIGN} to confirm`,
    );
  }
  if (context === undefined && confirmed) {
    problems.push(`--${CONFIRM_FOREIGN} only goes with --context NAME; leave it out, or name the context`);
  }
  if (problems.length > 0) throw new InputError(problems, 'see drainlab clean --help');
  const report = await cleanLeftovers(
    undefined,
    context === undefined ? { kind: 'kind' } : { kind: 'context', context },
  );
  process.stdout.write(`${report.lines.join('\n')}\n`);
  if (report.clusterProblem !== undefined) {
    throw new EnvironmentError([report.clusterProblem], {
      hint:
        context === undefined
          ? 'check that kubectl --context kind-drainlab get namespaces works, then run clean again'
          : `check that kubectl --context ${context} get namespaces works, then run clean again`,
    });
  }
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
    throw new InputError(
      unknown.map((a) => `unknown argument "${a}" for manifests: only --check`),
      'see drainlab manifests --help',
    );
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
  if (error instanceof InputError || error instanceof EnvironmentError) {
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
