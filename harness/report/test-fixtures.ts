/**
 * Realistic hand-built measurements for tests of analysis and report code: a rolling update of 3 replicas
 * (maxSurge 1, maxUnavailable 0) under 100 req/s, with events and samples derived from one simple model of the race,
 * so the numbers in a fixture agree with each other (a request fails only when it reached a pod that was gone).
 */
import { analyzeCell, type CellInput } from '../analysis/analyze-cell.ts';
import type { EventBody, LifecycleEvent } from '../model/events.ts';
import { DEFAULT_LOAD_PROFILE } from '../model/load-profile.ts';
import { RESULTS_SCHEMA_VERSION, type ResultsFile } from '../model/results.ts';
import type { RequestSample } from '../model/sample.ts';
import { encodeSamples } from './samples-codec.ts';

/** Options of one fixture cell. */
export interface FixtureCellOptions {
  /** Variant name; `baseline` exits on SIGTERM at once, anything else runs preStop sleep 5 then drains. */
  variant: string;
  /** 1-based repetition; shifts timings a little so repetitions differ. */
  repetition: number;
  /** Scenario name recorded in the cell. */
  scenario?: string;
}

/** Deterministic pseudo-random numbers in [0, 1) (a tiny LCG), so fixtures never change between runs. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const SYNC_MS = 1000;
const nextSync = (t: number) => Math.ceil(t / SYNC_MS) * SYNC_MS;

/** The events and samples of one rolling-update cell. */
export function makeCellInput(opts: FixtureCellOptions): CellInput {
  const scenario = opts.scenario ?? 'rolling-update';
  const drains = opts.variant !== 'baseline';
  const shift = (opts.repetition - 1) * 37;
  const events: LifecycleEvent[] = [];
  const ev = (t: number, source: LifecycleEvent['source'], body: EventBody) => events.push({ ...body, t, source });

  const oldPods = ['web-7d9f-a1', 'web-7d9f-b2', 'web-7d9f-c3'];
  const newPods = ['web-5c48-d4', 'web-5c48-e5', 'web-5c48-f6'];
  oldPods.forEach((pod, i) => {
    const t0 = 50 + i * 10;
    ev(t0, 'replicaset-controller', { kind: 'pod-created', pod, revision: '7d9f' });
    ev(t0 + 10, 'endpointslice-controller', {
      kind: 'endpoint-updated',
      pod,
      ready: false,
      serving: false,
      terminating: false,
    });
    ev(t0 + 40, 'kubelet', { kind: 'pod-started', pod, pid: 4100 + i });
    ev(t0 + 400, 'kubelet', { kind: 'pod-ready', pod });
    ev(t0 + 450, 'endpointslice-controller', {
      kind: 'endpoint-updated',
      pod,
      ready: true,
      serving: true,
      terminating: false,
    });
  });
  ev(1000, 'kube-proxy', { kind: 'routing-updated', endpoints: [...oldPods], added: [...oldPods], removed: [] });
  ev(1200, 'harness', { kind: 'load-start' });
  const disruption = 4200 + shift;
  ev(disruption, 'scenario', { kind: 'scenario-start', scenario });
  ev(disruption + 5, 'scenario', { kind: 'scenario-action', action: 'patch deployment template', target: 'web' });

  // Routing table over time, to decide which pod each request reached.
  const routing: { t: number; endpoints: string[] }[] = [{ t: 1000, endpoints: [...oldPods] }];
  const route = (t: number, add: string[], remove: string[]) => {
    const last = routing.at(-1)?.endpoints ?? [];
    const endpoints = [...last.filter((p) => !remove.includes(p)), ...add];
    routing.push({ t, endpoints });
    ev(t, 'kube-proxy', { kind: 'routing-updated', endpoints, added: add, removed: remove });
  };
  const exits = new Map<string, number>();
  let lastReady = disruption;
  let lastExit = disruption;
  for (let i = 0; i < 3; i++) {
    const newPod = newPods[i] as string;
    const oldPod = oldPods[i] as string;
    const base = disruption + i * 800;
    ev(base + 20, 'replicaset-controller', { kind: 'pod-created', pod: newPod, revision: '5c48' });
    ev(base + 60, 'kubelet', { kind: 'pod-started', pod: newPod, pid: 4200 + i });
    ev(base + 120, 'endpointslice-controller', {
      kind: 'endpoint-updated',
      pod: newPod,
      ready: false,
      serving: false,
      terminating: false,
    });
    ev(base + 700, 'kubelet', { kind: 'pod-ready', pod: newPod });
    ev(base + 800, 'endpointslice-controller', {
      kind: 'endpoint-updated',
      pod: newPod,
      ready: true,
      serving: true,
      terminating: false,
    });
    lastReady = base + 700;

    const terminating = base + 720;
    ev(terminating, 'api', { kind: 'pod-terminating', pod: oldPod, gracePeriodSeconds: 30 });
    const notReady = terminating + 100;
    ev(notReady, 'endpointslice-controller', {
      kind: 'endpoint-updated',
      pod: oldPod,
      ready: false,
      serving: true,
      terminating: true,
    });
    const kubelet = terminating + 100;
    let exit: number;
    if (drains) {
      ev(kubelet, 'kubelet', { kind: 'prestop-start', pod: oldPod, handler: 'sleep' });
      ev(kubelet + 5000, 'kubelet', { kind: 'prestop-end', pod: oldPod, outcome: 'completed' });
      ev(kubelet + 5000, 'kubelet', { kind: 'sigterm-sent', pod: oldPod });
      ev(kubelet + 5004, 'app', { kind: 'app-log', pod: oldPod, msg: 'sigterm' });
      ev(kubelet + 5005, 'app', { kind: 'app-log', pod: oldPod, msg: 'drain-start' });
      ev(kubelet + 5090, 'app', { kind: 'app-log', pod: oldPod, msg: 'drain-done' });
      exit = kubelet + 5100;
      ev(exit, 'kubelet', { kind: 'pod-exited', pod: oldPod, exitCode: 0, signal: null });
    } else {
      ev(kubelet, 'kubelet', { kind: 'sigterm-sent', pod: oldPod });
      exit = kubelet + 8;
      ev(exit, 'kubelet', { kind: 'pod-exited', pod: oldPod, exitCode: 143, signal: 'SIGTERM' });
    }
    exits.set(oldPod, exit);
    lastExit = exit;
    ev(exit + 30, 'api', { kind: 'pod-deleted', pod: oldPod });
    ev(exit + 130, 'endpointslice-controller', { kind: 'endpoint-removed', pod: oldPod });
    // One proxy sync applies both changes: the new pod in, the not-ready old pod out.
    route(nextSync(Math.max(base + 900, notReady + 100)), [newPod], [oldPod]);
  }
  const rollout = lastReady + 50;
  ev(rollout, 'deployment-controller', { kind: 'rollout-complete' });
  const settled = Math.max(rollout, lastExit + 200);
  ev(settled, 'harness', { kind: 'settled' });
  const loadStop = Math.max(settled, disruption + DEFAULT_LOAD_PROFILE.durationSeconds * 1000) + 2000;
  ev(loadStop, 'harness', { kind: 'load-stop' });

  const samples: RequestSample[] = [];
  const random = lcg(opts.repetition * 7919 + opts.variant.length);
  const perPod = new Map<string, number>();
  for (let scheduled = 1200; scheduled < loadStop; scheduled += 10) {
    const startMs = scheduled + random() * 0.5;
    const table = [...routing].reverse().find((r) => r.t <= startMs)?.endpoints ?? [];
    const pod = table[Math.floor(random() * table.length)] ?? null;
    const work = 20 + random() * 60;
    const exit = pod === null ? undefined : exits.get(pod);
    let sample: RequestSample = {
      scheduledMs: scheduled,
      startMs,
      durationMs: work + 1,
      status: 200,
      cause: null,
      pod,
      reused: true,
    };
    if (exit !== undefined && startMs >= exit) {
      sample = { ...sample, durationMs: 0.4 + random(), status: 0, cause: 'refused', reused: false };
    } else if (exit !== undefined && startMs + work + 1 > exit) {
      sample = { ...sample, durationMs: exit - startMs + 0.2, status: 0, cause: 'reset' };
    }
    if (pod !== null) perPod.set(pod, (perPod.get(pod) ?? 0) + 1);
    samples.push(sample);
  }

  const id = `${opts.variant}--${scenario}--r${opts.repetition}`;
  return {
    id,
    variant: opts.variant,
    scenario,
    repetition: opts.repetition,
    status: 'complete',
    samples,
    events,
    load: { scheduled: samples.length, dropped: 0, started: samples.length, vus: 12, engine: 'builtin' },
    startedAtEpochMs: Date.UTC(2025, 0, 15, 10, 0, 0) + opts.repetition * 60_000,
    durationMs: loadStop + 300,
    samplesFile: `cells/${id}/samples.bin`,
    samplePods: encodeSamples(samples).pods,
  };
}

