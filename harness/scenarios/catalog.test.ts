import { describe, expect, it } from 'vitest';
import type { ClusterClient, PodInfo } from '../platform/cluster-client.ts';
import { HarnessError } from '../core/errors.ts';
import type { ScenarioContext } from './scenario.ts';
import { DEFAULT_SCENARIO_NAMES, SCENARIOS, SCENARIO_NAMES, findScenario } from './catalog.ts';
import { podDelete, podDeleteScenario } from './pod-delete.ts';
import { RESTARTED_AT_ANNOTATION, rollingUpdate, rollingUpdateScenario } from './rolling-update.ts';
import { scaleDown, scaleScenario } from './scale-down.ts';

type Call = [method: string, ...args: unknown[]];

/** A ClusterClient that records every call and serves a fixed pod list. */
function fakeContext(pods: PodInfo[] = [], signal = new AbortController().signal) {
  const calls: Call[] = [];
  const actions: [string, string | undefined][] = [];
  const client: ClusterClient = {
    deploymentName: 'web',
    patchTemplateAnnotations: async (a) => void calls.push(['patchTemplateAnnotations', a]),
    deletePod: async (name, grace) =>
      void calls.push(grace === undefined ? ['deletePod', name] : ['deletePod', name, grace]),
    setRollingUpdate: async (s) => void calls.push(['setRollingUpdate', s]),
    scale: async (replicas) => void calls.push(['scale', replicas]),
    listPods: async () => {
      calls.push(['listPods']);
      return pods;
    },
  };
  const ctx: ScenarioContext = { client, signal, action: (a, t) => void actions.push([a, t]) };
  return { ctx, calls, actions };
}

const pod = (name: string, ready: boolean, terminating = false): PodInfo => ({
  name,
  revision: 'abc',
  ready,
  terminating,
});

describe('scenario catalog', () => {
  it('lists the contract scenarios in order, each with both languages and 3 replicas', () => {
    expect(SCENARIO_NAMES).toEqual(['rolling-update', 'pod-delete', 'scale-down', 'rolling-update-wide']);
    expect(DEFAULT_SCENARIO_NAMES).toEqual(['rolling-update', 'pod-delete', 'scale-down']);
    for (const s of SCENARIOS) {
      expect(s.summary.en).toMatch(/\w/);
      expect(s.summary.ja).toMatch(/[\u3040-\u30ff]/);
      expect(s.initialReplicas).toBe(3);
    }
    expect(findScenario('pod-delete')).toBe(podDelete);
    expect(findScenario('nope')).toBeUndefined();
  });
});

describe('rolling-update', () => {
  it('patches the restarted-at template annotation with the current ISO time, once', async () => {
    const { ctx, calls, actions } = fakeContext();
    const before = Date.now();
    await rollingUpdate.trigger(ctx);
    expect(calls).toHaveLength(1);
    const [method, annotations] = calls[0] as Call;
    expect(method).toBe('patchTemplateAnnotations');
    const value = (annotations as Record<string, string>)[RESTARTED_AT_ANNOTATION] ?? '';
    expect(Object.keys(annotations as object)).toEqual(['drainlab/restarted-at']);
    expect(new Date(value).toISOString()).toBe(value);
    expect(Date.parse(value)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(value)).toBeLessThanOrEqual(Date.now() + 1);
    expect(actions).toHaveLength(1);
    expect(actions[0]?.[1]).toBe('web');
  });

  it('gives a different annotation value on a later trigger, so the second restart also rolls', async () => {
    const first = fakeContext();
    await rollingUpdate.trigger(first.ctx);
    await new Promise((r) => setTimeout(r, 5));
    const second = fakeContext();
    await rollingUpdate.trigger(second.ctx);
    expect(first.calls[0]?.[1]).not.toEqual(second.calls[0]?.[1]);
  });
});

