import type { FailureMechanism, PodTimeline, RequestTimeline } from '../model/results.ts';
import type { FailureCause, RequestSample } from '../model/sample.ts';

/** Every mechanism, in the order the report explains them. */
export const FAILURE_MECHANISMS: readonly FailureMechanism[] = [
  'refused-before-routing',
  'reset-on-exit',
  'pinned-keepalive',
  'killed-at-deadline',
  'timeout',
  'http-5xx',
  'other',
];

/** A cell is drawn with at most this many buckets: enough detail for a laptop-wide chart, small in results.json. */
export const MAX_BUCKETS = 400;

/** Bucket widths to choose from (ms); 100 ms is the finest: at 100 req/s that is ~10 requests per bucket. */
const NICE_BUCKETS_MS = [100, 200, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000];

/** Buckets of `width` aligned to multiples of it that cover [minMs, maxMs]. */
function bucketsNeeded(minMs: number, maxMs: number, width: number): number {
  return Math.floor(maxMs / width) - Math.floor(minMs / width) + 1;
}

/** The finest nice bucket width whose aligned buckets cover [minMs, maxMs] in at most `maxBuckets` buckets. */
export function chooseBucketMs(minMs: number, maxMs: number, maxBuckets = MAX_BUCKETS): number {
  for (const width of NICE_BUCKETS_MS) {
    if (bucketsNeeded(minMs, maxMs, width) <= maxBuckets) return width;
  }
  let width = 60_000;
  while (bucketsNeeded(minMs, maxMs, width) > maxBuckets) width *= 2;
  return width;
}

function zeroMechanisms(): Record<FailureMechanism, number> {
  return Object.fromEntries(FAILURE_MECHANISMS.map((m) => [m, 0])) as Record<FailureMechanism, number>;
}

/** Why one failed request failed (see FailureMechanism); `pod` is the timeline of the pod that served it, if known. */
export function mechanismOf(sample: RequestSample, pod: PodTimeline | undefined): FailureMechanism {
  const cause = sample.cause ?? 'other';
  if (cause === 'refused') return 'refused-before-routing';
  if (cause !== 'reset') return cause;
  if (pod?.sigkillMs != null && sample.startMs + sample.durationMs >= pod.sigkillMs) return 'killed-at-deadline';
  if (sample.reused && pod?.routingRemovedMs != null && sample.startMs >= pod.routingRemovedMs) {
    return 'pinned-keepalive';
  }
  return 'reset-on-exit';
}

/**
 * Counts requests per time bucket by their start time, relative to `originMs` (normally the disruption), split into
 * successes and each failure cause, and counts failures per mechanism (pure). A request starting exactly on a bucket
 * boundary belongs to the later bucket. The bucket width is the finest nice width that keeps the cell within
 * `maxBuckets`; every sample lands in exactly one bucket, so the counts sum to the number of samples.
 */
export function buildRequestTimeline(
  samples: readonly RequestSample[],
  originMs: number,
  pods: readonly PodTimeline[] = [],
  maxBuckets = MAX_BUCKETS,
): RequestTimeline {
  const mechanisms = zeroMechanisms();
  if (samples.length === 0) return { originMs, startMs: 0, bucketMs: 100, ok: [], failed: {}, mechanisms };
  let min = Infinity;
  let max = -Infinity;
  for (const s of samples) {
    min = Math.min(min, s.startMs - originMs);
    max = Math.max(max, s.startMs - originMs);
  }
  const bucketMs = chooseBucketMs(min, max, Math.max(2, maxBuckets));
  const startMs = Math.floor(min / bucketMs) * bucketMs;
  const count = Math.floor((max - startMs) / bucketMs) + 1;
  const ok = new Array<number>(count).fill(0);
  const failed: Partial<Record<FailureCause, number[]>> = {};
  const byPod = new Map(pods.map((p) => [p.name, p]));

  for (const s of samples) {
    const raw = Math.floor((s.startMs - originMs - startMs) / bucketMs);
    const index = Math.min(count - 1, Math.max(0, raw)); // floating-point guard at the edges
    if (s.cause === null) {
      ok[index] = (ok[index] ?? 0) + 1;
      continue;
    }
    const series = (failed[s.cause] ??= new Array<number>(count).fill(0));
    series[index] = (series[index] ?? 0) + 1;
    mechanisms[mechanismOf(s, s.pod === null ? undefined : byPod.get(s.pod))] += 1;
  }
  return { originMs, startMs, bucketMs, ok, failed, mechanisms };
}

function merge(series: readonly number[], factor: number): number[] {
  const out = new Array<number>(Math.ceil(series.length / factor)).fill(0);
  series.forEach((n, i) => {
    const j = Math.floor(i / factor);
    out[j] = (out[j] ?? 0) + n;
  });
  return out;
}

/** The same timeline with neighbouring buckets merged so it has at most `maxBuckets`; totals stay exact. */
export function coarsenTimeline(timeline: RequestTimeline, maxBuckets: number): RequestTimeline {
  const factor = Math.ceil(timeline.ok.length / Math.max(1, maxBuckets));
  if (factor <= 1) return timeline;
  const failed: Partial<Record<FailureCause, number[]>> = {};
  for (const [cause, series] of Object.entries(timeline.failed) as [FailureCause, number[]][]) {
    failed[cause] = merge(series, factor);
  }
  return { ...timeline, bucketMs: timeline.bucketMs * factor, ok: merge(timeline.ok, factor), failed };
}
