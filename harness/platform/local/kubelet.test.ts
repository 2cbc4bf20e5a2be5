import type { V1Container, V1PodSpec } from '@kubernetes/client-node';
import { get } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureWorkloadBundle } from '../../../workloads/bundle.ts';
import { createClock, type Clock } from '../../core/clock.ts';
import { HarnessError } from '../../core/errors.ts';
import type { EventKind, LifecycleEvent } from '../../model/events.ts';
import { Kubelet, unmodelledFields } from './kubelet.ts';
import { requestPodDeletion } from './pod-api.ts';
import { PodProcess } from './pod-process.ts';
import { Store } from './store.ts';
import { alive } from '../../cleanup/reap.ts';

// Timing rules are checked with timeScale 0.1: 1 s of spec time is 100 ms here. Bounds leave room for a loaded
// 2-core machine on the late side only; being early would be a real bug.
const SCALE = 0.1;
const NOTICE_MS = 50;
/** The preStop sleep is a plain setTimeout, which libuv may fire a millisecond or two early. */
const TIMER_GRANULARITY_MS = 3;
const FAKE = fileURLToPath(new URL('./fixtures/fake-workload.mjs', import.meta.url));

let bundle = '';
beforeAll(async () => {
  bundle = await ensureWorkloadBundle();
});

interface Harness {
  store: Store;
  clock: Clock;
  events: LifecycleEvent[];
  errors: HarnessError[];
  exits: string[];
  kubelet: Kubelet;
}

const harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.kubelet.stop()));
});

function startKubelet(): Harness {
  const clock = createClock();
  const store = new Store(clock);
  const events: LifecycleEvent[] = [];
  const errors: HarnessError[] = [];
  const exits: string[] = [];
  const kubelet = new Kubelet({
    store,
    clock,
    events: (event) => events.push(event),
    timeScale: SCALE,
    noticeDelayMs: NOTICE_MS,
    resolveImage: (image) => {
      if (image === 'drainlab/workload:dev') return { command: process.execPath, args: [bundle] };
      if (image === 'fake') return { command: process.execPath, args: [FAKE] };
      throw new HarnessError('unknown-image', `no command known for image ${image}`, { hint: 'use a known image' });
    },
    onPodExit: (pod) => exits.push(pod),
    onError: (error) => errors.push(error),
  });
  const harness = { store, clock, events, errors, exits, kubelet };
  harnesses.push(harness);
  kubelet.start();
  return harness;
}

function container(overrides: Partial<V1Container> & { mode?: string } = {}): V1Container {
  const { mode = 'drain', ...rest } = overrides;
  return {
    name: 'web',
    image: 'drainlab/workload:dev',
    ports: [{ name: 'http', containerPort: 8080 }],
    env: [{ name: 'SHUTDOWN_MODE', value: mode }],
    readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 1, failureThreshold: 2 },
    ...rest,
  };
}

function createPod(h: Harness, name: string, spec: Partial<V1PodSpec> & { containers: V1Container[] }): void {
  h.store.create('Pod', {
    kind: 'Pod',
    metadata: { name, labels: {}, annotations: {} },
    spec,
    status: { phase: 'Pending', ready: false, container: 'waiting' },
  });
}

/** What the ReplicaSet controller does to delete a pod; returns the cell time of the request. */
function deletePod(h: Harness, name: string, graceSeconds?: number): number {
  const at = h.clock.now();
  h.store.mutate('Pod', name, (pod) => {
    pod.metadata.deletionMs = at;
    if (graceSeconds !== undefined) pod.metadata.deletionGracePeriodSeconds = graceSeconds;
  });
  return at;
}

async function waitFor<T>(what: string, find: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function waitEvent<K extends EventKind>(h: Harness, kind: K, pod: string, timeoutMs?: number) {
  return waitFor(
    `${kind} of ${pod}`,
    () => h.events.find((e) => e.kind === kind && 'pod' in e && e.pod === pod) as Extract<LifecycleEvent, { kind: K }>,
    timeoutMs,
  );
}

function eventsOf(h: Harness, pod: string): string[] {
  return h.events.filter((e) => 'pod' in e && e.pod === pod && e.kind !== 'app-log').map((e) => e.kind);
}

function httpGetJson(address: { host: string; port: number }, path: string): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    get({ ...address, path, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(JSON.parse(body) as Record<string, string>));
    }).on('error', reject);
  });
}

