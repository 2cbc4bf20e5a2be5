import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeKubeApi } from '../harness/platform/kube/testing/fake-api-server.ts';
import { fakeTools, type FakeTools } from './kind-fixtures.ts';
import { runCli } from './run-cli.ts';

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function setUp(clusters: string): Promise<{ api: FakeKubeApi; tools: FakeTools; stateDir: string }> {
  const api = new FakeKubeApi();
  await api.start();
  closers.push(() => api.close());
  const tools = fakeTools(['kind'], { FAKE_KIND_CLUSTERS: clusters, FAKE_KUBE_SERVER: `http://127.0.0.1:${api.port}` });
  closers.push(() => tools.dispose());
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'drainlab-clean-state-'));
  closers.push(() => rmSync(stateDir, { recursive: true, force: true }));
  return { api, tools, stateDir };
}

describe('npm run clean on the kind cluster', () => {
  it(
    'deletes only the namespaces the harness labelled, through the kubeconfig kind gives',
    { timeout: 60_000 },
    async () => {
      const { api, tools, stateDir } = await setUp('drainlab,someone-else');
      const labels = { 'app.kubernetes.io/managed-by': 'drainlab', 'drainlab/run-id': 'r1' };
      api.put('api/v1', undefined, 'namespaces', { metadata: { name: 'drainlab-baseline-abc123', labels } });
      api.put('api/v1', undefined, 'namespaces', { metadata: { name: 'users-own', labels: { team: 'a' } } });

      const run = await runCli(['clean'], { env: { ...tools.env, DRAINLAB_STATE_DIR: stateDir } });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('kind: deleted namespaces drainlab-baseline-abc123');
      expect(tools.calls()).toEqual(['kind get clusters', 'kind get kubeconfig --name drainlab']);
      const deletes = api.requests.filter((r) => r.method === 'DELETE').map((r) => r.path);
      expect(deletes).toEqual(['/api/v1/namespaces/drainlab-baseline-abc123']);
      expect(api.get('api/v1', undefined, 'namespaces', 'users-own')).toBeDefined();
    },
  );

  it('leaves clusters alone when there is no drainlab cluster', { timeout: 60_000 }, async () => {
    const { api, tools, stateDir } = await setUp('someone-else');
    const run = await runCli(['clean'], { env: { ...tools.env, DRAINLAB_STATE_DIR: stateDir } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('kind: no drainlab cluster');
    expect(tools.calls()).toEqual(['kind get clusters']);
    expect(api.requests).toEqual([]);
  });
});
