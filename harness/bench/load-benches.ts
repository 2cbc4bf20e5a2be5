import { pct } from './bench-report.ts';
import type { BenchRow } from './bench-report.ts';
import { parseWrkRequestsPerSecond } from './bench-math.ts';
import type { GeneratorStats } from './generator-stats.ts';
import { runGeneratorChild, runWrk } from './run-generator.ts';
import { startWorkload } from './workload-process.ts';

/** CPU of the load generator / wrk, and of the server (fair one-core comparison on a two-core machine). */
const LOAD_CPU = 0;
const SERVER_CPU = 1;
const MAX_VUS = 1000;
const LATENESS_P99_LIMIT_MS = 5;

/** How long each step runs. */
export interface LoadBenchSettings {
  /** Seconds per accuracy run (200, 1000, 2000 req/s). */
  accuracySeconds: number;
  /** Seconds per step of the max-rate search. */
  stepSeconds: number;
  /** Seconds of wrk. */
  wrkSeconds: number;
}

/** Whether a run held its rate: < 1 % dropped and lateness p99 < 5 ms. */
function holds(stats: GeneratorStats): boolean {
  return stats.dropped / Math.max(1, stats.scheduled) < 0.01 && stats.latenessP99Ms < LATENESS_P99_LIMIT_MS;
}

function describe(stats: GeneratorStats): string {
  return (
    `${stats.started}/${stats.scheduled} started, ${stats.dropped} dropped, ${stats.failed} failed, ` +
    `lateness p50 ${stats.latenessP50Ms.toFixed(2)} / p99 ${stats.latenessP99Ms.toFixed(2)} / max ${stats.latenessMaxMs.toFixed(1)} ms, ` +
    `${stats.cpuUsPerRequest.toFixed(0)} µs CPU/request`
  );
}

/** Targets 2a (accuracy at 200, 1000, 2000 req/s) and 2b (max sustainable rate vs wrk). */
export async function runLoadBenches(settings: LoadBenchSettings, log: (line: string) => void): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const workload = await startWorkload(SERVER_CPU);
  try {
    for (const rate of [200, 1000, 2000]) {
      const stats = await runGeneratorChild(
        { port: workload.port, rate, durationMs: settings.accuracySeconds * 1000, maxVUs: MAX_VUS },
        LOAD_CPU,
      );
      log(`generator ${rate}/s: ${describe(stats)}`);
      const error = Math.abs(stats.achievedRate - rate) / rate;
      rows.push(
        {
          name: `2 rate accuracy @${rate}/s`,
          measured: `${stats.achievedRate.toFixed(1)}/s`,
          target: 'within 1 %',
          comparison: `off by ${pct(error, 2)} of ${rate}/s`,
          pass: error <= 0.01,
        },
        {
          name: `2 lateness p99 @${rate}/s`,
          measured: `${stats.latenessP99Ms.toFixed(2)} ms`,
          target: `< ${LATENESS_P99_LIMIT_MS} ms`,
          comparison:
            `p50 ${stats.latenessP50Ms.toFixed(2)} ms, max ${stats.latenessMaxMs.toFixed(1)} ms, ` +
            `${stats.cpuUsPerRequest.toFixed(0)} µs CPU/request`,
          pass: stats.latenessP99Ms < LATENESS_P99_LIMIT_MS,
        },
        {
          name: `2 drops counted @${rate}/s`,
          measured: `${stats.dropped} dropped`,
          target: 'scheduled = started + dropped',
          comparison: `${stats.scheduled} = ${stats.started} + ${stats.dropped}`,
          pass: stats.countsExact,
        },
      );
    }

    const wrkOutput = await runWrk(workload.port, settings.wrkSeconds, LOAD_CPU);
    const wrkRate = parseWrkRequestsPerSecond(wrkOutput);
    log(`wrk -t1 -c50 -d${settings.wrkSeconds}s: ${wrkRate.toFixed(0)} req/s`);
    let best: GeneratorStats | undefined;
    let firstFail: number | undefined;
    // Doubling from 1k, then two bisection steps between the last rate held and the first missed.
    const tried: string[] = [];
    for (let rate = 1000; rate <= 64_000; rate *= 2) {
      const stats = await runStep(workload.port, rate, settings.stepSeconds);
      tried.push(`${rate}:${holds(stats) ? 'ok' : 'miss'}`);
      log(`  step ${rate}/s: ${describe(stats)}`);
      if (!holds(stats)) {
        firstFail = rate;
        break;
      }
      best = stats;
    }
    for (let i = 0; i < 2 && firstFail !== undefined; i++) {
      const middle = Math.round(((best?.rate ?? firstFail / 2) + firstFail) / 2);
      const stats = await runStep(workload.port, middle, settings.stepSeconds);
      tried.push(`${middle}:${holds(stats) ? 'ok' : 'miss'}`);
      log(`  step ${middle}/s: ${describe(stats)}`);
      if (holds(stats)) best = stats;
      else firstFail = middle;
    }
    const maxRate = best?.rate ?? 0;
    const ratio = maxRate / wrkRate;
    rows.push({
      name: '2 max sustainable rate (1 core)',
      measured: `${maxRate}/s`,
      target: '>= 50 % of wrk',
      comparison:
        `builtin ${maxRate}/s vs wrk ${wrkRate.toFixed(0)}/s = ${pct(ratio)} (steps ${tried.join(' ')}; ` +
        `${best?.cpuUsPerRequest.toFixed(0) ?? '-'} µs generator CPU/request)`,
      pass: ratio >= 0.5,
    });
  } finally {
    await workload.stop();
  }
  return rows;
}

function runStep(port: number, rate: number, seconds: number): Promise<GeneratorStats> {
  return runGeneratorChild({ port, rate, durationMs: seconds * 1000, maxVUs: MAX_VUS }, LOAD_CPU);
}
