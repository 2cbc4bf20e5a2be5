import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClock } from '../harness/core/clock.ts';
import { KindPlatform } from '../harness/platform/kind/kind-platform.ts';
import type { KubeCellOptions, KubeOps } from '../harness/platform/kind/kube-seam.ts';
import type { CellDeployment } from '../harness/platform/platform.ts';
import { parseExperimentArgs } from '../harness/runner/parse-args.ts';
import { findVariant } from '../harness/variants/catalog.ts';
import { fakeTools, type FakeTools } from './kind-fixtures.ts';

let tools: FakeTools | undefined;
let dir = '';
const saved = process.env.KUBECONFIG;
afterEach(() => {
  tools?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (saved === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = saved;
});

// --load builtin with --context: the harness's own generator sends from this machine to the Service address (the
// development cluster, scripts/devcluster); no k6 Job is made and the results say where the load came from.
describe('--context with --load builtin', () => {
  it('is accepted, deploys cells without a k6 Job, and records the load and the context instead of a k6 image', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'drainlab-ctx-'));
    const kubeconfig = path.join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters:\n- name: dev\n  cluster: {server: "http://127.0.0.1:9"}\n' +
        'contexts:\n- name: dev\n  context: {cluster: dev, user: dev}\nusers:\n- name: dev\n  user: {}\n',
    );
    process.env.KUBECONFIG = kubeconfig;
    const parsed = parseExperimentArgs([
      '--platform',
      'kind',
      '--context',
      'dev',
      '--i-understand-this-is-not-a-harness-cluster',
      '--load',
      'builtin',
      '--out',
      path.join(dir, 'run'),
    ]);
    if (parsed.kind !== 'ok') throw new Error(JSON.stringify(parsed));
    expect(parsed.options.loadEngine).toBe('builtin');

    tools = fakeTools(['kubectl']);
    const seen: KubeCellOptions[] = [];
    const kube: KubeOps = {
      deployKubeCell: async (o) => {
        seen.push(o);
        return {} as CellDeployment;
      },
      deleteHarnessNamespaces: async () => [],
      kubeVersions: async () => ({ kubernetes: 'v1.35.4' }),
    };
    const platform = new KindPlatform(parsed.options, {
      kube,
      env: { ...tools.env, DRAINLAB_WORKLOAD_IMAGE: 'drainlab/workload:devcluster' },
      log: () => undefined,
    });
    await platform.setUp(new AbortController().signal);
    await platform.deploy({
      cellId: 'c1',
      variant: findVariant('baseline')!,
      replicas: 3,
      clock: createClock(),
      events: () => undefined,
      timeScale: 1,
      signal: new AbortController().signal,
    });
    expect(seen[0]).toMatchObject({ loadFrom: 'host', workloadImage: 'drainlab/workload:devcluster' });
    const versions = await platform.versions();
    expect(versions).toMatchObject({ context: 'dev', kubernetes: 'v1.35.4' });
    expect(versions.load).toMatch(/builtin generator on this machine/);
    expect(versions).not.toHaveProperty('k6Image');
  });
});
