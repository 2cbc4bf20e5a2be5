import { afterEach, describe, expect, it } from 'vitest';
import { createClock } from '../harness/core/clock.ts';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EnvironmentError, InputError } from '../harness/core/errors.ts';
import type { LifecycleEvent } from '../harness/model/events.ts';
import { DEFAULT_LOAD_PROFILE } from '../harness/model/load-profile.ts';
import type { RequestSample } from '../harness/model/sample.ts';
import { deployKubeCell, kubeCellNamespace, serviceUrl } from '../harness/platform/kube/kube-cell.ts';
import { FakeKubeApi } from '../harness/platform/kube/testing/fake-api-server.ts';
import { type FakeClusterOptions, installFakeCluster } from '../harness/platform/kube/testing/fake-cluster.ts';
import { k6JobLog, k6SummaryData } from '../harness/platform/kube/testing/k6-samples.ts';
import type { CellDeployment } from '../harness/platform/platform.ts';
import { findVariant } from '../harness/variants/catalog.ts';
import type { Variant } from '../harness/variants/variant.ts';

const variant = findVariant('baseline')!;
let api: FakeKubeApi | undefined;
let cell: CellDeployment | undefined;

afterEach(async () => {
  await cell?.teardown().catch(() => undefined);
  await api?.close();
  cell = undefined;
  api = undefined;
});

async function until(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function deploy(
  cluster: FakeClusterOptions = {},
  extra: {
    timeScale?: number;
    readyTimeoutMs?: number;
    loadFrom?: 'job' | 'host';
    reachAttempts?: number;
    variant?: Variant;
  } = {},
) {
  api = new FakeKubeApi();
  await api.start();
  installFakeCluster(api, cluster);
  const events: LifecycleEvent[] = [];
  const clock = createClock();
  cell = await deployKubeCell({
    kubeConfig: api.kubeConfig(),
    runId: '20250101-120000-ab12',
    cellId: 'baseline--pod-delete--r1',
    variant: extra.variant ?? variant,
    replicas: 3,
    workloadImage: 'drainlab/workload:run-ab12',
    k6Image: 'grafana/k6:1.2.0',
    load: DEFAULT_LOAD_PROFILE,
    clock,
    events: (e) => events.push(e),
    signal: new AbortController().signal,
    timeScale: extra.timeScale ?? 1,
    pollMs: 20,
    ...(extra.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: extra.readyTimeoutMs }),
    ...(extra.loadFrom === undefined ? {} : { loadFrom: extra.loadFrom }),
    ...(extra.reachAttempts === undefined ? {} : { reachAttempts: extra.reachAttempts }),
  });
  const ns = kubeCellNamespace('20250101-120000-ab12', 'baseline--pod-delete--r1');
  return { api, cell, events, clock, ns };
}

const kinds = (events: LifecycleEvent[], kind: string) => events.filter((e) => e.kind === kind);

describe('deployKubeCell with load from this machine (--load builtin with --context)', () => {
  it('has no k6 Job and targets the ClusterIP and port of the Service, once it answers here', async () => {
    const server = http.createServer((req, res) => res.writeHead(req.url === '/readyz' ? 200 : 404).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const { api, cell } = await deploy({ service: { clusterIP: '127.0.0.1', port } }, { loadFrom: 'host' });
      expect(cell.loadGenerator).toBeUndefined();
      expect(cell.target).toEqual({ host: '127.0.0.1', port });
      expect(api.requests.some((r) => r.path.includes('/jobs'))).toBe(false);
    } finally {
      server.close();
    }
  });

  it('says what to do when the Service address does not answer from this machine (exit 4), and cleans up', async () => {
    // A port nothing listens on: bound and closed again, so the connection is refused at once.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const error = await deploy(
      { service: { clusterIP: '127.0.0.1', port } },
      { loadFrom: 'host', reachAttempts: 2 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).problems[0]).toMatch(
      new RegExp(
        `--load builtin sends from this machine, but the Service address http://127.0.0.1:${port}/readyz does not answer here`,
      ),
    );
    expect((error as EnvironmentError).hint).toMatch(/scripts\/devcluster\/up.sh.*--load k6/);
    expect(api!.requests.some((r) => r.method === 'DELETE' && r.path.startsWith('/api/v1/namespaces/'))).toBe(true);
  });
});

