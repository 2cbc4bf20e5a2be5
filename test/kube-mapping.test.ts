import type { V1EndpointSlice, V1Pod } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import type { HarnessError } from '../harness/core/errors.ts';
import { K6_ERROR_CAUSES, k6Cause } from '../harness/load/k6/k6-causes.ts';
import { parseK6Points, parseK6Summary, parseK6Time, pointsFromLog } from '../harness/load/k6/k6-output.ts';
import type { EventBody } from '../harness/model/events.ts';
import { DEFAULT_LOAD_PROFILE } from '../harness/model/load-profile.ts';
import { RUN_LABEL, deleteHarnessNamespaces } from '../harness/platform/kube/cleanup.ts';
import { describeK6Invocation, k6RunSeconds } from '../harness/platform/kube/k6-job.ts';
import { kubeCellNamespace } from '../harness/platform/kube/kube-cell.ts';
import { PodEventMapper } from '../harness/platform/kube/pod-events.ts';
import { SliceEventMapper } from '../harness/platform/kube/slice-events.ts';
import { FakeKubeApi } from '../harness/platform/kube/testing/fake-api-server.ts';
import { k6JobLog, k6Ndjson, k6SummaryData } from '../harness/platform/kube/testing/k6-samples.ts';
import { kubeVersions } from '../harness/platform/kube/versions.ts';
import { findVariant } from '../harness/variants/catalog.ts';

let api: FakeKubeApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const pod = (phase: Partial<V1Pod['status']> & object, meta: Partial<V1Pod['metadata']> = {}): V1Pod => ({
  metadata: { name: 'web-abc-1', labels: { 'pod-template-hash': 'abc' }, resourceVersion: '1', ...meta },
  status: phase,
});

describe('PodEventMapper', () => {
  it('maps a recorded pod life to each transition once', () => {
    const out: EventBody[] = [];
    const m = new PodEventMapper((body) => out.push(body));
    const running = {
      containerStatuses: [
        { name: 'web', image: 'x', imageID: 'x', ready: false, restartCount: 0, state: { running: {} } },
      ],
    };
    m.observe('ADDED', pod({ phase: 'Pending' }));
    m.observe('MODIFIED', pod({ phase: 'Running', ...running }));
    m.observe('MODIFIED', pod({ phase: 'Running', ...running, conditions: [{ type: 'Ready', status: 'True' }] }));
    m.observe('MODIFIED', pod({ phase: 'Running', ...running, conditions: [{ type: 'Ready', status: 'True' }] }));
    const deleting = { deletionTimestamp: new Date(), deletionGracePeriodSeconds: 45 };
    m.observe(
      'MODIFIED',
      pod({ phase: 'Running', ...running, conditions: [{ type: 'Ready', status: 'False' }] }, deleting),
    );
    const terminated = {
      containerStatuses: [
        {
          name: 'web',
          image: 'x',
          imageID: 'x',
          ready: false,
          restartCount: 0,
          state: { terminated: { exitCode: 143 } },
        },
      ],
    };
    m.observe('MODIFIED', pod({ phase: 'Running', ...terminated }, deleting));
    m.observe('DELETED', pod({ phase: 'Running', ...terminated }, deleting));
    expect(out).toEqual([
      { kind: 'pod-created', pod: 'web-abc-1', revision: 'abc' },
      { kind: 'pod-started', pod: 'web-abc-1' },
      { kind: 'pod-ready', pod: 'web-abc-1' },
      { kind: 'pod-not-ready', pod: 'web-abc-1' },
      { kind: 'pod-terminating', pod: 'web-abc-1', gracePeriodSeconds: 45 },
      { kind: 'pod-exited', pod: 'web-abc-1', exitCode: 143, signal: 'SIGTERM' },
      { kind: 'pod-deleted', pod: 'web-abc-1' },
    ]);
  });

  it('reports exit 0 and 137 with the right signal', () => {
    const out: EventBody[] = [];
    const m = new PodEventMapper((body) => out.push(body));
    for (const [name, exitCode] of [
      ['a', 0],
      ['b', 137],
    ] as const) {
      m.observe(
        'ADDED',
        pod(
          {
            containerStatuses: [
              {
                name: 'web',
                image: 'x',
                imageID: 'x',
                ready: false,
                restartCount: 0,
                state: { terminated: { exitCode } },
              },
            ],
          },
          { name },
        ),
      );
    }
    expect(out.filter((e) => e.kind === 'pod-exited')).toEqual([
      { kind: 'pod-exited', pod: 'a', exitCode: 0, signal: null },
      { kind: 'pod-exited', pod: 'b', exitCode: 137, signal: 'SIGKILL' },
    ]);
  });
});

