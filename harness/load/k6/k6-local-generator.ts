import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { EXIT, HarnessError } from '../../core/errors.ts';
import type { LoadSummary } from '../../model/sample.ts';
import type { LoadGenerator, LoadRunOptions } from '../load-generator.ts';
import { k6Env } from './k6-env.ts';
import { parseK6Points, parseK6Summary, summaryFromOutput } from './k6-output.ts';

/** The script both k6 paths run (local binary and in-cluster Job). */
export const K6_SCRIPT_PATH = fileURLToPath(new URL('../../../k6/drain-load.ts', import.meta.url));

/** k6 exit codes that still mean "the test ran and printed its summary": ok, thresholds failed, stopped by signal. */
const FINISHED_EXIT_CODES = new Set([0, 99, 105]);
/** Time k6 gets to print its summary after the schedule ended or after SIGINT before it is killed. */
const WIND_DOWN_MS = 30_000;

const notFound = (cause?: unknown) =>
  new HarnessError('k6-not-found', 'k6 not found on PATH: install k6 or use --load builtin', {
    hint: 'See https://grafana.com/docs/k6/latest/set-up/install-k6/ (k6 >= 0.57 runs the TypeScript script directly).',
    exitCode: EXIT.environment,
    cause,
  });

/** `k6 vX.Y.Z` of the k6 on PATH; a HarnessError (exit 4, a missing tool) when there is none. */
export async function localK6Version(): Promise<string> {
  const result = await execa('k6', ['version'], {
    env: withoutK6Options(process.env),
    extendEnv: false,
    reject: false,
    timeout: 15_000,
  });
  if ((result as { code?: string }).code === 'ENOENT' || result.failed) throw notFound(result);
  const version = /v\d+\.\d+\.\d+[\w.-]*/.exec(result.stdout)?.[0];
  return version ? `k6 ${version}` : 'k6';
}

/**
 * Runs the k6 script from k6/ with a `k6` binary from PATH against the emulated Service (loopback), writing
 * `--out json` to a temporary file, and converts it into the same samples as the in-cluster Job. Samples are
 * delivered after k6 exits (k6 writes the file as it goes, but parsing it once keeps this simple). Aborting
 * `stop` sends SIGINT, on which k6 stops its executor and still runs handleSummary (exit code 105).
 */
export class K6LocalGenerator implements LoadGenerator {
  readonly name = 'k6';

  async run(options: LoadRunOptions): Promise<LoadSummary> {
    const engine = await localK6Version();
    const dir = await mkdtemp(path.join(tmpdir(), 'drainlab-k6-'));
    try {
      const pointsFile = path.join(dir, 'points.ndjson');
      const env = k6Env({
        target: `http://${options.target.host}:${options.target.port}`,
        profile: options.profile,
        cellId: path.basename(dir),
        durationSeconds: options.maxDurationMs / 1000,
      });
      const args = [
        'run',
        '--quiet',
        '--no-color',
        ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
        '--out',
        `json=${pointsFile}`,
        K6_SCRIPT_PATH,
      ];
      if (options.stop.aborted) return { scheduled: 0, dropped: 0, started: 0, vus: 0, engine };
      const child = execa('k6', args, {
        // k6 reads K6_* variables as options (from 2.1 a stray K6_VUS replaces the script's scenario): none pass.
        env: withoutK6Options(process.env),
        extendEnv: false,
        reject: false,
        all: true,
        timeout: options.maxDurationMs + WIND_DOWN_MS,
        forceKillAfterDelay: 5_000,
      });
      child.once('spawn', () => options.onStarted?.());
      const onStop = () => child.kill('SIGINT');
      options.stop.addEventListener('abort', onStop, { once: true });
      const result = await child.finally(() => options.stop.removeEventListener('abort', onStop));
      if ((result as { code?: string }).code === 'ENOENT') throw notFound(result);
      if (result.timedOut || result.exitCode === undefined || !FINISHED_EXIT_CODES.has(result.exitCode)) {
        throw new HarnessError(
          'k6-failed',
          `k6 exited with ${result.timedOut ? 'a timeout' : `code ${String(result.exitCode ?? result.signal)}`}; ` +
            `expected 0, 99 or 105. Output:\n${result.all.slice(-2000)}`,
          { hint: `Re-run by hand to see more: ${result.escapedCommand}` },
        );
      }
      const summary = parseK6Summary(summaryFromOutput(result.stdout), engine);
      const samples = parseK6Points(await readFile(pointsFile, 'utf8'), options.clock.originEpochMs);
      for (const sample of samples) options.onSample(sample);
      return summary;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/** The environment without k6's option variables (K6_*), which would override the script's own options. */
export function withoutK6Options(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('K6_')));
}
