/**
 * drainlab's measured load for k6 >= 0.57 (which runs TypeScript directly): an open model (constant-arrival-rate)
 * that records, per request, the serving pod and the outcome in one custom Trend `drainlab_req`, so the harness
 * can keep only those points of `--out json` and convert them into its RequestSamples (harness/load/k6/k6-output.ts).
 *
 * Everything is a parameter from the environment (`-e NAME=value` locally, container env in the Job); see
 * harness/load/k6/k6-env.ts for the one place that sets them.
 */
import http from 'k6/http';
import { Trend } from 'k6/metrics';
import type { Options } from 'k6/options';

const env = (name: string, fallback: string): string => __ENV[name] ?? fallback;
const num = (name: string, fallback: number): number => {
  const value = Number(env(name, String(fallback)));
  return Number.isFinite(value) ? value : fallback;
};

const TARGET = env('DRAINLAB_TARGET', 'http://127.0.0.1:8080');
const METHOD = env('DRAINLAB_METHOD', 'POST');
const CELL = env('DRAINLAB_CELL', 'unknown');
const WORK_MIN = num('DRAINLAB_WORK_MIN_MS', 20);
const WORK_MAX = num('DRAINLAB_WORK_MAX_MS', 80);

/** Markers around the handleSummary JSON on stdout; the harness looks for exactly these. */
const SUMMARY_BEGIN = '--- drainlab-k6-summary-begin ---';
const SUMMARY_END = '--- drainlab-k6-summary-end ---';

export const options: Options = {
  scenarios: {
    drain: {
      executor: 'constant-arrival-rate',
      rate: num('DRAINLAB_RATE', 100),
      timeUnit: '1s',
      duration: `${num('DRAINLAB_DURATION_S', 20)}s`,
      preAllocatedVUs: num('DRAINLAB_PREALLOCATED_VUS', 20),
      maxVUs: num('DRAINLAB_MAX_VUS', 100),
      // In-flight requests at the end finish within their own (short) timeout.
      gracefulStop: `${Math.ceil(num('DRAINLAB_TIMEOUT_MS', 2000) / 1000) + 1}s`,
    },
  },
  // Every metric (also the custom one) carries the cell id.
  tags: { cell: CELL },
  noConnectionReuse: env('DRAINLAB_KEEP_ALIVE', '1') !== '1',
  // No `discardResponseBodies`: the body is tiny and the x-pod header is all we need from it anyway.
  summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(99)', 'max', 'count'],
};

// Only exactly the expected status (200, or your app's answer) counts as success, like the built-in generator
// (harness/load/classify-failure.ts).
const expected = http.expectedStatuses(num('DRAINLAB_OK_STATUS', 200));
/** Your own app's request path and body; absent: the workload's work endpoint with a random work time. */
const PATH = __ENV['DRAINLAB_PATH'];
const BODY = __ENV['DRAINLAB_BODY'];

/** One point per request: value = http_req_duration (ms), tags = pod, status, error code, connection reuse. */
const requests = new Trend('drainlab_req', true);

export default function (): void {
  const workMs = WORK_MIN + Math.floor(Math.random() * (WORK_MAX - WORK_MIN + 1));
  const url = PATH === undefined ? `${TARGET}/work?workMs=${workMs}` : `${TARGET}${PATH}`;
  const body = BODY ?? (METHOD === 'POST' ? 'x' : null);
  const res = http.request(METHOD, url, body, {
    timeout: `${num('DRAINLAB_TIMEOUT_MS', 2000)}ms`,
    responseCallback: expected,
    tags: { cell: CELL, name: 'work' },
    ...(BODY === undefined ? {} : { headers: { 'Content-Type': 'application/json' } }),
  });
  const dialFailed = res.error_code >= 1210 && res.error_code <= 1213;
  requests.add(res.timings.duration, {
    pod: res.headers['X-Pod'] ?? res.headers['x-pod'] ?? '',
    status: String(res.status),
    error_code: String(res.error_code),
    // A request that needed no TCP connect went out on a kept-alive connection.
    reused: res.timings.connecting === 0 && !dialFailed ? '1' : '0',
  });
}

/** Prints k6's end-of-test data as one JSON line between markers (totals, dropped_iterations). */
export function handleSummary(data: object): Record<string, string> {
  return { stdout: `\n${SUMMARY_BEGIN}\n${JSON.stringify(data)}\n${SUMMARY_END}\n` };
}
