/**
 * `npm run bench` (issue 7): measures every performance target side by side in one run and exits 1 when one is
 * missed. `--quick` is the short CI version (< 2 min); `--only load,data,cells` runs some sections; `--keep` keeps
 * the run folders. Run it on an otherwise idle machine: the figures are ratios, but two shared cores are noisy.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { exitCodeOf, formatRows, secs, type BenchRow } from './bench-report.ts';
import {
  compressionRows,
  isolationRows,
  matrixWallRow,
  overheadRows,
  timedExperiment,
  type TimedRun,
} from './cell-benches.ts';
import { bytesPerRequestRows, rebuildRows } from './lean-data-bench.ts';
import { runLoadBenches } from './load-benches.ts';
import { onPath } from './workload-process.ts';

const SECTIONS = ['load', 'data', 'cells'] as const;
type Section = (typeof SECTIONS)[number];

function parseArgs(argv: string[]): { quick: boolean; keep: boolean; only: Set<Section> } {
  const problems: string[] = [];
  let only = new Set<Section>(SECTIONS);
  for (const arg of argv) {
    if (arg === '--quick' || arg === '--keep') continue;
    if (arg.startsWith('--only=')) {
      const names = arg.slice('--only='.length).split(',');
      const bad = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
      if (bad.length > 0)
        problems.push(`--only: unknown section ${bad.join(', ')}; choose from ${SECTIONS.join(', ')}`);
      only = new Set(names.filter((n): n is Section => (SECTIONS as readonly string[]).includes(n)));
    } else problems.push(`unknown argument ${arg}: use --quick, --keep or --only=${SECTIONS.join(',')}`);
  }
  if (problems.length > 0) {
    process.stderr.write(`${problems.join('\n')}\n`);
    process.exit(2);
  }
  return { quick: argv.includes('--quick'), keep: argv.includes('--keep'), only };
}

const { quick, keep, only } = parseArgs(process.argv.slice(2));
if (only.has('load') && !onPath('wrk')) {
  process.stderr.write(
    'wrk is not installed: the max-rate target is judged against wrk on the same request.\n' +
      'Install it (Debian/Ubuntu: sudo apt-get install wrk; macOS: brew install wrk), ' +
      'or leave that section out with --only=data,cells\n',
  );
  process.exit(2);
}
const log = (line: string) => process.stdout.write(`${line}\n`);
const rows: BenchRow[] = [];
const startedAt = Date.now();
const workDir = await mkdtemp(path.join(os.tmpdir(), 'drainlab-bench-'));
const [load1] = os.loadavg();
log(
  `drainlab bench${quick ? ' --quick' : ''}: ${os.cpus().length} CPUs, load average ${load1?.toFixed(2)}, work in ${workDir}`,
);
if ((load1 ?? 0) > 0.7) log('warning: the machine is busy; timing figures will be pessimistic');

/** Runs one part; a crash becomes a missed target with the reason rather than ending the bench. */
async function part(name: string, body: () => Promise<BenchRow[]>): Promise<void> {
  log(`\n== ${name}`);
  const t = Date.now();
  try {
    rows.push(...(await body()));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`error: ${message}`);
    rows.push({ name, measured: 'error', target: 'runs', comparison: message.split('\n')[0] ?? '', pass: false });
  }
  log(`(${name}: ${secs(Date.now() - t)})`);
}

try {
  if (only.has('load')) {
    await part('load generator accuracy and max rate (target 2)', () =>
      runLoadBenches(
        quick
          ? { accuracySeconds: 3, stepSeconds: 2, leadInSeconds: 1, wrkSeconds: 3, wrkConnections: [50, 200] }
          : {
              accuracySeconds: 10,
              stepSeconds: 4,
              leadInSeconds: 1,
              wrkSeconds: 5,
              wrkConnections: [50, 100, 200, 400],
            },
        log,
      ),
    );
  }
  if (only.has('data')) {
    await part('report from 1,000,000 requests (target 3)', () =>
      rebuildRows(path.join(workDir, 'million'), 1_000_000, log),
    );
  }
  if (only.has('cells')) {
    const runs: Partial<Record<'alone' | 'together' | 'scaled', TimedRun>> = {};
    await part('cells: overhead, parallel isolation (target 1), bytes per request (target 3)', async () => {
      const out: BenchRow[] = [];
      runs.alone = await timedExperiment(
        'quick cells alone (parallel 1)',
        ['--quick', '--parallel', '1'],
        path.join(workDir, 'alone'),
        log,
      );
      runs.together = quick
        ? await timedExperiment(
            'quick cells together (parallel 2)',
            ['--quick', '--parallel', '2'],
            path.join(workDir, 'together'),
            log,
          )
        : await timedExperiment('full matrix scale 1 (parallel 4)', [], path.join(workDir, 'matrix'), log);
      log('cell wall time vs inherent duration:');
      out.push(...overheadRows(runs.alone, log), ...overheadRows(runs.together, log));
      if (!quick) out.push(matrixWallRow(runs.together, 4));
      log('alone vs alongside others:');
      out.push(...isolationRows(runs.alone, runs.together, log));
      out.push(...(await bytesPerRequestRows(runs.together.results, runs.together.runDir)));
      return out;
    });
    await part('time compression (target 4)', async () => {
      if (!runs.together) throw new Error('expected the scale-1 run of the previous part; it did not finish');
      runs.scaled = await timedExperiment(
        `${quick ? 'quick cells' : 'full matrix'} scale 0.25`,
        [...(quick ? ['--quick', '--parallel', '2'] : []), '--time-scale', '0.25'],
        path.join(workDir, 'scaled'),
        log,
      );
      return compressionRows(runs.together, runs.scaled, log);
    });
  }
} finally {
  if (!keep) await rm(workDir, { recursive: true, force: true });
}

log(`\n== results (${secs(Date.now() - startedAt)} in all${keep ? `, folders kept in ${workDir}` : ''})\n`);
log(formatRows(rows));
const code = exitCodeOf(rows);
log(code === 0 ? '\nall targets met' : `\n${rows.filter((r) => r.pass === false).length} target(s) missed`);
process.exit(code);
