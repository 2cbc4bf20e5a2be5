import { gunzipSync } from 'node:zlib';
import { HarnessError } from '../../core/errors.ts';
import type { LoadSummary, RequestSample } from '../../model/sample.ts';
import { k6Cause } from './k6-causes.ts';

/** The custom Trend k6/drain-load.ts records once per request. */
export const K6_REQUEST_METRIC = 'drainlab_req';
/** Markers around the handleSummary JSON (must match k6/drain-load.ts). */
export const SUMMARY_MARKERS = { begin: '--- drainlab-k6-summary-begin ---', end: '--- drainlab-k6-summary-end ---' };
/** Markers around the gzip+base64 NDJSON the in-cluster Job prints (see k6-job.ts). */
export const POINTS_MARKERS = { begin: '--- drainlab-k6-points-begin ---', end: '--- drainlab-k6-points-end ---' };

/**
 * An RFC 3339 time as k6 writes it (`2017-05-09T14:34:45.625742514+02:00`, nanoseconds) to epoch milliseconds,
 * keeping the sub-millisecond part that Date.parse would drop.
 */
export function parseK6Time(text: string): number {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(text);
  const whole = match ? Date.parse(`${match[1]}${match[3]}`) : Number.NaN;
  if (!match || Number.isNaN(whole)) throw new Error(`k6 point time "${text}" is not an RFC 3339 timestamp`);
  return whole + (match[2] ? Number(match[2]) * 1000 : 0);
}

interface K6Point {
  type: string;
  metric: string;
  data: { time: string; value: number; tags: Record<string, string> | null };
}

/**
 * Converts k6 `--out json` NDJSON into samples on the cell clock. Only `drainlab_req` points are used: one per
 * request, value = http_req_duration (ms), tags pod/status/error_code/reused. The point is stamped right after the
 * response, so start = time - duration (TCP connect and DNS time are not in http_req_duration; sub-ms in a cluster).
 * k6 stamps wall-clock time: `originEpochMs` (the cell clock's wall-clock origin) maps it onto the cell clock, so
 * any skew between the k6 host and the harness host shifts samples against events (kind nodes share the host's
 * kernel clock, so it is ~0 there). k6's arrival schedule is not exported per request: scheduledMs = startMs.
 */
export function parseK6Points(ndjson: string, originEpochMs: number): RequestSample[] {
  const samples: RequestSample[] = [];
  let lineNo = 0;
  for (const line of ndjson.split('\n')) {
    lineNo++;
    if (!line.includes(`"${K6_REQUEST_METRIC}"`)) continue;
    let point: K6Point;
    try {
      point = JSON.parse(line) as K6Point;
    } catch {
      throw new HarnessError('k6-output', `k6 JSON output line ${lineNo} is not JSON: ${line.slice(0, 120)}`, {
        hint: 'The k6 output was cut short or mixed with other text; check the k6 log.',
      });
    }
    if (point.type !== 'Point' || point.metric !== K6_REQUEST_METRIC) continue;
    const tags = point.data.tags ?? {};
    const durationMs = point.data.value;
    const status = Number(tags.status ?? 0);
    const startMs = parseK6Time(point.data.time) - durationMs - originEpochMs;
    samples.push({
      scheduledMs: startMs,
      startMs,
      durationMs,
      status,
      cause: k6Cause(Number(tags.error_code ?? 0), status),
      pod: tags.pod ? tags.pod : null,
      reused: tags.reused === '1',
    });
  }
  return samples.sort((a, b) => a.startMs + a.durationMs - (b.startMs + b.durationMs));
}

interface K6SummaryData {
  metrics?: Record<string, { values?: Record<string, number> } | undefined>;
}

/**
 * Totals from k6's handleSummary data: started = iterations, dropped = dropped_iterations (absent when none were
 * dropped), scheduled = both, vus = vus_max.
 */
export function parseK6Summary(data: unknown, engine: string): LoadSummary {
  const metrics = (data as K6SummaryData | null)?.metrics;
  if (!metrics)
    throw new HarnessError('k6-output', 'k6 summary has no "metrics" object', { hint: 'Check the k6 log.' });
  const value = (metric: string, key: string) => metrics[metric]?.values?.[key] ?? 0;
  const started = value('iterations', 'count');
  const dropped = value('dropped_iterations', 'count');
  return {
    scheduled: started + dropped,
    dropped,
    started,
    vus: value('vus_max', 'max') || value('vus_max', 'value'),
    engine,
  };
}

/** The text between the last `begin` marker line and the following `end` marker line, or undefined. */
export function textBetween(text: string, markers: { begin: string; end: string }): string | undefined {
  const start = text.lastIndexOf(markers.begin);
  if (start < 0) return undefined;
  const from = start + markers.begin.length;
  const end = text.indexOf(markers.end, from);
  if (end < 0) return undefined;
  return text.slice(from, end).trim();
}

/** The handleSummary JSON printed between SUMMARY_MARKERS, parsed. */
export function summaryFromOutput(output: string): unknown {
  const json = textBetween(output, SUMMARY_MARKERS);
  if (json === undefined) {
    throw new HarnessError('k6-output', 'k6 printed no summary between the drainlab markers', {
      hint: 'k6 probably failed before the end of the test; its output is above.',
    });
  }
  return JSON.parse(json) as unknown;
}

/** The NDJSON the in-cluster Job printed as gzip+base64 between POINTS_MARKERS, decoded. */
export function pointsFromLog(log: string): string {
  const b64 = textBetween(log, POINTS_MARKERS);
  if (b64 === undefined) {
    throw new HarnessError('k6-output', 'the k6 pod log has no per-request data between the drainlab markers', {
      hint:
        'The log may have been rotated (raise the kubelet containerLogMaxSize in the kind config) or k6 failed; ' +
        'check `kubectl logs job/<name>` in the cell namespace.',
    });
  }
  return gunzipSync(Buffer.from(b64.replace(/\s+/g, ''), 'base64')).toString('utf8');
}