/** A complete run: baseline and prestop-drain × rolling-update × 2 repetitions, on the emulated local platform. */
export function makeResultsFixture(): ResultsFile {
  const variants = ['baseline', 'prestop-drain'];
  const cells = variants.flatMap((variant) =>
    [1, 2].map((repetition) => analyzeCell(makeCellInput({ variant, repetition }))),
  );
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    runId: '20250115-100000-fixture',
    harnessVersion: '0.1.0',
    startedAt: '2025-01-15T10:00:00.000Z',
    finishedAt: '2025-01-15T10:03:30.000Z',
    status: 'complete',
    platform: { name: 'local', emulated: true, versions: { node: 'v20.20.0' } },
    timeScale: 1,
    propagation: {
      kubeletNoticeSeconds: 0.1,
      endpointsControllerSeconds: 0.1,
      proxyWatchSeconds: 0.1,
      proxyMinSyncSeconds: 1,
    },
    loadProfile: { ...DEFAULT_LOAD_PROFILE, workMs: { ...DEFAULT_LOAD_PROFILE.workMs } },
    variants,
    scenarios: ['rolling-update'],
    variantInfo: {
      baseline: {
        summary: {
          en: 'No preStop; the app exits at once on SIGTERM.',
          ja: 'preStop なし。SIGTERM で即座に終了する。',
        },
        expectation: {
          en: 'Errors: connections refused and reset until routing catches up.',
          ja: 'ルーティングが追いつくまで接続拒否とリセットが起きる。',
        },
        expectedSafe: false,
        manifestYaml: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n',
      },
      'prestop-drain': {
        summary: {
          en: 'preStop sleep 5, then a graceful drain.',
          ja: 'preStop で 5 秒待ち、その後グレースフルに排出する。',
        },
        expectation: { en: 'No lost request.', ja: 'リクエストは失われない。' },
        expectedSafe: true,
        manifestYaml:
          'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n' +
          '        - lifecycle:\n            preStop:\n              sleep:\n                seconds: 5\n',
      },
    },
    scenarioInfo: {
      'rolling-update': {
        summary: { en: 'Change the pod template; 3 replicas, maxSurge 1.', ja: 'Pod テンプレートを変更する。' },
      },
    },
    repetitions: 2,
    machine: { os: 'linux', arch: 'x64', cpus: 2, cpuModel: 'Test CPU @ 2.0GHz', memoryGiB: 8, node: 'v20.20.0' },
    cells,
  };
}

/**
 * A synthetic run the size of the default matrix (6 variants × 3 scenarios) with `repetitions` repetitions each, built
 * from the same model as makeResultsFixture: for size and render-time checks of the report.
 */
export function makeLargeResultsFixture(repetitions: number): ResultsFile {
  const base = makeResultsFixture();
  const variants = [
    'baseline',
    'drain-only',
    'prestop-only',
    'prestop-drain',
    'ignore-sigterm',
    'prestop-exceeds-grace',
  ];
  const scenarios = ['rolling-update', 'pod-delete', 'scale-down'];
  const cells = variants.flatMap((variant) =>
    scenarios.flatMap((scenario) =>
      Array.from({ length: repetitions }, (_, i) =>
        analyzeCell(makeCellInput({ variant, scenario, repetition: i + 1 })),
      ),
    ),
  );
  const info = (name: string) => base.variantInfo[name === 'prestop-drain' ? 'prestop-drain' : 'baseline']!;
  return {
    ...base,
    variants,
    scenarios,
    repetitions,
    variantInfo: Object.fromEntries(variants.map((v) => [v, info(v)])),
    scenarioInfo: Object.fromEntries(scenarios.map((s) => [s, base.scenarioInfo['rolling-update']!])),
    cells,
  };
}