describe('deployKubeCell with your own app (--app-manifest)', () => {
  it('deploys its image as written, reads no app log, and targets the Service port that reaches the app', async () => {
    const own: Variant = { ...structuredClone(variant), ownImages: true, servicePort: 8081 };
    own.deployment.spec!.template.spec!.containers[0]!.image = 'registry.example/shop:1.2';
    const { api, cell, ns, events } = await deploy({}, { variant: own });
    const deployment = api.get('apis/apps/v1', ns, 'deployments', 'web') as unknown as {
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    expect(deployment.spec.template.spec.containers[0]!.image).toBe('registry.example/shop:1.2');
    expect(cell.target.port).toBe(8081);
    // Every pod started (the catalog's log is followed from that moment), and still no log was asked for.
    await until('pods started', () => kinds(events, 'pod-started').length >= 3);
    await new Promise((r) => setTimeout(r, 200));
    expect(api.requests.some((r) => r.path.endsWith('/log'))).toBe(false);
  });

  it('runs the workload image built for the cluster in the catalog’s container web, and follows its log', async () => {
    const { api, ns } = await deploy();
    const deployment = api.get('apis/apps/v1', ns, 'deployments', 'web') as unknown as {
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    expect(deployment.spec.template.spec.containers[0]!.image).toBe('drainlab/workload:run-ab12');
    await until('a log followed', () => api!.requests.some((r) => r.path.endsWith('/log')));
  });

  it('names the Service and its port in the in-cluster URL of a k6 Job', () => {
    const own: Variant = { ...structuredClone(variant), servicePort: 8081 };
    own.service.metadata!.name = 'shop';
    expect(serviceUrl(own, 'ns1')).toBe('http://shop.ns1.svc.cluster.local:8081');
    expect(serviceUrl(variant, 'ns1')).toBe('http://web.ns1.svc.cluster.local');
  });
});

describe('deployKubeCell', () => {
  it('reports a hook the kubelet cut off once the grace period was over as abandoned, not failed', async () => {
    const { api, cell, events, ns } = await deploy();
    const [victim] = await cell.client.listPods();
    // Terminating with a grace period already over: a FailedPreStopHook now is the kubelet cutting the hook off.
    api.update('api/v1', ns, 'pods', victim!.name, (o) => {
      o.metadata.deletionTimestamp = new Date().toISOString();
      o.metadata.deletionGracePeriodSeconds = 0;
    });
    await until('terminating', () => kinds(events, 'pod-terminating').length === 1);
    api.put('api/v1', ns, 'events', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'cut', namespace: ns },
      reason: 'FailedPreStopHook',
      message: 'PreStopHook failed',
      involvedObject: { kind: 'Pod', name: victim!.name, namespace: ns },
    });
    await until('the hook outcome', () => kinds(events, 'prestop-end').length > 0);
    expect(kinds(events, 'prestop-end')).toEqual([
      expect.objectContaining({ pod: victim!.name, outcome: 'abandoned' }),
    ]);
  });

  it("turns the kubelet's FailedPreStopHook Event into the pod's failed preStop, once", async () => {
    const { api, events, ns } = await deploy();
    const event = (name: string, reason: string, pod: string) => ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: ns },
      reason,
      message: 'Exec lifecycle hook ([sleep 40]) for Container "web" failed - error: exec: "sleep": not found',
      involvedObject: { kind: 'Pod', name: pod, namespace: ns },
    });
    api.put('api/v1', ns, 'events', event('e1', 'Killing', 'web-1'));
    api.put('api/v1', ns, 'events', event('e2', 'FailedPreStopHook', 'web-1'));
    api.put('api/v1', ns, 'events', event('e3', 'FailedPreStopHook', 'web-1'));
    await until('the failed hook', () => kinds(events, 'prestop-end').length > 0);
    await new Promise((r) => setTimeout(r, 100));
    expect(kinds(events, 'prestop-end')).toEqual([
      expect.objectContaining({
        pod: 'web-1',
        outcome: 'failed',
        source: 'kubelet',
        reason: expect.stringContaining('"sleep": not found'),
      }),
    ]);
  });

  it('creates a labelled namespace, the variant objects with replicas and image replaced, and waits for endpoints', async () => {
    const { api, cell, events, ns } = await deploy();
    const posts = api.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.path)).toEqual([
      '/api/v1/namespaces',
      `/apis/apps/v1/namespaces/${ns}/deployments`,
      `/api/v1/namespaces/${ns}/services`,
    ]);
    expect(posts[0]?.body).toMatchObject({
      metadata: {
        name: ns,
        labels: {
          'drainlab/run-id': '20250101-120000-ab12',
          'drainlab/cell': 'baseline--pod-delete--r1',
          'app.kubernetes.io/managed-by': 'drainlab',
        },
      },
    });
    const dep = posts[1]?.body as {
      spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
    };
    expect(dep.spec.replicas).toBe(3);
    expect(dep.spec.template.spec.containers[0]?.image).toBe('drainlab/workload:run-ab12');
    expect(variant.deployment.spec?.template.spec?.containers[0]?.image).toBe('drainlab/workload:dev');
    expect(cell.target).toEqual({ host: '10.96.12.34', port: 80 });
    expect(kinds(events, 'pod-created')).toHaveLength(3);
    await until('3 ready endpoints', () => kinds(events, 'endpoint-updated').length >= 3);
    expect(kinds(events, 'pod-ready')).toHaveLength(3);
    expect(kinds(events, 'pod-started')).toHaveLength(3);
  });

  it('watches pods and slices with watch=true, resourceVersion, bookmarks and the selectors', async () => {
    const { api, ns } = await deploy();
    const watches = api.requests.filter((r) => r.query.watch === 'true');
    const byPath = Object.fromEntries(watches.map((w) => [w.path, w.query]));
    expect(byPath[`/api/v1/namespaces/${ns}/pods`]).toMatchObject({
      watch: 'true',
      allowWatchBookmarks: 'true',
      labelSelector: 'app.kubernetes.io/name=web,drainlab/variant=baseline',
    });
    expect(byPath[`/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`]).toMatchObject({
      watch: 'true',
      allowWatchBookmarks: 'true',
      labelSelector: 'kubernetes.io/service-name=web',
    });
    for (const w of watches) expect(Number(w.query.resourceVersion)).toBeGreaterThan(0);
  });

  it('reconnects when the server ends the watches, from the last resourceVersion, and keeps reporting', async () => {
    const { api, cell, events } = await deploy({ exitCode: 143 });
    await until('4 watches', () => api.openWatches === 4);
    const before = api.requests.filter((r) => r.query.watch === 'true').length;
    const lastRv = Number(api.list('api/v1', undefined, 'namespaces')[0]?.metadata.resourceVersion ?? 0);
    api.endWatches();
    await until('reconnected', () => api.openWatches === 4);
    const again = api.requests.filter((r) => r.query.watch === 'true').slice(before);
    expect(again).toHaveLength(4);
    // The events watch saw nothing since the namespace was made: it resumes from that version; the others are newer.
    for (const w of again) {
      if (w.path.endsWith('/events')) expect(Number(w.query.resourceVersion)).toBeGreaterThanOrEqual(lastRv);
      else expect(Number(w.query.resourceVersion)).toBeGreaterThan(lastRv);
    }
    const [victim] = await cell.client.listPods();
    await cell.client.deletePod(victim!.name);
    await until('pod-deleted after reconnect', () => kinds(events, 'pod-deleted').length === 1);
    // Each transition is reported once, although the reconnect replayed nothing and relisted nothing.
    expect(kinds(events, 'pod-created')).toHaveLength(4);
  });

  it('scenario operations send the exact requests: merge patches, delete without grace override, selector list', async () => {
    const { api, cell, ns } = await deploy();
    api.requests.length = 0;
    const pods = await cell.client.listPods();
    await cell.client.deletePod(pods[0]!.name);
    await cell.client.patchTemplateAnnotations({ 'drainlab/restarted-at': '2025-01-01T00:00:00.000Z' });
    await cell.client.scale(1);
    const [list, del, patch, scale] = api.requests.filter((r) => r.query.watch !== 'true' && !r.path.endsWith('/log'));
    expect(patch).toMatchObject({
      method: 'PATCH',
      path: `/apis/apps/v1/namespaces/${ns}/deployments/web`,
      contentType: 'application/merge-patch+json',
      body: {
        spec: { template: { metadata: { annotations: { 'drainlab/restarted-at': '2025-01-01T00:00:00.000Z' } } } },
      },
    });
    expect(scale).toMatchObject({
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { spec: { replicas: 1 } },
    });
    expect(list).toMatchObject({
      method: 'GET',
      path: `/api/v1/namespaces/${ns}/pods`,
      query: { labelSelector: 'app.kubernetes.io/name=web,drainlab/variant=baseline' },
    });
    expect(del).toMatchObject({ method: 'DELETE', path: `/api/v1/namespaces/${ns}/pods/${pods[0]!.name}` });
    expect(del?.body).toEqual({ propagationPolicy: 'Background' });
    expect(del?.query).toEqual({});
  });

  it('scenarios of experiment files: a strategy merge patch, and a delete with the grace period they give', async () => {
    const { api, cell, ns } = await deploy();
    api.requests.length = 0;
    const pods = await cell.client.listPods();
    await cell.client.setRollingUpdate({ maxSurge: 0, maxUnavailable: '50%' });
    await cell.client.deletePod(pods[0]!.name, 5);
    const [, strategy, del] = api.requests.filter((r) => r.query.watch !== 'true' && !r.path.endsWith('/log'));
    expect(strategy).toMatchObject({
      method: 'PATCH',
      path: `/apis/apps/v1/namespaces/${ns}/deployments/web`,
      contentType: 'application/merge-patch+json',
      body: { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '50%' } } } },
    });
    expect(del).toMatchObject({ method: 'DELETE', path: `/api/v1/namespaces/${ns}/pods/${pods[0]!.name}` });
    expect(del?.body).toEqual({ propagationPolicy: 'Background', gracePeriodSeconds: 5 });
  });

  it('maps a pod deletion to terminating, exit code with signal, endpoint changes, deletion; then settles', async () => {
    const { cell, events } = await deploy({ exitCode: 137 });
    const [victim] = await cell.client.listPods();
    await cell.client.deletePod(victim!.name);
    await cell.waitSettled({ timeoutMs: 5000, signal: new AbortController().signal });
    const mine = events.filter((e) => 'pod' in e && e.pod === victim!.name).map((e) => e.kind);
    expect(mine).toEqual(expect.arrayContaining(['pod-terminating', 'pod-exited', 'pod-deleted', 'endpoint-removed']));
    expect(events.find((e) => e.kind === 'pod-terminating')).toMatchObject({
      pod: victim!.name,
      gracePeriodSeconds: 30,
    });
    expect(events.find((e) => e.kind === 'pod-exited')).toMatchObject({ exitCode: 137, signal: 'SIGKILL' });
    expect(events.find((e) => e.kind === 'endpoint-updated' && e.pod === victim!.name && e.terminating)).toBeDefined();
    expect(kinds(events, 'settled')).toHaveLength(1);
    expect(kinds(events, 'rollout-complete').length).toBeGreaterThanOrEqual(1);
    for (let i = 1; i < events.length; i++) expect(events[i]!.t).toBeGreaterThanOrEqual(events[i - 1]!.t);
  });

  it('runs k6 as a Job against the Service and turns its log into samples and totals', async () => {
    const clockEpoch = Date.now();
    const log = k6JobLog(
      [
        { endEpochMs: clockEpoch + 1000.5, durationMs: 40.25, status: 200, errorCode: 0, pod: 'web-a', reused: true },
        { endEpochMs: clockEpoch + 1010, durationMs: 0.5, status: 0, errorCode: 1212, pod: '', reused: false },
      ],
      k6SummaryData(2, 3, 7),
    );
    const { api, cell, ns, clock } = await deploy({ k6Log: () => log });
    const samples: RequestSample[] = [];
    const summary = await cell.loadGenerator!.run({
      target: cell.target,
      profile: DEFAULT_LOAD_PROFILE,
      clock,
      onSample: (s) => samples.push(s),
      stop: new AbortController().signal,
      maxDurationMs: 1000,
    });
    expect(summary).toEqual({ scheduled: 5, dropped: 3, started: 2, vus: 7, engine: 'k6 1.2.0' });
    expect(samples.map((s) => [s.status, s.cause, s.pod, s.reused])).toEqual([
      [200, null, 'web-a', true],
      [0, 'refused', null, false],
    ]);
    expect(samples[0]!.startMs).toBeCloseTo(clockEpoch - clock.originEpochMs + 1000.5 - 40.25, 1);
    const job = api.requests.find((r) => r.method === 'POST' && r.path === `/apis/batch/v1/namespaces/${ns}/jobs`);
    const container = (
      job?.body as {
        spec: {
          template: {
            spec: { containers: { image: string; command: string[]; env: { name: string; value: string }[] }[] };
          };
        };
      }
    ).spec.template.spec.containers[0]!;
    expect(container.image).toBe('grafana/k6:1.2.0');
    expect(container.command.slice(0, 2)).toEqual(['sh', '-c']);
    expect(container.env).toContainEqual({ name: 'DRAINLAB_TARGET', value: `http://web.${ns}.svc.cluster.local` });
    expect(container.env).toContainEqual({ name: 'DRAINLAB_METHOD', value: 'POST' });
    expect(api.requests.some((r) => r.method === 'POST' && r.path === `/api/v1/namespaces/${ns}/configmaps`)).toBe(
      true,
    );
  });

  it('tears down by deleting the namespace and waiting until it is gone, once', async () => {
    const { api, cell, ns } = await deploy();
    await cell.teardown();
    await cell.teardown();
    const deletes = api.requests.filter((r) => r.method === 'DELETE' && r.path === `/api/v1/namespaces/${ns}`);
    expect(deletes).toHaveLength(1);
    expect(api.get('api/v1', undefined, 'namespaces', ns)).toBeUndefined();
    await until('watch streams closed', () => api.openWatches === 0);
    const watchCount = api.requests.filter((r) => r.query.watch === 'true').length;
    await new Promise((r) => setTimeout(r, 400));
    expect(api.requests.filter((r) => r.query.watch === 'true')).toHaveLength(watchCount);
  });

  it('refuses a time scale other than 1 before creating anything', async () => {
    await expect(deploy({}, { timeScale: 2 })).rejects.toBeInstanceOf(InputError);
    expect(api?.requests).toEqual([]);
  });

  it('times out with what is still missing and deletes the namespace it created', async () => {
    const err = await deploy({ readyMs: 60_000 }, { readyTimeoutMs: 300 }).catch((e: unknown) => e);
    expect(String((err as Error).message)).toMatch(
      /still missing: .*0 of 3 replicas available.*0 of 3 ready endpoints/,
    );
    expect(api?.requests.some((r) => r.method === 'DELETE' && r.path.startsWith('/api/v1/namespaces/drainlab-'))).toBe(
      true,
    );
  });
});
