import { describe, expect, it } from 'vitest';
import type { EventBody, LifecycleEvent } from '../model/events.ts';
import type { PodTimeline } from '../model/results.ts';
import { emptyTimeline } from './pod-timelines.ts';
import { fewestReadyEndpoints, maxOldTerminatingAtOnce } from './rollout-shape.ts';

const pod = (name: string, fields: Partial<PodTimeline>): PodTimeline => ({ ...emptyTimeline(name), ...fields });
const at = (t: number, body: EventBody): LifecycleEvent => ({ ...body, t, source: 'endpointslice-controller' });
const ep = (t: number, p: string, ready: boolean) =>
  at(t, { kind: 'endpoint-updated', pod: p, ready, serving: ready, terminating: !ready });

describe('maxOldTerminatingAtOnce', () => {
  it('is 1 when each old pod exits before the next one starts terminating', () => {
    const pods = [
      pod('a', { terminatingMs: 1000, exitedMs: 1500 }),
      pod('b', { terminatingMs: 1500, exitedMs: 2000 }),
      pod('c', { terminatingMs: 2500, exitedMs: 2600 }),
      pod('new', { generation: 'new', terminatingMs: 1200, exitedMs: 3000 }),
    ];
    expect(maxOldTerminatingAtOnce(pods).count).toBe(1);
  });

  it('counts old pods still in their preStop when the next ones start terminating (the controller does not wait)', () => {
    const pods = [
      pod('a', { terminatingMs: 1000, exitedMs: 6200 }),
      pod('b', { terminatingMs: 2000, exitedMs: 7100 }),
      pod('c', { terminatingMs: 3000, endpointRemovedMs: 8000 }),
    ];
    expect(maxOldTerminatingAtOnce(pods)).toEqual({ count: 3, atMs: 3000 });
  });

  it('is 0 when no old pod terminated', () => {
    expect(maxOldTerminatingAtOnce([pod('a', {})])).toEqual({ count: 0, atMs: null });
  });
});

describe('fewestReadyEndpoints', () => {
  const events = [
    ep(10, 'a', true),
    ep(11, 'b', true),
    ep(12, 'c', true),
    ep(1000, 'd', true), // surge: 4 ready
    ep(1100, 'a', false),
    ep(1200, 'b', false), // 2 ready: a second old pod stopped serving before a new one was ready
    ep(1900, 'e', true),
    at(2000, { kind: 'endpoint-removed', pod: 'a' }),
  ];

  it('finds the lowest count of ready endpoints within the window', () => {
    expect(fewestReadyEndpoints(events, 900, 3000)).toEqual({ count: 2, atMs: 1200 });
  });

  it('counts the state at the start of the window when nothing changes inside it', () => {
    expect(fewestReadyEndpoints(events, 500, 900)).toEqual({ count: 3, atMs: 500 });
  });

  it('is null without any endpoint event', () => {
    expect(fewestReadyEndpoints([], 0, 10)).toBeNull();
  });
});
