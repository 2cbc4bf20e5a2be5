import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HarnessError } from '../harness/core/errors.ts';
import type { CellDeployment } from '../harness/platform/platform.ts';
import type { KubeCellOptions } from '../harness/platform/kind/kube-seam.ts';
import { parseExperimentArgs } from '../harness/runner/parse-args.ts';
import { runExperiment } from '../harness/runner/run-experiment.ts';
import { fakeTools, type FakeTools } from './kind-fixtures.ts';

// The kube layer is replaced at its seam; docker, kind and kubectl are fixture executables on PATH.
const kube = vi.hoisted(() => ({
  calls: [] as string[],
  failDeploy: false,
  failLoad: false,
}));

vi.mock('../harness/platform/kind/kube-seam.ts', () => ({
  defaultKubeOps: {
    async deployKubeCell(options: KubeCellOptions): Promise<CellDeployment> {
      kube.calls.push(
        `deploy ${options.cellId} image=${options.workloadImage} k6=${options.k6Image} server=${options.kubeConfig.getCurrentCluster()?.server}`,
      );
      if (kube.failDeploy) throw new Error('injected deploy failure');
      return fakeDeployment(options);
    },
    async deleteHarnessNamespaces(_kc: unknown, runId?: string) {
      kube.calls.push(`delete-namespaces ${runId}`);
      return [];
    },
    async kubeVersions() {
      kube.calls.push('versions');
      return { kubernetes: 'v1.37.0', kubeProxyMode: 'iptables' };
    },
  },
}));

function fakeDeployment(options: KubeCellOptions): CellDeployment {
  const pods = ['web-a', 'web-b', 'web-c'].map((name) => ({ name, revision: '1', ready: true, terminating: false }));
  const teardown = async () => void kube.calls.push(`teardown ${options.cellId}`);
  return {
    client: {
      deploymentName: 'web',
      patchTemplateAnnotations: async () => void kube.calls.push('patch'),
      deletePod: async (name) => void kube.calls.push(`delete-pod ${name}`),
      setRollingUpdate: async () => void kube.calls.push('strategy'),
      scale: async (n) => void kube.calls.push(`scale ${n}`),
      listPods: async () => pods,
    },
    target: { host: '127.0.0.1', port: 9 },
    loadGenerator: {
      name: 'fake-k6',
      run: (opts) =>
        new Promise((resolve, reject) => {
          let n = 0;
          opts.onStarted?.();
          const timer = setInterval(() => {
            const t = opts.clock.now();
            opts.onSample({
              scheduledMs: t,
              startMs: t,
              durationMs: 1,
              status: 200,
              cause: null,
              pod: 'web-a',
              reused: n > 0,
            });
            n++;
          }, 10);
          const done = () => {
            clearInterval(timer);
            // Fails at the end of the run (as k6 exiting non-zero would): run-cell awaits the load only then.
            if (kube.failLoad) reject(new Error('injected load failure'));
            else resolve({ scheduled: n, dropped: 0, started: n, vus: 1, engine: 'fake-k6' });
          };
          opts.stop.addEventListener('abort', done, { once: true });
          setTimeout(done, Math.min(opts.maxDurationMs, 20_000));
        }),
    },
    waitSettled: async () => undefined,
    teardown,
    [Symbol.asyncDispose]: teardown,
  };
}

let tools: FakeTools;
let out: string;
const savedPath = process.env.PATH;
const savedLog = process.env.FAKE_TOOLS_LOG;
beforeEach(() => {
  kube.calls = [];
  kube.failDeploy = false;
  kube.failLoad = false;
  out = mkdtempSync(path.join(os.tmpdir(), 'drainlab-kind-flow-'));
});
afterEach(() => {
  process.env.PATH = savedPath;
  if (savedLog === undefined) delete process.env.FAKE_TOOLS_LOG;
  else process.env.FAKE_TOOLS_LOG = savedLog;
  delete process.env.FAKE_FAIL;
  tools?.dispose();
  rmSync(out, { recursive: true, force: true });
});

async function run(extra: string[] = [], fail?: string) {
  tools = fakeTools(['docker', 'kind', 'kubectl']);
  // KindPlatform uses the process environment (as the CLI does): point it at the fixtures.
  process.env.PATH = tools.env.PATH;
  process.env.FAKE_TOOLS_LOG = tools.env.FAKE_TOOLS_LOG;
  if (fail) process.env.FAKE_FAIL = fail;
  const parsed = parseExperimentArgs([
    '--platform',
    'kind',
    '--variants',
    'prestop-drain',
    '--scenarios',
    'rolling-update',
    '--duration',
    '1',
    '--out',
    path.join(out, 'run'),
    ...extra,
  ]);
  if (parsed.kind !== 'ok') throw new Error(JSON.stringify(parsed));
  // Sped up past the flag check (which refuses a time scale on kind): the fake kube layer has no kubelet to slow it.
  const options = { ...parsed.options, timeScale: 0.02 };
  const outcome = await runExperiment(options, new AbortController().signal).then(
    (o) => ({ ok: true as const, o }),
    (e: unknown) => ({ ok: false as const, e }),
  );
  const image = `drainlab/workload:${options.runId}`;
  // Abstract the per-run parts so sequences read like the real thing.
  const calls = tools.calls().map((c) =>
    c
      .replaceAll(options.runId, '<run>')
      .replace(/--config \S+/, '--config <file>')
      .replace(/--file \S+ /, '--file <ctx>/workloads/Dockerfile ')
      .replace(/ \/tmp\/drainlab-image-\w+$/, ' <ctx>'),
  );
  return { outcome, calls, image, runId: options.runId };
}

