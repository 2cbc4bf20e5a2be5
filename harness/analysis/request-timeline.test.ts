import { describe, expect, it } from 'vitest';
import type { PodTimeline } from '../model/results.ts';
import type { RequestSample } from '../model/sample.ts';
import { makeCellInput } from '../report/test-fixtures.ts';
import { analyzeCell } from './analyze-cell.ts';
import { buildRequestTimeline, chooseBucketMs, coarsenTimeline, mechanismOf } from './request-timeline.ts';
import { emptyTimeline } from './pod-timelines.ts';

function sample(startMs: number, over: Partial<RequestSample> = {}): RequestSample {
  return { scheduledMs: startMs, startMs, durationMs: 10, status: 200, cause: null, pod: 'p', reused: false, ...over };
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

function pod(over: Partial<PodTimeline>): PodTimeline {
  return { ...emptyTimeline('p'), revision: 'r', createdMs: 0, startedMs: 0, readyMs: 0, ...over };
}

describe('chooseBucketMs', () => {
  it('takes 100 ms while that keeps the cell within the bucket budget, coarser nice widths beyond', () => {
    expect(chooseBucketMs(-3000, 15_000)).toBe(100); // 181 buckets
    expect(chooseBucketMs(0, 39_900)).toBe(100); // exactly 400
    expect(chooseBucketMs(0, 40_000)).toBe(200); // 401 at 100 ms
    expect(chooseBucketMs(-3000, 120_000)).toBe(500);
    expect(chooseBucketMs(0, 10 * 3600_000)).toBeGreaterThanOrEqual(60_000);
    expect(Math.floor((10 * 3600_000) / chooseBucketMs(0, 10 * 3600_000)) + 1).toBeLessThanOrEqual(400);
  });
});

describe('buildRequestTimeline', () => {
  it('buckets by start time relative to the origin, a boundary going to the later bucket', () => {
    const origin = 5000;
    const t = buildRequestTimeline(
      [
        sample(origin - 150), // bucket [-200, -100)
        sample(origin - 100), // exactly on a boundary: [-100, 0)
        sample(origin - 0.001), // still [-100, 0)
        sample(origin), // [0, 100)
        sample(origin + 99.999, { cause: 'refused', status: 0 }),
        sample(origin + 250, { cause: 'reset', status: 0 }), // [200, 300)
      ],
      origin,
    );
    expect(t).toMatchObject({ originMs: origin, startMs: -200, bucketMs: 100 });
    expect(t.ok).toEqual([1, 2, 1, 0, 0]);
    expect(t.failed).toEqual({ refused: [0, 0, 1, 0, 0], reset: [0, 0, 0, 0, 1] });
  });

  it('keeps totals exact for a real-shaped cell and stays within 400 buckets', () => {
    const cell = analyzeCell(makeCellInput({ variant: 'baseline', repetition: 1 }));
    const t = cell.timeline!;
    expect(t.ok.length).toBeLessThanOrEqual(400);
    expect(sum(t.ok)).toBe(cell.requests.succeeded);
    for (const [cause, series] of Object.entries(t.failed)) {
      expect(sum(series), cause).toBe(cell.failuresByCause[cause as keyof typeof cell.failuresByCause]);
      expect(series).toHaveLength(t.ok.length);
    }
    expect(sum(Object.values(t.mechanisms))).toBe(cell.requests.failed);
    expect(t.mechanisms['refused-before-routing']).toBe(cell.failuresByCause.refused);
    expect(t.originMs).toBe(cell.disruptionMs);
  });

  it('keeps totals exact over a long span with many samples (coarser buckets)', () => {
    const samples = Array.from({ length: 30_000 }, (_, i) =>
      sample(i * 10 + 0.3, i % 97 === 0 ? { cause: 'timeout', status: 0 } : {}),
    );
    const t = buildRequestTimeline(samples, 3000, [], 400);
    expect(t.ok.length).toBeLessThanOrEqual(400);
    expect(t.bucketMs).toBe(1000);
    expect(sum(t.ok) + sum(t.failed.timeout ?? [])).toBe(30_000);
    expect(t.mechanisms.timeout).toBe(sum(t.failed.timeout ?? []));
  });

  it('is empty without samples', () => {
    const t = buildRequestTimeline([], 0);
    expect(t.ok).toEqual([]);
    expect(t.failed).toEqual({});
  });
});

describe('coarsenTimeline', () => {
  it('merges neighbouring buckets without changing any total', () => {
    const samples = Array.from({ length: 1234 }, (_, i) => sample(i * 31, i % 5 === 0 ? { cause: 'reset' } : {}));
    const t = buildRequestTimeline(samples, 0);
    const c = coarsenTimeline(t, 50);
    expect(c.ok.length).toBeLessThanOrEqual(50);
    expect(c.bucketMs % t.bucketMs).toBe(0);
    expect(sum(c.ok)).toBe(sum(t.ok));
    expect(sum(c.failed.reset ?? [])).toBe(sum(t.failed.reset ?? []));
    expect(coarsenTimeline(t, 10_000)).toBe(t);
  });
});

describe('mechanismOf', () => {
  const reset = (startMs: number, reused: boolean) => sample(startMs, { cause: 'reset', status: 0, reused });
  it('tells the reason of a failure from the pod it reached', () => {
    expect(mechanismOf(sample(0, { cause: 'refused' }), undefined)).toBe('refused-before-routing');
    expect(mechanismOf(reset(100, true), pod({ sigkillMs: 105 }))).toBe('killed-at-deadline');
    expect(mechanismOf(reset(100, true), pod({ routingRemovedMs: 50 }))).toBe('pinned-keepalive');
    expect(mechanismOf(reset(100, false), pod({ routingRemovedMs: 50 }))).toBe('reset-on-exit');
    expect(mechanismOf(reset(100, true), pod({ routingRemovedMs: 150 }))).toBe('reset-on-exit');
    expect(mechanismOf(reset(100, true), undefined)).toBe('reset-on-exit');
    expect(mechanismOf(sample(0, { cause: 'http-5xx' }), undefined)).toBe('http-5xx');
  });
});
