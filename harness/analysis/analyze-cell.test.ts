import { describe, expect, it } from 'vitest';
import type { EventBody, LifecycleEvent } from '../model/events.ts';
import type { RequestSample } from '../model/sample.ts';
import { analyzeCell, type CellInput } from './analyze-cell.ts';

const at = (t: number, body: EventBody): LifecycleEvent => ({ ...body, t, source: 'harness' });

function sample(over: Partial<RequestSample>): RequestSample {
  return { scheduledMs: 0, startMs: 0, durationMs: 10, status: 200, cause: null, pod: 'p1', reused: false, ...over };
}

function input(over: Partial<CellInput> = {}): CellInput {
  const okDurations = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
  return {
    id: 'baseline--pod-delete--r1',
    variant: 'baseline',
    scenario: 'pod-delete',
    repetition: 1,
    status: 'complete',
    samples: [
      ...okDurations.map((d, i) => sample({ scheduledMs: i * 10, startMs: i * 10 + 0.2, durationMs: d })),
      sample({ cause: 'refused', status: 0, durationMs: 0.5 }),
      sample({ cause: 'refused', status: 0, durationMs: 0.5 }),
      sample({ cause: 'reset', status: 0, durationMs: 5000, reused: true }),
      sample({ cause: 'http-5xx', status: 503, durationMs: 3 }),
    ],
    events: [
      at(9000, { kind: 'settled' }),
      at(500, { kind: 'rollout-complete' }), // before the disruption: must not count
      at(7500, { kind: 'rollout-complete' }),
      at(2000, { kind: 'scenario-start', scenario: 'pod-delete' }),
      at(0, { kind: 'load-start' }),
    ],
    load: { scheduled: 20, dropped: 6, started: 14, vus: 4, engine: 'builtin' },
    startedAtEpochMs: 1_700_000_000_000,
    durationMs: 12_000,
    samplesFile: 'cells/baseline--pod-delete--r1/samples.bin',
    samplePods: ['p1'],
    ...over,
  };
}

describe('analyzeCell', () => {
  it('counts requests, failures by cause and the error rate', () => {
    const cell = analyzeCell(input());
    expect(cell.requests).toEqual({ total: 14, failed: 4, succeeded: 10, dropped: 6 });
    expect(cell.failuresByCause).toEqual({ refused: 2, reset: 1, timeout: 0, 'http-5xx': 1, other: 0 });
    expect(cell.errorRate).toBeCloseTo(4 / 14, 12);
  });

  it('takes latency percentiles of successful requests only (nearest rank)', () => {
    expect(analyzeCell(input()).latencyMs).toEqual({ p50: 50, p95: 100, p99: 100, max: 100 });
  });

  it('measures rollout and settled from the disruption', () => {
    const cell = analyzeCell(input());
    expect(cell.disruptionMs).toBe(2000);
    expect(cell.rolloutSeconds).toBe(5.5);
    expect(cell.settledSeconds).toBe(7);
  });

  it('sorts events by time and passes identity and provenance through', () => {
    const cell = analyzeCell(input({ status: 'interrupted', error: 'Ctrl-C' }));
    expect(cell.events.map((e) => e.t)).toEqual([0, 500, 2000, 7500, 9000]);
    expect(cell).toMatchObject({
      id: 'baseline--pod-delete--r1',
      variant: 'baseline',
      scenario: 'pod-delete',
      repetition: 1,
      status: 'interrupted',
      error: 'Ctrl-C',
      durationMs: 12_000,
      startedAtEpochMs: 1_700_000_000_000,
      samplesFile: 'cells/baseline--pod-delete--r1/samples.bin',
      samplePods: ['p1'],
      pods: [],
      propagation: [],
    });
    expect(cell.load.engine).toBe('builtin');
  });

  it('leaves out `error` when there is none', () => {
    expect('error' in analyzeCell(input())).toBe(false);
  });

  it('handles a cell without samples or disruption', () => {
    const cell = analyzeCell(input({ samples: [], events: [] }));
    expect(cell.errorRate).toBe(0);
    expect(cell.latencyMs).toEqual({ p50: null, p95: null, p99: null, max: null });
    expect(cell.disruptionMs).toBeNull();
    expect(cell.rolloutSeconds).toBeNull();
    expect(cell.settledSeconds).toBeNull();
    expect(Object.values(cell.failuresByCause)).toEqual([0, 0, 0, 0, 0]);
  });
});