describe('SliceEventMapper', () => {
  const slice = (name: string, endpoints: [string, boolean, boolean, boolean][]): V1EndpointSlice => ({
    addressType: 'IPv4',
    metadata: { name },
    endpoints: endpoints.map(([p, ready, serving, terminating]) => ({
      addresses: ['10.0.0.1'],
      conditions: { ready, serving, terminating },
      targetRef: { kind: 'Pod', name: p },
    })),
  });

  it('reports condition changes and removals per pod, across slices', () => {
    const out: EventBody[] = [];
    const m = new SliceEventMapper((body) => out.push(body));
    m.observe(
      'ADDED',
      slice('s1', [
        ['a', true, true, false],
        ['b', true, true, false],
      ]),
    );
    m.observe(
      'MODIFIED',
      slice('s1', [
        ['a', true, true, false],
        ['b', true, true, false],
      ]),
    );
    m.observe(
      'MODIFIED',
      slice('s1', [
        ['a', false, true, true],
        ['b', true, true, false],
      ]),
    );
    m.observe('MODIFIED', slice('s1', [['b', true, true, false]]));
    // b moves to another slice: no removal, no change.
    m.observe('ADDED', slice('s2', [['b', true, true, false]]));
    m.observe('DELETED', slice('s1', []));
    m.observe('DELETED', slice('s2', []));
    expect(out).toEqual([
      { kind: 'endpoint-updated', pod: 'a', ready: true, serving: true, terminating: false },
      { kind: 'endpoint-updated', pod: 'b', ready: true, serving: true, terminating: false },
      { kind: 'endpoint-updated', pod: 'a', ready: false, serving: true, terminating: true },
      { kind: 'endpoint-removed', pod: 'a' },
      { kind: 'endpoint-removed', pod: 'b' },
    ]);
  });
});

describe('k6 output', () => {
  it('maps k6 error codes and statuses onto the failure causes (k6 docs table)', () => {
    expect(K6_ERROR_CAUSES).toEqual({
      1000: 'reset',
      1050: 'timeout',
      1201: 'reset',
      1211: 'timeout',
      1212: 'refused',
      1220: 'reset',
    });
    expect(k6Cause(0, 200)).toBeNull();
    expect(k6Cause(1212, 0)).toBe('refused');
    expect(k6Cause(1220, 0)).toBe('reset');
    expect(k6Cause(1000, 0)).toBe('reset');
    expect(k6Cause(1050, 0)).toBe('timeout');
    expect(k6Cause(1503, 503)).toBe('http-5xx');
    expect(k6Cause(0, 502)).toBe('http-5xx');
    expect(k6Cause(1404, 404)).toBe('other');
    expect(k6Cause(1101, 0)).toBe('other');
    expect(k6Cause(0, 201)).toBe('other');
  });

  it('parses k6 nanosecond times with offsets', () => {
    expect(parseK6Time('2017-05-09T14:34:45.625742514+02:00')).toBeCloseTo(
      Date.UTC(2017, 4, 9, 12, 34, 45) + 625.742514,
      6,
    );
    expect(parseK6Time('2017-05-09T12:34:45Z')).toBe(Date.UTC(2017, 4, 9, 12, 34, 45));
    expect(() => parseK6Time('yesterday')).toThrow(/RFC 3339/);
  });

  it('keeps only drainlab_req points and places them on the cell clock', () => {
    const origin = Date.UTC(2025, 0, 1);
    const nd = k6Ndjson([
      { endEpochMs: origin + 5000.25, durationMs: 30, status: 200, errorCode: 0, pod: 'p1', reused: false },
      { endEpochMs: origin + 6000, durationMs: 2000, status: 0, errorCode: 1050, pod: '', reused: true },
    ]);
    const samples = parseK6Points(nd, origin);
    expect(samples).toHaveLength(2);
    expect(samples[0]).toMatchObject({
      startMs: 4970.25,
      scheduledMs: 4970.25,
      durationMs: 30,
      status: 200,
      cause: null,
      pod: 'p1',
    });
    expect(samples[1]).toMatchObject({ startMs: 4000, cause: 'timeout', pod: null, reused: true });
  });

  it('reads totals from handleSummary data and the points block from a Job log', () => {
    expect(parseK6Summary(k6SummaryData(100, 0, 12), 'k6 1.2.0')).toEqual({
      scheduled: 100,
      dropped: 0,
      started: 100,
      vus: 12,
      engine: 'k6 1.2.0',
    });
    const log = k6JobLog(
      [{ endEpochMs: 1e12, durationMs: 1, status: 200, errorCode: 0, pod: 'p', reused: false }],
      k6SummaryData(1, 0, 1),
    );
    expect(pointsFromLog(log).trim().split('\n')).toHaveLength(1);
    let error: unknown;
    try {
      pointsFromLog('k6 crashed');
    } catch (caught) {
      error = caught;
    }
    expect((error as HarnessError).message).toMatch(/no per-request data/);
    expect((error as HarnessError).hint).toMatch(/containerLogMaxSize/);
  });
});

