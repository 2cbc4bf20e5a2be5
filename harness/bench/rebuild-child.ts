/**
 * Child-process entry of the lean-data benchmark: rebuilds the report of the run folder in argv[2] and prints one
 * JSON line `{ rebuildMs, peakRssBytes, startRssBytes }`. A separate process so that peak RSS is this work's alone.
 */
import { performance } from 'node:perf_hooks';
import { rebuildReport } from '../report/rebuild-report.ts';

const runDir = process.argv[2];
if (!runDir) throw new Error('expected the run folder as the first argument');
const startRssBytes = process.memoryUsage().rss;
const started = performance.now();
await rebuildReport(runDir);
const rebuildMs = performance.now() - started;
// maxRSS is the process's peak resident set in KiB (getrusage), sampled by the kernel, so no peak is missed.
const peakRssBytes = process.resourceUsage().maxRSS * 1024;
process.stdout.write(`${JSON.stringify({ rebuildMs, peakRssBytes, startRssBytes })}\n`);
