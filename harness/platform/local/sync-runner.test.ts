import { describe, expect, it } from 'vitest';
import { SyncRunner, type RunnerTimers } from './sync-runner.ts';

/** Hand-driven time: timers fire only when the test advances the clock. */
class FakeTime implements RunnerTimers {
  now = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;

  set(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.now + ms, fn, id });
    return id;
  }

  clear(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  pending(): number {
    return this.timers.length;
  }

  advance(ms: number): void {
    const end = this.now + ms;
    for (let guard = 0; guard < 1000; guard++) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.now = Math.max(this.now, due.at);
      due.fn();
    }
    this.now = end;
  }
}

function setup(minIntervalMs: number) {
  const time = new FakeTime();
  const runs: number[] = [];
  const runner = new SyncRunner({ minIntervalMs, now: () => time.now, timers: time, run: () => runs.push(time.now) });
  return { time, runs, runner };
}

describe('SyncRunner', () => {
  it('runs the first request at once', () => {
    const { time, runs, runner } = setup(1000);
    time.advance(50);
    runner.request();
    expect(runs).toEqual([50]);
    expect(time.pending()).toBe(0);
  });

  it('defers a request inside the interval to lastRun + interval, coalescing many requests into one run', () => {
    const { time, runs, runner } = setup(1000);
    runner.request();
    time.advance(100);
    runner.request();
    time.advance(200);
    runner.request();
    runner.request();
    expect(runs).toEqual([0]);
    expect(time.pending()).toBe(1);
    time.advance(699);
    expect(runs).toEqual([0]);
    time.advance(1);
    expect(runs).toEqual([0, 1000]);
    time.advance(5000);
    expect(runs).toEqual([0, 1000]);
  });

  it('runs at once again when the last run is old enough', () => {
    const { time, runs, runner } = setup(1000);
    runner.request();
    time.advance(1500);
    runner.request();
    expect(runs).toEqual([0, 1500]);
    time.advance(10);
    runner.request();
    time.advance(2000);
    expect(runs).toEqual([0, 1500, 2500]);
  });

  it('keeps the interval when a timer fires early against the clock', () => {
    const time = new FakeTime();
    // From 100 on, the runner's clock reads 3 ms behind the timers, as a coarse timer against a fine clock can.
    const now = () => (time.now < 100 ? time.now : time.now - 3);
    const runs: number[] = [];
    const runner = new SyncRunner({ minIntervalMs: 100, now, timers: time, run: () => runs.push(now()) });
    runner.request();
    runner.request();
    time.advance(100);
    expect(runs).toEqual([0]);
    time.advance(10);
    expect(runs).toEqual([0, 100]);
  });

  it('a request made during a run is deferred, not re-entered', () => {
    const time = new FakeTime();
    const runs: number[] = [];
    let depth = 0;
    const runner: SyncRunner = new SyncRunner({
      minIntervalMs: 0,
      now: () => time.now,
      timers: time,
      run: () => {
        depth++;
        expect(depth).toBe(1);
        runs.push(time.now);
        if (runs.length === 1) runner.request();
        depth--;
      },
    });
    runner.request();
    expect(runs).toEqual([0]);
    time.advance(1);
    expect(runs).toEqual([0, 0]);
  });

  it('stop() clears the pending run and ignores later requests', () => {
    const { time, runs, runner } = setup(1000);
    runner.request();
    runner.request();
    expect(time.pending()).toBe(1);
    runner.stop();
    expect(time.pending()).toBe(0);
    runner.request();
    time.advance(5000);
    expect(runs).toEqual([0]);
  });
});