describe('Kubelet termination', () => {
  it('preStop sleep 5 (scaled 0.5 s) delays SIGTERM; a draining app then exits 0 and the pod is removed', async () => {
    const h = startKubelet();
    createPod(h, 'p1', {
      terminationGracePeriodSeconds: 30,
      containers: [container({ mode: 'drain', lifecycle: { preStop: { sleep: { seconds: 5 } } } })],
    });
    const started = await waitEvent(h, 'pod-started', 'p1');
    expect(started.t).toBeGreaterThanOrEqual(NOTICE_MS);
    await waitEvent(h, 'pod-ready', 'p1');
    expect(h.store.get('Pod', 'p1')?.status).toMatchObject({ phase: 'Running', container: 'running', ready: true });

    const deletedAt = deletePod(h, 'p1');
    const exited = await waitEvent(h, 'pod-exited', 'p1');
    const preStart = await waitEvent(h, 'prestop-start', 'p1');
    const preEnd = await waitEvent(h, 'prestop-end', 'p1');
    const sigterm = await waitEvent(h, 'sigterm-sent', 'p1');

    expect(preStart.handler).toBe('sleep');
    expect(preStart.t - deletedAt).toBeGreaterThanOrEqual(NOTICE_MS - 1);
    expect(preStart.t - deletedAt).toBeLessThan(NOTICE_MS + 150);
    expect(preEnd.outcome).toBe('completed');
    expect(sigterm.t - preStart.t).toBeGreaterThanOrEqual(500 - TIMER_GRANULARITY_MS);
    expect(sigterm.t - preStart.t).toBeLessThan(700);
    expect(exited).toMatchObject({ exitCode: 0, signal: null });
    expect(exited.t - sigterm.t).toBeLessThan(1_000);
    expect(h.events.some((e) => e.kind === 'app-log' && e.pod === 'p1' && e.msg === 'drain-done')).toBe(true);
    expect(h.events.some((e) => e.kind === 'sigkill-sent')).toBe(false);

    await waitEvent(h, 'pod-deleted', 'p1');
    expect(h.store.get('Pod', 'p1')).toBeUndefined();
    expect(h.exits).toEqual(['p1']);
    expect(h.kubelet.livePids()).toEqual([]);
  });

  it('an app that ignores SIGTERM is SIGKILLed when the grace period (30 s → 3 s) ends: exit 137', async () => {
    const h = startKubelet();
    createPod(h, 'p2', { terminationGracePeriodSeconds: 30, containers: [container({ mode: 'ignore' })] });
    await waitEvent(h, 'pod-ready', 'p2');
    const deletedAt = deletePod(h, 'p2');
    const exited = await waitEvent(h, 'pod-exited', 'p2');
    const sigterm = await waitEvent(h, 'sigterm-sent', 'p2');
    const sigkill = await waitEvent(h, 'sigkill-sent', 'p2');

    expect(sigterm.t - deletedAt).toBeLessThan(NOTICE_MS + 150);
    expect(sigkill.t - sigterm.t).toBeGreaterThanOrEqual(2_999);
    expect(sigkill.t - sigterm.t).toBeLessThan(3_250);
    expect(exited).toMatchObject({ exitCode: 137, signal: 'SIGKILL' });
    expect(h.events.some((e) => e.kind === 'app-log' && e.pod === 'p2' && e.msg === 'sigterm')).toBe(true);
    expect(eventsOf(h, 'p2')).toEqual([
      'pod-started',
      'pod-ready',
      'sigterm-sent',
      'sigkill-sent',
      'pod-exited',
      'pod-not-ready',
      'pod-deleted',
    ]);
  });

  it('exec "sleep 40" longer than grace 30 is abandoned at 3 s, SIGTERM follows, SIGKILL 2 s (0.2 s) later', async () => {
    const h = startKubelet();
    createPod(h, 'p3', {
      terminationGracePeriodSeconds: 30,
      containers: [container({ mode: 'ignore', lifecycle: { preStop: { exec: { command: ['sleep', '40'] } } } })],
    });
    await waitEvent(h, 'pod-ready', 'p3');
    const podPid = h.kubelet.livePids()[0]!;
    deletePod(h, 'p3');
    const preStart = await waitEvent(h, 'prestop-start', 'p3');
    expect(preStart.handler).toBe('exec');
    const hookPid = await waitFor('the preStop process', () => PodProcess.liveGroups().find((pid) => pid !== podPid));
    expect(alive(hookPid)).toBe(true);

    const exited = await waitEvent(h, 'pod-exited', 'p3');
    const preEnd = await waitEvent(h, 'prestop-end', 'p3');
    const sigterm = await waitEvent(h, 'sigterm-sent', 'p3');
    const sigkill = await waitEvent(h, 'sigkill-sent', 'p3');

    expect(preEnd.outcome).toBe('abandoned');
    expect(preEnd.t - preStart.t).toBeGreaterThanOrEqual(2_999);
    expect(preEnd.t - preStart.t).toBeLessThan(3_250);
    expect(sigterm.t - preEnd.t).toBeLessThan(100);
    expect(sigkill.t - sigterm.t).toBeGreaterThanOrEqual(195);
    expect(sigkill.t - sigterm.t).toBeLessThan(400);
    expect(exited).toMatchObject({ exitCode: 137, signal: 'SIGKILL' });
    expect(alive(hookPid)).toBe(false);
  });

  it('a grace period of 0 still gives preStop 1 s (0.1 s), then SIGTERM, and SIGKILL 2 s (0.2 s) later', async () => {
    // pod_workers.go calculateEffectiveGracePeriod never goes below 1 s; killContainer then runs preStop within it.
    const h = startKubelet();
    createPod(h, 'g0', {
      terminationGracePeriodSeconds: 0,
      // exec: the API rejects a native sleep longer than the grace period.
      containers: [container({ mode: 'ignore', lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } } })],
    });
    await waitEvent(h, 'pod-ready', 'g0');
    // The API removes a pod with grace 0 at once; the kubelet still stops its process.
    expect(requestPodDeletion({ store: h.store, clock: h.clock, events: (e) => h.events.push(e) }, 'g0', 'api')).toBe(
      true,
    );
    expect(h.store.get('Pod', 'g0')).toBeUndefined();
    expect(h.kubelet.livePids()).toHaveLength(1);
    const preStart = await waitEvent(h, 'prestop-start', 'g0');
    const exited = await waitEvent(h, 'pod-exited', 'g0');
    const preEnd = await waitEvent(h, 'prestop-end', 'g0');
    const sigterm = await waitEvent(h, 'sigterm-sent', 'g0');
    const sigkill = await waitEvent(h, 'sigkill-sent', 'g0');
    expect(preEnd.outcome).toBe('abandoned');
    expect(preEnd.t - preStart.t).toBeGreaterThanOrEqual(99);
    expect(preEnd.t - preStart.t).toBeLessThan(350);
    expect(sigterm.t).toBeGreaterThanOrEqual(preEnd.t);
    expect(sigkill.t - sigterm.t).toBeGreaterThanOrEqual(195);
    expect(sigkill.t - sigterm.t).toBeLessThan(450);
    expect(exited).toMatchObject({ exitCode: 137, signal: 'SIGKILL' });
    expect(h.events.filter((e) => e.kind === 'pod-deleted')).toHaveLength(1);
  });

  it('exit mode exits 143 right after SIGTERM; with no handler Node dies of the signal (143, SIGTERM)', async () => {
    const h = startKubelet();
    createPod(h, 'exit', { containers: [container({ mode: 'exit' })] });
    createPod(h, 'none', { containers: [container({ mode: 'none' })] });
    await Promise.all([waitEvent(h, 'pod-ready', 'exit'), waitEvent(h, 'pod-ready', 'none')]);
    deletePod(h, 'exit');
    deletePod(h, 'none');
    for (const [pod, signal] of [
      ['exit', null],
      ['none', 'SIGTERM'],
    ] as const) {
      const exited = await waitEvent(h, 'pod-exited', pod);
      const sigterm = await waitEvent(h, 'sigterm-sent', pod);
      expect(exited).toMatchObject({ exitCode: 143, signal });
      expect(exited.t - sigterm.t).toBeLessThan(500);
    }
    await waitFor('both pods removed', () => (h.store.list('Pod').length === 0 ? true : undefined));
  });

  it('a pod deleted before the kubelet noticed it is removed without starting a process', async () => {
    const h = startKubelet();
    createPod(h, 'early', { containers: [container()] });
    deletePod(h, 'early', 30);
    await waitFor('removal', () => (h.store.get('Pod', 'early') ? undefined : true));
    await new Promise((resolve) => setTimeout(resolve, NOTICE_MS * 2));
    expect(h.events.map((e) => e.kind)).toEqual(['pod-deleted']);
    expect(h.kubelet.livePids()).toEqual([]);
  });
});