const PREFLIGHT = [
  'docker --version',
  'kind version',
  'kubectl version --client --output json',
  'docker info --format {{.ServerVersion}}',
  'kind get clusters',
];
const SET_UP = [
  'kind create cluster --name drainlab --config <file> --wait 120s',
  'kind get kubeconfig --name drainlab',
  'docker build --force-rm --file <ctx>/workloads/Dockerfile --tag drainlab/workload:<run> <ctx>',
  'docker image inspect --format {{.Id}} grafana/k6:2.2.0',
  'docker pull grafana/k6:2.2.0',
  'kind load docker-image drainlab/workload:<run> --name drainlab',
  'kind load docker-image grafana/k6:2.2.0 --name drainlab',
];
const TEAR_DOWN = ['kind delete cluster --name drainlab', 'docker image rm drainlab/workload:<run>'];

const sorted = (calls: string[]) => [...calls.slice(0, 3)].sort().concat(calls.slice(3));

describe('the kind flow with fixture tools', () => {
  it('runs preflight → create → build → load → deploy → cells → delete, in that order', async () => {
    const { outcome, calls } = await run();
    expect(outcome.ok).toBe(true);
    if (outcome.ok) {
      expect(outcome.o.results.status).toBe('complete');
      expect(outcome.o.results.cells[0]?.requests.total).toBeGreaterThan(0);
      expect(outcome.o.results.platform.versions).toMatchObject({
        kind: 'v0.33.0',
        kubernetes: 'v1.37.0',
        kubectl: 'v1.37.0',
      });
    }
    expect(sorted(calls)).toEqual(sorted([...PREFLIGHT, ...SET_UP, ...TEAR_DOWN]));
    expect(kube.calls[0]).toBe('versions');
    expect(kube.calls[1]).toMatch(
      /^deploy prestop-drain--rolling-update--r1 image=drainlab\/workload:\S+ k6=grafana\/k6:2.2.0 server=https:\/\/127.0.0.1:9$/,
    );
    expect(kube.calls).toContain('patch');
    expect(kube.calls.at(-1)).toBe('teardown prestop-drain--rolling-update--r1');
  });

  it("keeps the cluster with --keep-cluster and deletes only this run's namespaces", async () => {
    const { calls, runId } = await run(['--keep-cluster']);
    expect(calls).not.toContain('kind delete cluster --name drainlab');
    expect(calls.at(-1)).toBe('docker image rm drainlab/workload:<run>');
    expect(kube.calls.at(-1)).toBe(`delete-namespaces ${runId}`);
  });

  const steps: [string, string, number][] = [
    ['create', 'kind create cluster', 0],
    ['build', 'docker build', 2],
    ['load', 'kind load docker-image', 5],
  ];
  for (const [name, fail, index] of steps) {
    it(`stops at a failed ${name}, runs nothing after it, and still deletes the cluster`, async () => {
      const { outcome, calls } = await run([], fail);
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(String((outcome.e as Error).message)).toMatch(/command: /);
      // A cluster that cannot be set up is the environment (exit 4), not a failed run.
      if (!outcome.ok) expect((outcome.e as HarnessError).exitCode).toBe(4);
      const teardown = name === 'create' ? ['kind delete cluster --name drainlab'] : TEAR_DOWN;
      expect(sorted(calls)).toEqual(sorted([...PREFLIGHT, ...SET_UP.slice(0, index + 1), ...teardown]));
      expect(kube.calls.filter((c) => c.startsWith('deploy'))).toEqual([]);
    });
  }

  for (const [name, knob] of [
    ['deploy', 'failDeploy'],
    ['run', 'failLoad'],
  ] as const) {
    it(`records a failed ${name} as a failed cell and still deletes the cluster`, async () => {
      kube[knob] = true;
      const { outcome, calls } = await run();
      expect(outcome.ok).toBe(true);
      if (outcome.ok) {
        expect(outcome.o.results.status).toBe('failed');
        expect(outcome.o.results.cells[0]?.status).toBe('failed');
      }
      expect(calls.slice(-2)).toEqual(TEAR_DOWN);
      // A failed deploy never reaches the disruption; a load that fails at its end ran through it.
      expect(kube.calls.filter((c) => c === 'patch')).toEqual(name === 'deploy' ? [] : ['patch']);
    });
  }
});
