/**
 * Child-process entry of the load-generator benchmarks: runs the built-in generator once against a port on
 * 127.0.0.1 and prints one JSON line of GeneratorStats on stdout. Run in its own process so it can be pinned to a
 * CPU and measured alone. Usage: `node --import tsx generator-child.ts '{"port":1,"rate":1000,"durationMs":10000}'`.
 */
import { createClock } from '../core/clock.ts';
import { BuiltinLoadGenerator } from '../load/builtin-generator.ts';
import { DEFAULT_LOAD_PROFILE } from '../model/load-profile.ts';
import { summarizeRun, type GeneratorRequest } from './generator-stats.ts';

const request = JSON.parse(process.argv[2] ?? '{}') as GeneratorRequest;
const clock = createClock();
let lateness = new Float64Array(Math.ceil((request.rate * request.durationMs) / 1000) + 16);
let count = 0;
let failed = 0;
let lastStart = -Infinity;
const t0 = clock.now();
const cpuBefore = process.cpuUsage();
const summary = await new BuiltinLoadGenerator().run({
  target: { host: '127.0.0.1', port: request.port },
  profile: {
    ...DEFAULT_LOAD_PROFILE,
    rate: request.rate,
    keepAlive: true,
    workMs: { min: 0, max: 0 },
    maxVUs: request.maxVUs,
  },
  clock,
  stop: new AbortController().signal,
  maxDurationMs: request.durationMs,
  seed: 1,
  onSample: (sample) => {
    if (count === lateness.length) {
      const bigger = new Float64Array(lateness.length * 2);
      bigger.set(lateness);
      lateness = bigger;
    }
    lateness[count++] = sample.startMs - sample.scheduledMs;
    if (sample.cause !== null) failed++;
    lastStart = Math.max(lastStart, sample.startMs);
  },
});
const cpu = process.cpuUsage(cpuBefore);
const stats = summarizeRun(
  request,
  summary,
  lateness.subarray(0, count),
  failed,
  lastStart - t0,
  cpu.user + cpu.system,
);
process.stdout.write(`${JSON.stringify(stats)}\n`);
