import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

const CONFIRM = '--i-understand-this-is-not-a-harness-cluster';

/** A kubeconfig with one context, `team-a`, whose cluster is `server`. */
function kubeconfig(dir: string, server: string): string {
  const file = path.join(dir, 'kubeconfig.yaml');
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- cluster:
    server: ${server}
    insecure-skip-tls-verify: true
  name: team-a
contexts:
- context:
    cluster: team-a
    user: team-a
  name: team-a
current-context: team-a
users:
- name: team-a
  user:
    token: fake
`,
  );
  return file;
}

/** A fake API server, kind on PATH with a drainlab cluster (which --context must leave alone), an empty state dir. */
async function setUp(server?: string): Promise<{ api: FakeKubeApi; tools: FakeTools; env: NodeJS.ProcessEnv }> {
  const api = new FakeKubeApi();
  await api.start();
  closers.push(() => api.close());
  const tools = fakeTools(['kind', 'kubectl'], { FAKE_KIND_CLUSTERS: 'drainlab' });
  closers.push(() => tools.dispose());
  const dir = mkdtempSync(path.join(os.tmpdir(), 'drainlab-clean-context-'));
  closers.push(() => rmSync(dir, { recursive: true, force: true }));
  const env = {
    ...tools.env,
    KUBECONFIG: kubeconfig(dir, server ?? `http://127.0.0.1:${api.port}`),
    DRAINLAB_STATE_DIR: path.join(dir, 'state'),
  };
  return { api, tools, env };
}

describe('npm run clean -- --context NAME', () => {
  it(
    'deletes only the namespaces the harness labelled on that context, and asks kind nothing',
    { timeout: 60_000 },
    async () => {
      const { api, tools, env } = await setUp();
      const labels = { 'app.kubernetes.io/managed-by': 'drainlab', 'drainlab/run-id': 'r1' };
      api.put('api/v1', undefined, 'namespaces', { metadata: { name: 'drainlab-baseline-abc123', labels } });
      api.put('api/v1', undefined, 'namespaces', { metadata: { name: 'users-own', labels: { team: 'a' } } });

      const run = await runCli(['clean', '--context', 'team-a', CONFIRM], { env });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('context team-a: deleted namespaces drainlab-baseline-abc123');
      expect(tools.calls()).toEqual([]);
      const deletes = api.requests.filter((r) => r.method === 'DELETE').map((r) => r.path);
      expect(deletes).toEqual(['/api/v1/namespaces/drainlab-baseline-abc123']);
      expect(api.get('api/v1', undefined, 'namespaces', 'users-own')).toBeDefined();
    },
  );

  it(
    'needs the same confirmation as an experiment on a context: exit 2, nothing asked',
    { timeout: 60_000 },
    async () => {
      const { api, tools, env } = await setUp();
      const run = await runCli(['clean', '--context', 'team-a'], { env });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        `error: --context team-a acts on a cluster drainlab did not create: add ${CONFIRM} to confirm`,
      );
      expect(api.requests).toEqual([]);
      expect(tools.calls()).toEqual([]);
      const alone = await runCli(['clean', CONFIRM], { env });
      expect(alone.code).toBe(2);
      expect(alone.stderr).toMatch(/only goes with --context NAME/);
    },
  );

  it('a context not in the kubeconfig is bad input (exit 2) naming the ones there', { timeout: 60_000 }, async () => {
    const { api, env } = await setUp();
    const run = await runCli(['clean', '--context=team-b', CONFIRM], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: --context team-b is not in the kubeconfig: choose one of team-a');
    expect(api.requests).toEqual([]);
  });

  it(
    'a context whose cluster does not answer is a broken environment: exit 4 with the reason',
    { timeout: 60_000 },
    async () => {
      const { env } = await setUp('https://127.0.0.1:9');
      const run = await runCli(['clean', '--context', 'team-a', CONFIRM], { env });
      expect(run.code).toBe(4);
      expect(run.stderr).toMatch(/^error: context team-a: could not delete the harness namespaces \(.*ECONNREFUSED/m);
      expect(run.stderr).toContain('hint: check that kubectl --context team-a get namespaces works');
    },
  );
});
