import type { V1DeploymentStrategy } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { createClock } from '../../core/clock.ts';
import type { LifecycleEvent } from '../../model/events.ts';
import { DeploymentController } from './deployment-controller.ts';
import { EndpointSliceController } from './endpointslice-controller.ts';
import { LocalClusterClient } from './local-cluster-client.ts';
import { ReplicaSetController } from './replicaset-controller.ts';
import { Store } from './store.ts';

/**
 * Controllers against a stand-in kubelet (no processes): pods become ready `readyMs` after creation and disappear
 * `exitMs` after deletion, so rollout invariants can be checked at every store change.
 */
function harness(opts: { readyMs: number; exitMs: number }) {
  const clock = createClock();
  const store = new Store(clock);
  const events: LifecycleEvent[] = [];
  const deps = { store, clock, events: (e: LifecycleEvent) => events.push(e) };
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const seen = new Set<string>();
  const stopFake = store.watch('Pod', ({ type, object }) => {
    const name = object.metadata.name;
    if (type === 'ADDED') {
      later(opts.readyMs, () =>
        store.mutate('Pod', name, (p) => {
          p.status = {
            phase: 'Running',
            ready: true,
            readySinceMs: clock.now(),
            container: 'running',
            address: { host: '127.0.0.1', port: 1 },
          };
        }),
      );
    } else if (type === 'MODIFIED' && object.metadata.deletionMs !== undefined && !seen.has(name)) {
      seen.add(name);
      later(opts.exitMs, () => store.remove('Pod', name));
    }
  });
  const controllers = [
    new DeploymentController(deps),
    new ReplicaSetController({ ...deps, timeScale: 1 }),
    new EndpointSliceController({ ...deps, service: 'web', selector: { app: 'web' }, delayMs: 5 }),
  ];
  for (const c of controllers) c.start();
  const client = new LocalClusterClient(deps, 'web');
  return {
    store,
    events,
    client,
    stop: () => {
      stopFake();
      for (const c of controllers) c.stop();
      for (const t of timers) clearTimeout(t);
    },
  };
}

function deployment(replicas: number, strategy: V1DeploymentStrategy, minReadySeconds = 0) {
  return {
    kind: 'Deployment' as const,
    metadata: { name: 'web', labels: {}, annotations: {} },
    generation: 1,
    spec: {
      replicas,
      minReadySeconds,
      strategy,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'x' }] } },
    },
    status: { observedGeneration: 0, replicas: 0, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0 },
  };
}

async function until(check: () => boolean, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

let active: ReturnType<typeof harness> | undefined;
afterEach(() => active?.stop());

function podCounts(store: Store) {
  const pods = store.list('Pod');
  const live = pods.filter((p) => p.metadata.deletionMs === undefined);
  return { live: live.length, ready: live.filter((p) => p.status.ready).length, all: pods.length };
}

describe('Deployment controller: RollingUpdate', () => {
  const cases = [
    { replicas: 3, maxSurge: 1, maxUnavailable: 0 },
    { replicas: 3, maxSurge: 0, maxUnavailable: 1 },
    { replicas: 5, maxSurge: '25%', maxUnavailable: '25%' },
    { replicas: 4, maxSurge: 2, maxUnavailable: '50%' },
    { replicas: 1, maxSurge: 1, maxUnavailable: 0 },
  ];
  for (const c of cases) {
    it(`keeps ready >= replicas - maxUnavailable and pods <= replicas + maxSurge (${JSON.stringify(c)})`, async () => {
      const h = (active = harness({ readyMs: 15, exitMs: 25 }));
      const { surge, unavailable } = (await import('./rollout-math.ts')).resolveFenceposts(
        c.maxSurge,
        c.maxUnavailable,
        c.replicas,
      );
      h.store.create(
        'Deployment',
        deployment(c.replicas, {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: c.maxSurge, maxUnavailable: c.maxUnavailable },
        }),
      );
      await until(() => podCounts(h.store).ready === c.replicas);
      const violations: string[] = [];
      let maxLive = 0;
      let minReady = Infinity;
      h.store.watch('Pod', () => {
        const n = podCounts(h.store);
        maxLive = Math.max(maxLive, n.live);
        minReady = Math.min(minReady, n.ready);
        if (n.live > c.replicas + surge) violations.push(`live ${n.live} > ${c.replicas + surge}`);
        if (n.ready < c.replicas - unavailable) violations.push(`ready ${n.ready} < ${c.replicas - unavailable}`);
      });
      const before = new Set(h.store.list('Pod').map((p) => p.metadata.name));
      await h.client.patchTemplateAnnotations({ restartedAt: 'now' });
      await until(() => {
        const pods = h.store.list('Pod');
        return pods.length === c.replicas && pods.every((p) => !before.has(p.metadata.name) && p.status.ready);
      });
      expect(violations).toEqual([]);
      expect(maxLive).toBeLessThanOrEqual(c.replicas + surge);
      expect(minReady).toBeGreaterThanOrEqual(c.replicas - unavailable);
      // The rollout actually used its budget: it surged or went below full strength at some point.
      expect(maxLive > c.replicas || minReady < c.replicas).toBe(true);
      expect(h.events.some((e) => e.kind === 'rollout-complete')).toBe(true);
      expect(h.store.list('ReplicaSet')).toHaveLength(2);
    });
  }

  it('respects minReadySeconds before scaling old pods down', async () => {
    const h = (active = harness({ readyMs: 10, exitMs: 10 }));
    h.store.create(
      'Deployment',
      deployment(1, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }, 0.3),
    );
    await until(
      () => podCounts(h.store).ready === 1 && h.store.get('Deployment', 'web')!.status.availableReplicas === 1,
    );
    const t0 = Date.now();
    await h.client.patchTemplateAnnotations({ restartedAt: 'now' });
    await until(() => h.events.some((e) => e.kind === 'pod-terminating'));
    // New pod ready after ~10 ms, available only 300 ms later: the old one must not be deleted before that.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
  });
});

