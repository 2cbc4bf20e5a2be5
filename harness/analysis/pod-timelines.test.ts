import { describe, expect, it } from 'vitest';
import type { EventBody, LifecycleEvent } from '../model/events.ts';
import { buildPodTimelines, buildPropagation } from './pod-timelines.ts';

const at = (t: number, body: EventBody, source: LifecycleEvent['source'] = 'kubelet'): LifecycleEvent => ({
  ...body,
  t,
  source,
});

// Deliberately out of order: the builder must sort by time.
const events: LifecycleEvent[] = [
  at(3000, { kind: 'pod-terminating', pod: 'old-1', gracePeriodSeconds: 30 }, 'api'),
  at(100, { kind: 'pod-created', pod: 'old-1', revision: 'r1' }, 'replicaset-controller'),
  at(110, { kind: 'endpoint-updated', pod: 'old-1', ready: false, serving: false, terminating: false }),
  at(150, { kind: 'pod-started', pod: 'old-1', pid: 123 }),
  at(500, { kind: 'pod-ready', pod: 'old-1' }),
  at(1000, { kind: 'routing-updated', endpoints: ['old-1', 'legacy'], added: ['old-1'], removed: [] }, 'kube-proxy'),
  at(2000, { kind: 'scenario-start', scenario: 'pod-delete' }, 'scenario'),
  at(2100, { kind: 'pod-created', pod: 'new-1', revision: 'r1' }, 'replicaset-controller'),
  at(3100, { kind: 'endpoint-updated', pod: 'old-1', ready: false, serving: true, terminating: true }),
  at(3150, { kind: 'endpoint-updated', pod: 'old-1', ready: false, serving: false, terminating: true }),
  at(3100, { kind: 'prestop-start', pod: 'old-1', handler: 'sleep' }),
  at(8100, { kind: 'prestop-end', pod: 'old-1', outcome: 'completed' }),
  at(8100, { kind: 'sigterm-sent', pod: 'old-1' }),
  at(8105, { kind: 'app-log', pod: 'old-1', msg: 'sigterm' }, 'app'),
  at(8106, { kind: 'app-log', pod: 'old-1', msg: 'drain-start' }, 'app'),
  at(8200, { kind: 'app-log', pod: 'old-1', msg: 'drain-done' }, 'app'),
  at(8210, { kind: 'pod-exited', pod: 'old-1', exitCode: 0, signal: null }),
  at(8300, { kind: 'endpoint-removed', pod: 'old-1' }, 'endpointslice-controller'),
  at(4000, { kind: 'routing-updated', endpoints: ['legacy'], added: [], removed: ['old-1'] }, 'kube-proxy'),
  at(5000, { kind: 'routing-updated', endpoints: ['legacy'], added: [], removed: ['old-1'] }, 'kube-proxy'),
  at(2200, { kind: 'endpoint-updated', pod: 'new-1', ready: false, serving: false, terminating: false }),
];