describe('Kubelet pods', () => {
  it('passes the container env, fieldRef metadata.name and the emulator settings, and nothing else of the host', async () => {
    process.env.DRAINLAB_KUBELET_TEST_LEAK = 'must not reach the pod';
    const h = startKubelet();
    createPod(h, 'env', {
      containers: [
        container({
          image: 'fake',
          readinessProbe: undefined,
          env: [
            { name: 'GREETING', value: 'hello' },
            { name: 'MY_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'PORT', value: '8080' },
            { name: 'EMPTY' },
          ],
        }),
      ],
    });
    const listening = await waitFor('listening', () =>
      h.events.find((e) => e.kind === 'app-log' && e.msg === 'listening'),
    );
    delete process.env.DRAINLAB_KUBELET_TEST_LEAK;
    const address = h.store.get('Pod', 'env')?.status.address;
    expect(address?.host).toBe('127.0.0.1');
    expect(listening).toMatchObject({
      source: 'app',
      pod: 'env',
      detail: { port: address?.port, appEpochMs: expect.any(Number) },
    });
    // Every lifecycle line of the app becomes an event, prestop-http included (it is logged right after listening
    // and may arrive in a later read of the pipe).
    await waitFor('prestop-http', () => h.events.find((e) => e.kind === 'app-log' && e.msg === 'prestop-http'));
    expect(h.events.filter((e) => e.kind === 'app-log').map((e) => e.kind === 'app-log' && e.msg)).toEqual([
      'listening',
      'prestop-http',
    ]);

    const env = await httpGetJson(address!, '/env');
    expect(env).toMatchObject({
      GREETING: 'hello',
      MY_NAME: 'env',
      EMPTY: '',
      POD_NAME: 'env',
      HOST: '127.0.0.1',
      PORT: '0',
      TIME_SCALE: '0.1',
      PATH: process.env.PATH,
    });
    expect(env.DRAINLAB_KUBELET_TEST_LEAK).toBeUndefined();
    // No readinessProbe: ready as soon as the container runs.
    expect(eventsOf(h, 'env')).toEqual(['pod-started', 'pod-ready']);
  });

  it('probes readiness after initialDelaySeconds, follows the thresholds, and keeps probing while terminating', async () => {
    const h = startKubelet();
    createPod(h, 'probe', {
      terminationGracePeriodSeconds: 30,
      containers: [
        container({
          image: 'fake',
          mode: 'exit',
          ports: [{ name: 'web', containerPort: 8080 }],
          readinessProbe: {
            httpGet: { path: '/readyz', port: 'web' },
            initialDelaySeconds: 3,
            periodSeconds: 1,
            failureThreshold: 2,
            successThreshold: 2,
          },
          lifecycle: { preStop: { sleep: { seconds: 20 } } },
        }),
      ],
    });
    const started = await waitEvent(h, 'pod-started', 'probe');
    const ready = await waitEvent(h, 'pod-ready', 'probe');
    // initialDelay 0.3 s, then two successes 0.1 s apart.
    expect(ready.t - started.t).toBeGreaterThanOrEqual(399);
    expect(ready.t - started.t).toBeLessThan(700);
    const status = h.store.get('Pod', 'probe')!.status;
    expect(status).toMatchObject({ ready: true, readySinceMs: ready.t });

    await httpGetJson(status.address!, '/set-ready?value=0');
    const flippedAt = h.clock.now();
    const notReady = await waitEvent(h, 'pod-not-ready', 'probe');
    expect(notReady.t - flippedAt).toBeGreaterThanOrEqual(100);
    expect(notReady.t - flippedAt).toBeLessThan(450);
    expect(h.store.get('Pod', 'probe')!.status.ready).toBe(false);

    await httpGetJson(status.address!, '/set-ready?value=1');
    await waitFor('ready again', () =>
      h.events.filter((e) => e.kind === 'pod-ready').length === 2 ? true : undefined,
    );

    // During the 2 s preStop the probe still runs and still changes readiness.
    deletePod(h, 'probe');
    await waitEvent(h, 'prestop-start', 'probe');
    await httpGetJson(status.address!, '/set-ready?value=0');
    await waitFor('not ready while terminating', () =>
      h.events.filter((e) => e.kind === 'pod-not-ready').length === 2 ? true : undefined,
    );
    expect(h.events.some((e) => e.kind === 'prestop-end')).toBe(false);
    await waitEvent(h, 'pod-exited', 'probe');
  });

  it('a process that exits by itself leaves the pod Failed, reports it, and is not restarted', async () => {
    const h = startKubelet();
    createPod(h, 'crash', {
      containers: [
        container({ image: 'fake', readinessProbe: undefined, env: [{ name: 'CRASH_AFTER_MS', value: '100' }] }),
      ],
    });
    const exited = await waitEvent(h, 'pod-exited', 'crash');
    expect(exited).toMatchObject({ exitCode: 3, signal: null });
    await waitFor('status update', () => (h.store.get('Pod', 'crash')?.status.phase === 'Failed' ? true : undefined));
    expect(h.store.get('Pod', 'crash')?.status).toMatchObject({ container: 'terminated', ready: false, exitCode: 3 });
    expect(h.errors.map((e) => e.code)).toEqual(['pod-crashed']);
    expect(h.errors[0]?.message).toContain('boom: fake crash');
    expect(h.exits).toEqual(['crash']);
  });

  it('reports an unknown image and an unmodelled field clearly and leaves those pods Pending', async () => {
    const h = startKubelet();
    createPod(h, 'img', { containers: [container({ image: 'nginx:1.27' })] });
    createPod(h, 'port', {
      containers: [container({ readinessProbe: { httpGet: { path: '/readyz', port: 'metrics' } } })],
    });
    await waitFor('two errors', () => (h.errors.length === 2 ? true : undefined));
    const [image, port] = [...h.errors].sort((a, b) => a.message.localeCompare(b.message));
    expect(image).toMatchObject({ code: 'unknown-image', hint: 'use a known image' });
    expect(image?.message).toContain('pod img: no command known for image nginx:1.27');
    expect(port?.code).toBe('unmodelled-pod-spec');
    expect(port?.message).toContain('spec.containers[0].readinessProbe.httpGet.port: named port "metrics"');
    expect(h.store.get('Pod', 'img')?.status.phase).toBe('Pending');
    expect(h.kubelet.livePids()).toEqual([]);
    expect(h.events).toEqual([]);
  });

  it('stop() kills every pod and preStop process and leaves none behind', async () => {
    const h = startKubelet();
    createPod(h, 'a', { containers: [container({ mode: 'ignore' })] });
    createPod(h, 'b', {
      containers: [container({ mode: 'ignore', lifecycle: { preStop: { exec: { command: ['sleep', '40'] } } } })],
    });
    await Promise.all([waitEvent(h, 'pod-ready', 'a'), waitEvent(h, 'pod-ready', 'b')]);
    const pods = h.kubelet.livePids();
    expect(pods).toHaveLength(2);
    deletePod(h, 'b');
    await waitEvent(h, 'prestop-start', 'b');
    const all = await waitFor('the preStop process', () => {
      const groups = PodProcess.liveGroups();
      return groups.length === 3 ? groups : undefined;
    });

    const stopped = h.kubelet.stop();
    expect(h.kubelet.stop()).toBe(stopped);
    await stopped;
    for (const pid of all) expect(alive(pid)).toBe(false);
    expect(h.kubelet.livePids()).toEqual([]);
    expect(PodProcess.liveGroups()).toEqual([]);
  });
});

describe('unmodelledFields', () => {
  it('accepts the variants’ shape and names every unmodelled field', () => {
    expect(
      unmodelledFields({ containers: [container({ lifecycle: { preStop: { sleep: { seconds: 5 } } } })] }),
    ).toEqual([]);
    const problems = unmodelledFields({
      containers: [
        container({
          livenessProbe: { httpGet: { port: 8080 } },
          readinessProbe: { httpGet: { port: 9090 } },
          lifecycle: { preStop: { tcpSocket: { port: 8080 } } },
          env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
        }),
      ],
    });
    expect(problems).toEqual([
      'spec.containers[0].env[0].valueFrom: only fieldRef metadata.name is modelled',
      'spec.containers[0].livenessProbe: not modelled',
      'spec.containers[0].readinessProbe.httpGet.port: port 9090 is not a declared containerPort (8080)',
      'spec.containers[0].lifecycle.preStop: expected exec, httpGet or sleep',
    ]);
  });
});