describe('Deployment controller: Recreate, scale, refill', () => {
  it('Recreate starts no new pod until every old pod is gone', async () => {
    const h = (active = harness({ readyMs: 10, exitMs: 60 }));
    h.store.create('Deployment', deployment(3, { type: 'Recreate' }));
    await until(() => podCounts(h.store).ready === 3);
    const before = new Set(h.store.list('Pod').map((p) => p.metadata.name));
    let overlap = false;
    h.store.watch('Pod', () => {
      const names = h.store.list('Pod').map((p) => p.metadata.name);
      if (names.some((n) => before.has(n)) && names.some((n) => !before.has(n))) overlap = true;
    });
    await h.client.patchTemplateAnnotations({ restartedAt: 'now' });
    await until(() => {
      const pods = h.store.list('Pod');
      return pods.length === 3 && pods.every((p) => !before.has(p.metadata.name) && p.status.ready);
    });
    expect(overlap).toBe(false);
  });

  it('refills a deleted pod and scales down to the requested replicas', async () => {
    const h = (active = harness({ readyMs: 10, exitMs: 30 }));
    h.store.create('Deployment', deployment(3, { type: 'RollingUpdate' }));
    await until(() => podCounts(h.store).ready === 3);
    const victim = (await h.client.listPods())[0]!.name;
    await h.client.deletePod(victim);
    await until(() => podCounts(h.store).ready === 3 && !h.store.get('Pod', victim));
    expect(h.events.filter((e) => e.kind === 'pod-created')).toHaveLength(4);
    await h.client.scale(1);
    await until(() => h.store.list('Pod').length === 1);
    expect(h.events.filter((e) => e.kind === 'pod-terminating')).toHaveLength(3);
  });
});

describe('EndpointSlice controller', () => {
  it('marks a deleted pod terminating (not ready, still serving) after its delay, then removes it', async () => {
    const h = (active = harness({ readyMs: 5, exitMs: 80 }));
    h.store.create('Deployment', deployment(2, { type: 'RollingUpdate' }));
    await until(
      () => (h.store.get('EndpointSlice', 'web-slice')?.endpoints.filter((e) => e.conditions.ready).length ?? 0) === 2,
    );
    const victim = (await h.client.listPods())[0]!.name;
    await h.client.deletePod(victim);
    await until(() => h.events.some((e) => e.kind === 'endpoint-updated' && e.pod === victim && e.terminating));
    const update = h.events.find((e) => e.kind === 'endpoint-updated' && e.pod === victim && e.terminating);
    expect(update).toMatchObject({ ready: false, serving: true, terminating: true });
    const terminating = h.events.find((e) => e.kind === 'pod-terminating' && e.pod === victim)!;
    expect(update!.t - terminating.t).toBeGreaterThanOrEqual(4);
    await until(() => h.events.some((e) => e.kind === 'endpoint-removed' && e.pod === victim));
  });
});
