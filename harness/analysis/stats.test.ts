import { describe, expect, it } from 'vitest';
import { mean, median, percentile, wilsonInterval } from './stats.ts';

describe('percentile (nearest-rank)', () => {
  const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

  it('returns a measured value at the nearest rank', () => {
    expect(percentile(ten, 50)).toBe(5);
    expect(percentile(ten, 51)).toBe(6);
    expect(percentile(ten, 90)).toBe(9);
    expect(percentile(ten, 99)).toBe(10);
    expect(percentile(ten, 100)).toBe(10);
    expect(percentile(ten, 0)).toBe(1);
  });

  it('handles 1 and 0 values', () => {
    expect(percentile([42], 99)).toBe(42);
    expect(percentile([], 50)).toBeNull();
  });

  it('p99 of 1..1000 is 990', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(percentile(values, 99)).toBe(990);
    expect(percentile(values, 95)).toBe(950);
  });

  it('rejects percentages outside 0..100', () => {
    expect(() => percentile(ten, 101)).toThrow(/0\.\.100/);
    expect(() => percentile(ten, Number.NaN)).toThrow(RangeError);
  });
});

describe('wilsonInterval', () => {
  it('matches the known value for 5 of 100', () => {
    const { low, high } = wilsonInterval(5, 100);
    expect(low).toBeCloseTo(0.0215, 4);
    expect(high).toBeCloseTo(0.1118, 4);
  });

  it('0 of n starts exactly at 0 and is narrower for larger n', () => {
    const small = wilsonInterval(0, 100);
    const large = wilsonInterval(0, 3000);
    expect(small.low).toBe(0);
    expect(large.low).toBe(0);
    expect(small.high).toBeCloseTo(0.037, 3); // ≈ z²/(n+z²)
    expect(large.high).toBeCloseTo(0.00128, 5);
  });

  it('n of n ends exactly at 1', () => {
    const { low, high } = wilsonInterval(20, 20);
    expect(high).toBe(1);
    expect(low).toBeCloseTo(0.839, 3);
  });

  it('0 of 0 is the whole range', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it('is symmetric: k of n mirrors n-k of n', () => {
    const a = wilsonInterval(3, 40);
    const b = wilsonInterval(37, 40);
    expect(a.low).toBeCloseTo(1 - b.high, 12);
    expect(a.high).toBeCloseTo(1 - b.low, 12);
  });

  it('a wider z gives a wider interval', () => {
    const z95 = wilsonInterval(10, 200);
    const z99 = wilsonInterval(10, 200, 2.576);
    expect(z99.low).toBeLessThan(z95.low);
    expect(z99.high).toBeGreaterThan(z95.high);
  });
});

describe('median and mean', () => {
  it('computes odd, even and empty', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(mean([1, 2, 6])).toBe(3);
    expect(mean([])).toBeNull();
  });
});