describe('names, cleanup, versions, dry-run text', () => {
  it('namespaces are DNS-1123 labels of <= 63 chars, distinct per cell and run', () => {
    const long = 'prestop-exceeds-grace--rolling-update--r12345678901234567890';
    const names = [
      kubeCellNamespace('20250101-120000-ab12', long),
      kubeCellNamespace('20250101-120000-ab12', `${long}x`),
      kubeCellNamespace('20250101-120000-ab13', long),
      kubeCellNamespace('20250101-120000-ab12', 'baseline--pod-delete--r1'),
    ];
    expect(new Set(names).size).toBe(4);
    for (const n of names) expect(n).toMatch(/^drainlab-[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    for (const n of names) expect(n.length).toBeLessThanOrEqual(63);
    expect(names[3]).toMatch(/^drainlab-baseline-pod-delete-r1-[0-9a-f]{6}$/);
  });

  it('deleteHarnessNamespaces deletes only namespaces the harness labelled, for the run asked', async () => {
    api = new FakeKubeApi();
    await api.start();
    const ns = (name: string, labels: Record<string, string>) =>
      api!.put('api/v1', undefined, 'namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
    const managed = { 'app.kubernetes.io/managed-by': 'drainlab' };
    ns('drainlab-a', { ...managed, [RUN_LABEL]: 'run-1' });
    ns('drainlab-b', { ...managed, [RUN_LABEL]: 'run-2' });
    ns('impostor', { [RUN_LABEL]: 'run-1' });
    ns('default', {});
    expect(await deleteHarnessNamespaces(api.kubeConfig(), 'run-1')).toEqual(['drainlab-a']);
    const list = api.requests.find((r) => r.method === 'GET');
    expect(list?.query.labelSelector).toBe('app.kubernetes.io/managed-by=drainlab,drainlab/run-id=run-1');
    expect(await deleteHarnessNamespaces(api.kubeConfig())).toEqual(['drainlab-b']);
    expect(api.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([
      '/api/v1/namespaces/drainlab-a',
      '/api/v1/namespaces/drainlab-b',
    ]);
  });

  it('kubeVersions reads the server version and kube-proxy mode', async () => {
    api = new FakeKubeApi();
    await api.start();
    expect(await kubeVersions(api.kubeConfig())).toEqual({ kubernetes: 'v1.33.1' });
    api.put('api/v1', 'kube-system', 'configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kube-proxy' },
      data: {
        'config.conf': 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\n',
      },
    });
    expect(await kubeVersions(api.kubeConfig())).toEqual({ kubernetes: 'v1.33.1', kubeProxyMode: 'ipvs' });
    const nodeInfo = (kubelet: string) => ({
      kubeletVersion: kubelet,
      containerRuntimeVersion: 'containerd://1.6.20',
      osImage: 'Debian GNU/Linux 12 (bookworm)',
      kernelVersion: '6.18.44',
    });
    for (const [name, kubelet] of [
      ['n1', 'v1.35.4'],
      ['n2', 'v1.35.4'],
      ['n3', 'v1.35.3'],
    ] as const) {
      api.put('api/v1', undefined, 'nodes', {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name },
        status: { nodeInfo: nodeInfo(kubelet) },
      });
    }
    expect(await kubeVersions(api.kubeConfig())).toMatchObject({
      nodes: '3',
      kubelet: 'v1.35.4, v1.35.3',
      containerRuntime: 'containerd://1.6.20',
      nodeOs: 'Debian GNU/Linux 12 (bookworm)',
      nodeKernel: '6.18.44',
    });
  });

  it('the k6 run time covers the slowest termination, and the invocation text shows it', () => {
    const slow = findVariant('ignore-sigterm')!;
    const fast = findVariant('prestop-drain')!;
    expect(k6RunSeconds(DEFAULT_LOAD_PROFILE, slow)).toBe(3 + 32 + 20 + 2 + 5);
    expect(k6RunSeconds(DEFAULT_LOAD_PROFILE, fast)).toBe(3 + 6 + 20 + 2 + 5);
    const text = describeK6Invocation({
      namespace: 'ns1',
      cellId: 'c1',
      image: 'grafana/k6:1.2.0',
      target: 'http://web.ns1.svc.cluster.local',
      profile: DEFAULT_LOAD_PROFILE,
      durationSeconds: 40,
    });
    expect(text).toContain('DRAINLAB_DURATION_S=40');
    expect(text).toContain('k6 run --quiet --no-color --out json=/tmp/points.ndjson /scripts/drain-load.ts');
  });
});
