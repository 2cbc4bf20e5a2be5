import { gzipSync } from 'node:zlib';
import { POINTS_MARKERS, SUMMARY_MARKERS } from '../../../load/k6/k6-output.ts';

/** One request as the fixture writes it. */
export interface FakeRequest {
  /** Wall-clock end of the request (epoch ms). */
  endEpochMs: number;
  durationMs: number;
  status: number;
  errorCode: number;
  pod: string;
  reused: boolean;
}

/** RFC 3339 with nanoseconds and a +00:00 offset, as k6 writes point times. */
export function k6Time(epochMs: number): string {
  const whole = Math.floor(epochMs / 1000) * 1000;
  const nanos = String(Math.round((epochMs - whole) * 1e6)).padStart(9, '0');
  return `${new Date(whole).toISOString().slice(0, 19)}.${nanos}+00:00`;
}

/** NDJSON in k6's documented `--out json` format: Metric declarations, then Points (also built-in ones). */
export function k6Ndjson(requests: FakeRequest[], cell = 'cell-1'): string {
  const lines = [
    {
      type: 'Metric',
      data: { name: 'http_req_duration', type: 'trend', contains: 'time', thresholds: [], submetrics: null },
      metric: 'http_req_duration',
    },
    {
      type: 'Metric',
      data: { name: 'drainlab_req', type: 'trend', contains: 'time', thresholds: [], submetrics: null },
      metric: 'drainlab_req',
    },
  ];
  for (const r of requests) {
    const time = k6Time(r.endEpochMs);
    const common = { cell, scenario: 'drain', group: '' };
    lines.push({
      type: 'Point',
      data: {
        time,
        value: r.durationMs,
        tags: {
          ...common,
          method: 'POST',
          name: 'work',
          status: String(r.status),
          expected_response: String(r.status === 200),
          ...(r.errorCode ? { error_code: String(r.errorCode) } : {}),
        },
      },
      metric: 'http_req_duration',
    } as never);
    lines.push({
      type: 'Point',
      data: {
        time,
        value: r.durationMs,
        tags: {
          ...common,
          pod: r.pod,
          status: String(r.status),
          error_code: String(r.errorCode),
          reused: r.reused ? '1' : '0',
        },
      },
      metric: 'drainlab_req',
    } as never);
  }
  return `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;
}

/** handleSummary data in k6's shape (only the metrics the harness reads, plus one it ignores). */
export function k6SummaryData(started: number, dropped: number, vusMax: number): object {
  return {
    root_group: { name: '', path: '', groups: [], checks: [] },
    options: { summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'] },
    state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: 20000 },
    metrics: {
      iterations: { type: 'counter', contains: 'default', values: { count: started, rate: started / 20 } },
      ...(dropped > 0
        ? { dropped_iterations: { type: 'counter', contains: 'default', values: { count: dropped, rate: 0.1 } } }
        : {}),
      vus_max: { type: 'gauge', contains: 'default', values: { value: vusMax, min: vusMax, max: vusMax } },
      http_req_duration: {
        type: 'trend',
        contains: 'time',
        values: { avg: 50, min: 1, med: 50, max: 99, 'p(90)': 90, 'p(95)': 95 },
      },
    },
  };
}

/** The pod log the in-cluster Job prints: k6's own output, the summary markers, then the points block. */
export function k6JobLog(requests: FakeRequest[], summary: object): string {
  const points = requests.length
    ? k6Ndjson(requests)
        .split('\n')
        .filter((l) => l.includes('"metric":"drainlab_req"') && l.includes('"Point"'))
        .join('\n') + '\n'
    : '';
  const b64 = gzipSync(points)
    .toString('base64')
    .replace(/(.{76})/g, '$1\n');
  return [
    '         /\\      Grafana   /‾‾/  ',
    'running (0m20.0s), 000/010 VUs, 2000 complete and 0 interrupted iterations',
    SUMMARY_MARKERS.begin,
    JSON.stringify(summary),
    SUMMARY_MARKERS.end,
    POINTS_MARKERS.begin,
    b64,
    POINTS_MARKERS.end,
    '',
  ].join('\n');
}
