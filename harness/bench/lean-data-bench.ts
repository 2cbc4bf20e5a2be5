import { execFile } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { FailureCause, RequestSample } from '../model/sample.ts';
import type { ResultsFile } from '../model/results.ts';
import { SAMPLE_RECORD_BYTES, SamplesFileWriter } from '../report/samples-codec.ts';
import { makeResultsFixture } from '../report/test-fixtures.ts';
import type { BenchRow } from './bench-report.ts';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('./rebuild-child.ts', import.meta.url));
const BYTES_LIMIT = 16;
const REBUILD_LIMIT_MS = 5000;
const RSS_LIMIT_BYTES = 500 * 2 ** 20;
const HTML_LIMIT_BYTES = 2 * 2 ** 20;
const MB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

/** Target 3a: bytes per request of the samples files of a real run, raw and gzip-compressed. */
export async function bytesPerRequestRows(results: ResultsFile, runDir: string): Promise<BenchRow[]> {
  let raw = 0;
  let gzipped = 0;
  let requests = 0;
  for (const cell of results.cells) {
    const data = await readFile(path.join(runDir, cell.samplesFile));
    raw += data.length;
    gzipped += gzipSync(data, { level: 6 }).length;
    requests += cell.requests.total;
  }
  const perRequest = raw / Math.max(1, requests);
  const perRequestGz = gzipped / Math.max(1, requests);
  return [
    {
      name: '3 bytes/request on disk (samples.bin)',
      measured: `${perRequest.toFixed(2)} B`,
      target: `< ${BYTES_LIMIT} B`,
      comparison: `${raw} B for ${requests} requests; codec record is ${SAMPLE_RECORD_BYTES} B; gzip -6 would give ${perRequestGz.toFixed(2)} B/request`,
      pass: perRequest < BYTES_LIMIT,
    },
  ];
}

/** Synthesizes a run folder with `total` requests spread over the fixture's cells (timelines left to rebuild). */
export async function synthesizeRun(runDir: string, total: number): Promise<void> {
  const fixture = makeResultsFixture();
  const perCell = Math.ceil(total / fixture.cells.length);
  const causes: FailureCause[] = ['refused', 'reset'];
  let left = total;
  const cells = [];
  for (const cell of fixture.cells) {
    const n = Math.min(perCell, left);
    left -= n;
    await mkdir(path.join(runDir, path.dirname(cell.samplesFile)), { recursive: true });
    const writer = new SamplesFileWriter(path.join(runDir, cell.samplesFile));
    const pods = cell.pods.map((p) => p.name);
    const disruption = cell.disruptionMs ?? 0;
    const spanMs = Math.max(1000, cell.durationMs - 500);
    let failed = 0;
    const byCause: Record<string, number> = {};
    for (let i = 0; i < n; i++) {
      const scheduledMs = 100 + (i * spanMs) / n;
      // A thin band of failures just after the disruption, like a lossy variant's.
      const fails = scheduledMs > disruption && scheduledMs < disruption + 1500 && i % 50 === 0;
      const cause = fails ? (causes[i % 2] ?? 'reset') : null;
      if (cause) {
        failed++;
        byCause[cause] = (byCause[cause] ?? 0) + 1;
      }
      const sample: RequestSample = {
        scheduledMs,
        startMs: scheduledMs + 0.3,
        durationMs: cause ? 1 : 20 + (i % 61),
        status: cause ? 0 : 200,
        cause,
        pod: pods[i % Math.max(1, pods.length)] ?? null,
        reused: i % 7 !== 0,
      };
      writer.append(sample);
    }
    const written = await writer.close();
    const { timeline: _dropped, ...rest } = cell;
    cells.push({
      ...rest,
      requests: { total: n, failed, succeeded: n - failed, dropped: 0 },
      errorRate: failed / Math.max(1, n),
      failuresByCause: { ...cell.failuresByCause, refused: byCause.refused ?? 0, reset: byCause.reset ?? 0 },
      load: { ...cell.load, scheduled: n, started: n },
      samplePods: written.pods,
    });
  }
  await writeFile(path.join(runDir, 'results.json'), JSON.stringify({ ...fixture, cells }));
}

/** Target 3b/3c: time, peak memory and HTML size of rebuilding the report of a synthesized run. */
export async function rebuildRows(runDir: string, total: number, log: (line: string) => void): Promise<BenchRow[]> {
  const startedAt = Date.now();
  await synthesizeRun(runDir, total);
  log(
    `synthesized ${total} requests in ${((Date.now() - startedAt) / 1000).toFixed(1)} s (${MB(total * SAMPLE_RECORD_BYTES)} of samples)`,
  );
  const { stdout } = await run(process.execPath, ['--import', 'tsx', CHILD, runDir], {
    timeout: 120_000,
    killSignal: 'SIGKILL',
    maxBuffer: 1 << 20,
  });
  const measured = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
    rebuildMs: number;
    peakRssBytes: number;
    startRssBytes: number;
  };
  const html = (await stat(path.join(runDir, 'index.html'))).size;
  return [
    {
      name: `3 report rebuild time (${total} requests)`,
      measured: `${(measured.rebuildMs / 1000).toFixed(2)} s`,
      target: `< ${REBUILD_LIMIT_MS / 1000} s`,
      comparison: `rebuildReport() in a child process (excluding its ~Node+tsx start-up)`,
      pass: measured.rebuildMs < REBUILD_LIMIT_MS,
    },
    {
      name: `3 report rebuild peak RSS (${total} requests)`,
      measured: MB(measured.peakRssBytes),
      target: `< ${MB(RSS_LIMIT_BYTES)}`,
      comparison: `whole child process peak (getrusage maxRSS); ${MB(measured.startRssBytes)} before rebuilding`,
      pass: measured.peakRssBytes < RSS_LIMIT_BYTES,
    },
    {
      name: `3 HTML size (${total} requests)`,
      measured: MB(html),
      target: `< ${MB(HTML_LIMIT_BYTES)}`,
      comparison: `${html} B index.html`,
      pass: html < HTML_LIMIT_BYTES,
    },
  ];
}
