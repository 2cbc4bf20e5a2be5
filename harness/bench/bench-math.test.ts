import { describe, expect, it } from 'vitest';
import type { CellResult } from '../model/results.ts';
import { DEFAULT_LOAD_PROFILE } from '../model/load-profile.ts';
import { findVariant } from '../variants/catalog.ts';
import {
  compareVerdicts,
  inherentCellMs,
  intervalsOverlap,
  meanOf,
  parseWrkRequestsPerSecond,
  percentileOf,
  routingWindowMs,
} from './bench-math.ts';
import { exitCodeOf, formatRows, type BenchRow } from './bench-report.ts';
import { summarizeRun } from './generator-stats.ts';

const WRK_OUTPUT = `Running 10s test @ http://127.0.0.1:4000/work
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     6.20ms   12.87ms 126.46ms   91.72%
  53079 requests in 3.03s, 9.92MB read
Requests/sec:  17535.98
Transfer/sec:      3.28MB
`;

describe('percentileOf', () => {
  it('takes the nearest rank of unsorted values', () => {
    expect(percentileOf([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentileOf(Float64Array.from([10, 1, 9, 2, 8, 3, 7, 4, 6, 5]), 99)).toBe(10);
    expect(percentileOf([], 99)).toBeNull();
  });
});

describe('parseWrkRequestsPerSecond', () => {
  it('reads the Requests/sec line', () => {
    expect(parseWrkRequestsPerSecond(WRK_OUTPUT)).toBeCloseTo(17535.98);
  });
  it('says what it expected when the line is missing', () => {
    expect(() => parseWrkRequestsPerSecond('unable to connect')).toThrow(/Requests\/sec/);
  });
});

describe('inherentCellMs', () => {
  const variant = findVariant('prestop-drain')!;
  const cell = { settledSeconds: 9, durationMs: 20_000 } as CellResult;

  it('is readiness start-up + warm-up + max(settled + cool-down, duration)', () => {
    // probe: initialDelay 0 + period 1 s; warm-up 3 s; max(9 + 2, 10) = 11 s
    expect(inherentCellMs(cell, variant, DEFAULT_LOAD_PROFILE, 1)).toBe(1000 + 3000 + 11_000);
  });
  it('uses the minimum duration when the disruption settles early', () => {
    expect(inherentCellMs({ ...cell, settledSeconds: 2 }, variant, DEFAULT_LOAD_PROFILE, 1)).toBe(14_000);
  });
  it('scales the settings but not the measured settle time', () => {
    // 0.25 × (1 + 3) s + max(9 s + 0.5 s, 2.5 s)
    expect(inherentCellMs(cell, variant, DEFAULT_LOAD_PROFILE, 0.25)).toBe(1000 + 9500);
  });
  it('has no inherent duration when the cell never settled', () => {
    expect(inherentCellMs({ ...cell, settledSeconds: null }, variant, DEFAULT_LOAD_PROFILE, 1)).toBeNull();
  });
});

describe('small helpers', () => {
  it('tells overlapping intervals from disjoint ones', () => {
    expect(intervalsOverlap({ low: 0, high: 0.02 }, { low: 0.01, high: 0.03 })).toBe(true);
    expect(intervalsOverlap({ low: 0, high: 0.01 }, { low: 0.02, high: 0.03 })).toBe(false);
  });
  it('computes the routing window from the propagation settings', () => {
    const settings = {
      kubeletNoticeSeconds: 0.1,
      endpointsControllerSeconds: 0.1,
      proxyWatchSeconds: 0.1,
      proxyMinSyncSeconds: 1,
    };
    expect(routingWindowMs(settings, 1)).toEqual({ low: 200, high: 1200 });
    expect(routingWindowMs(settings, 0.5)).toEqual({ low: 100, high: 600 });
  });
  it('averages present values only', () => {
    expect(meanOf([1, null, 3])).toBe(2);
    expect(meanOf([null])).toBeNull();
  });
  it('marks verdicts that changed or went missing', () => {
    const compared = compareVerdicts(
      new Map([
        ['a/x', 'no-loss'],
        ['b/x', 'loses-requests'],
        ['c/x', 'no-loss'],
      ]),
      new Map([
        ['a/x', 'no-loss'],
        ['b/x', 'no-loss'],
      ]),
    );
    expect(compared.map((c) => c.holds)).toEqual([true, false, false]);
    expect(compared[2]?.candidate).toBe('missing');
  });
});

describe('summarizeRun', () => {
  const starts = (offsets: number[], lateness: number[]) => ({
    scheduledOffsetMs: Float64Array.from(offsets),
    latenessMs: Float64Array.from(lateness),
  });

  it('counts a late tail against the achieved rate and checks the totals', () => {
    const request = { port: 1, rate: 100, durationMs: 1000, maxVUs: 10 };
    const summary = { scheduled: 100, dropped: 2, started: 98, vus: 3, engine: 'builtin' };
    // 98 of 100 arrivals started (10 ms apart), the last one at 970 + 430 = 1400 ms.
    const offsets = Array.from({ length: 98 }, (_, i) => i * 10);
    const lateness = Array.from({ length: 98 }, (_, i) => (i === 97 ? 430 : i / 10));
    const stats = summarizeRun(request, summary, starts(offsets, lateness), 1, 4900);
    expect(stats.achievedRate).toBeCloseTo(70); // 98 started over 1.4 s, not over 1 s
    expect(stats.countsExact).toBe(true);
    expect(stats.dropped).toBe(2);
    expect(stats.latenessP99Ms).toBe(430); // nearest rank 98 of 98
    expect(stats.latenessP50Ms).toBeCloseTo(4.8); // rank 49
    expect(stats.latenessMaxMs).toBe(430);
    expect(stats.cpuUsPerRequest).toBe(50);
    expect(stats.leadInDropped).toBe(0);
    const inexact = summarizeRun(request, { ...summary, dropped: 0 }, starts(offsets, lateness), 0, 0);
    expect(inexact.countsExact).toBe(false);
  });

  it('measures only the window after the lead-in and puts the lead-in drops apart', () => {
    // 1000/s for 0.5 s lead-in + 1 s window: 1500 arrivals; 30 dropped in the lead-in (index 100..129), 5 in the window.
    const request = { port: 1, rate: 1000, durationMs: 1000, leadInMs: 500, maxVUs: 10 };
    const summary = { scheduled: 1500, dropped: 35, started: 1465, vus: 10, engine: 'builtin' };
    const offsets: number[] = [];
    const lateness: number[] = [];
    for (let i = 0; i < 1500; i++) {
      if ((i >= 100 && i < 130) || (i >= 900 && i < 905)) continue;
      offsets.push(i);
      lateness.push(i < 500 ? 50 : 1); // the cold start is late, the window is not
    }
    const stats = summarizeRun(request, summary, starts(offsets, lateness), 0, 0);
    expect(stats.scheduled).toBe(1000);
    expect(stats.started).toBe(995);
    expect(stats.dropped).toBe(5);
    expect(stats.leadInDropped).toBe(30);
    expect(stats.latenessMaxMs).toBe(1);
    expect(stats.achievedRate).toBeCloseTo(995);
    expect(stats.countsExact).toBe(true);
  });
});

describe('bench report', () => {
  const row = (pass: boolean | null): BenchRow => ({ name: 'n', measured: 'm', target: 't', comparison: 'c', pass });
  it('exits 1 only when a target was missed', () => {
    expect(exitCodeOf([row(true), row(null)])).toBe(0);
    expect(exitCodeOf([row(true), row(false)])).toBe(1);
  });
  it('labels every row', () => {
    const text = formatRows([row(true), row(false), row(null)]);
    expect(text).toMatch(/PASS/);
    expect(text).toMatch(/MISS/);
    expect(text).toMatch(/info/);
  });
});