describe('pod-delete', () => {
  it('deletes only the oldest ready, non-terminating pod and records it', async () => {
    const pods = [pod('web-old-term', true, true), pod('web-starting', false), pod('web-a', true), pod('web-b', true)];
    const { ctx, calls, actions } = fakeContext(pods);
    await podDelete.trigger(ctx);
    expect(calls).toEqual([['listPods'], ['deletePod', 'web-a']]);
    expect(actions).toEqual([['delete pod', 'web-a']]);
  });

  it('fails with what it found when no pod is ready, deleting nothing', async () => {
    const { ctx, calls } = fakeContext([pod('web-x', false), pod('web-y', true, true)]);
    const err = await podDelete.trigger(ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HarnessError);
    expect((err as HarnessError).message).toContain('web-x(not ready)');
    expect((err as HarnessError).message).toContain('web-y(ready, terminating)');
    expect(calls).toEqual([['listPods']]);
  });
});

describe('scale-down', () => {
  it('scales to 1 replica', async () => {
    const { ctx, calls, actions } = fakeContext();
    await scaleDown.trigger(ctx);
    expect(calls).toEqual([['scale', 1]]);
    expect(actions).toEqual([['scale to 1', 'web']]);
  });
});

describe('interrupted runs', () => {
  it('every scenario does nothing once the signal is aborted', async () => {
    for (const s of SCENARIOS) {
      const ac = new AbortController();
      ac.abort(new Error('interrupted'));
      const { ctx, calls } = fakeContext([pod('web-a', true)], ac.signal);
      await expect(s.trigger(ctx), s.name).rejects.toThrow('interrupted');
      expect(calls, s.name).toEqual([]);
    }
  });
});

describe('scenarios an experiment file defines from the kinds', () => {
  it('a rolling update with its own strategy sets it before the template changes, and starts with its replicas', async () => {
    const s = rollingUpdateScenario({ name: 'mine', replicas: 5, strategy: { maxSurge: 0, maxUnavailable: '40%' } });
    expect(s.initialReplicas).toBe(5);
    expect(s.summary.en).toContain('maxSurge 0, maxUnavailable 40%');
    const { ctx, calls, actions } = fakeContext();
    await s.trigger(ctx);
    expect(calls.map((c) => c[0])).toEqual(['setRollingUpdate', 'patchTemplateAnnotations']);
    expect(calls[0]?.[1]).toEqual({ maxSurge: 0, maxUnavailable: '40%' });
    expect(actions[0]?.[0]).toBe('set rolling update strategy (maxSurge 0, maxUnavailable 40%)');
  });

  it('a pod delete of N takes the N oldest ready pods at once, with the grace period override', async () => {
    const s = podDeleteScenario({ name: 'two', replicas: 4, count: 2, gracePeriodSeconds: 5 });
    expect(s.initialReplicas).toBe(4);
    const pods = [
      pod('web-t', true, true),
      pod('web-a', true),
      pod('web-n', false),
      pod('web-b', true),
      pod('web-c', true),
    ];
    const { ctx, calls, actions } = fakeContext(pods);
    await s.trigger(ctx);
    expect(calls).toEqual([['listPods'], ['deletePod', 'web-a', 5], ['deletePod', 'web-b', 5]]);
    expect(actions).toEqual([
      ['delete pod (grace period 5 s)', 'web-a'],
      ['delete pod (grace period 5 s)', 'web-b'],
    ]);
  });

  it('a pod delete of N deletes nothing when fewer than N pods are ready', async () => {
    const s = podDeleteScenario({ name: 'three', replicas: 3, count: 3 });
    const { ctx, calls } = fakeContext([pod('web-a', true), pod('web-b', true), pod('web-c', false)]);
    await expect(s.trigger(ctx)).rejects.toThrow(/three expected 3 ready, non-terminating pods .* web-c\(not ready\)/);
    expect(calls).toEqual([['listPods']]);
  });

  it('a scale starts with from and scales to to, up as well as down', async () => {
    const up = scaleScenario({ name: 'up', from: 2, to: 4 });
    expect(up.initialReplicas).toBe(2);
    expect(up.summary.en).toMatch(/from 2 replicas to 4: 2 new pod/);
    const { ctx, calls } = fakeContext();
    await up.trigger(ctx);
    expect(calls).toEqual([['scale', 4]]);
  });
});
