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
const runMs = (request.leadInMs ?? 0) + request.durationMs;
let capacity = Math.ceil((request.rate * runMs) / 1000) + 16;
let scheduled = new Float64Array(capacity);
let lateness = new Float64Array(capacity);
let count = 0;
let failed = 0;
/** The earliest scheduled time seen: arrival 0's, at the generator's t0. */
let t0 = Infinity;
const grow = (from: Float64Array) => {
  const bigger = new Float64Array(capacity);
  bigger.set(from);
  return bigger;
};
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
  maxDurationMs: runMs,
  seed: 1,
  onSample: (sample) => {
    if (count === capacity) {
      capacity *= 2;
      scheduled = grow(scheduled);
      lateness = grow(lateness);
    }
    t0 = Math.min(t0, sample.scheduledMs);
    scheduled[count] = sample.scheduledMs;
    lateness[count++] = sample.startMs - sample.scheduledMs;
    if (sample.cause !== null) failed++;
  },
});
const cpu = process.cpuUsage(cpuBefore);
// The first arrival always finds a VU (there are none busy yet), so the earliest scheduled time is t0.
const offsets = scheduled.subarray(0, count).map((at) => at - t0);
const stats = summarizeRun(
  request,
  summary,
  { scheduledOffsetMs: offsets, latenessMs: lateness.subarray(0, count) },
  failed,
  cpu.user + cpu.system,
);
process.stdout.write(`${JSON.stringify(stats)}\n`);