describe('buildPodTimelines', () => {
  const pods = buildPodTimelines(events, 2000);
  const byName = (name: string) => pods.find((p) => p.name === name);

  it('has one entry per pod seen, in order of first appearance', () => {
    expect(pods.map((p) => p.name)).toEqual(['old-1', 'legacy', 'new-1']);
  });

  it('fills every field of a terminated pod from the first matching event', () => {
    expect(byName('old-1')).toEqual({
      name: 'old-1',
      revision: 'r1',
      generation: 'old',
      createdMs: 100,
      startedMs: 150,
      readyMs: 500,
      terminatingMs: 3000,
      preStopStartMs: 3100,
      preStopEndMs: 8100,
      preStopOutcome: 'completed',
      sigtermMs: 8100,
      appSigtermMs: 8105,
      drainDoneMs: 8200,
      sigkillMs: null,
      exitedMs: 8210,
      exitCode: 0,
      exitSignal: null,
      endpointNotReadyMs: 3100, // not 110: a new endpoint starting not-ready has not "stopped being ready"
      endpointRemovedMs: 8300,
      routingRemovedMs: 4000,
    });
  });

  it('marks pods created after the disruption as new, and unknown-creation pods as old', () => {
    expect(byName('new-1')?.generation).toBe('new');
    expect(byName('new-1')?.endpointNotReadyMs).toBeNull();
    expect(byName('legacy')).toMatchObject({ generation: 'old', createdMs: null, revision: '' });
  });

  it('treats every pod as old when there was no disruption', () => {
    expect(buildPodTimelines(events, null).every((p) => p.generation === 'old')).toBe(true);
  });

  it('records a SIGKILL and the signal of the exit', () => {
    const killed = buildPodTimelines(
      [
        at(0, { kind: 'pod-terminating', pod: 'p', gracePeriodSeconds: 30 }, 'api'),
        at(30_000, { kind: 'prestop-end', pod: 'p', outcome: 'abandoned' }),
        at(32_000, { kind: 'sigkill-sent', pod: 'p' }),
        at(32_001, { kind: 'pod-exited', pod: 'p', exitCode: 137, signal: 'SIGKILL' }),
      ],
      null,
    )[0];
    expect(killed).toMatchObject({
      preStopOutcome: 'abandoned',
      sigkillMs: 32_000,
      exitCode: 137,
      exitSignal: 'SIGKILL',
      endpointNotReadyMs: null,
    });
  });
});

describe('buildPropagation', () => {
  it('gives delays after Terminating for terminated pods only', () => {
    expect(buildPropagation(buildPodTimelines(events, 2000))).toEqual([
      { pod: 'old-1', endpointNotReadyMs: 100, endpointRemovedMs: 5300, routingRemovedMs: 1000, sigtermMs: 5100 },
    ]);
  });

  it("ignores a real cluster's first not-ready slice that arrives after the pod's Ready (no readiness loss)", () => {
    // Recorded on the development cluster: the slice written while the pod was starting came after its Ready event.
    const pods = buildPodTimelines(
      [
        at(213, { kind: 'pod-created', pod: 'p', revision: 'r1' }, 'api'),
        at(1379, { kind: 'pod-ready', pod: 'p' }),
        at(1394, { kind: 'endpoint-updated', pod: 'p', ready: false, serving: false, terminating: false }),
        at(1395, { kind: 'endpoint-updated', pod: 'p', ready: true, serving: true, terminating: false }),
        at(5847, { kind: 'pod-terminating', pod: 'p', gracePeriodSeconds: 30 }, 'api'),
        at(5935, { kind: 'endpoint-updated', pod: 'p', ready: false, serving: true, terminating: true }),
        at(6819, { kind: 'endpoint-removed', pod: 'p' }, 'endpointslice-controller'),
      ],
      2000,
    );
    expect(buildPropagation(pods)[0]).toMatchObject({ endpointNotReadyMs: 88, endpointRemovedMs: 972 });
  });

  it('uses the app-logged SIGTERM where no kubelet event reports it (a real cluster)', () => {
    const pods = buildPodTimelines(
      [
        at(100, { kind: 'pod-terminating', pod: 'p', gracePeriodSeconds: 30 }, 'api'),
        at(5100, { kind: 'app-log', pod: 'p', msg: 'sigterm' }, 'app'),
      ],
      null,
    );
    expect(buildPropagation(pods)[0]).toMatchObject({ sigtermMs: 5000 });
  });

  it('keeps nulls for steps that never happened', () => {
    const pods = buildPodTimelines([at(10, { kind: 'pod-terminating', pod: 'x', gracePeriodSeconds: 1 }, 'api')], null);
    expect(buildPropagation(pods)).toEqual([
      { pod: 'x', endpointNotReadyMs: null, endpointRemovedMs: null, routingRemovedMs: null, sigtermMs: null },
    ]);
  });
});
