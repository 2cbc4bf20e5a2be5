import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../harness/core/errors.ts';
import { renderKindConfig } from '../harness/platform/kind/cluster-config.ts';
import { INSTALL_HINTS, preflightKind } from '../harness/platform/kind/preflight.ts';
import { fakeTools, type FakeTools } from './kind-fixtures.ts';
import { runCli } from './run-cli.ts';

let tools: FakeTools | undefined;
const servers: net.Server[] = [];
afterEach(async () => {
  tools?.dispose();
  tools = undefined;
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function problemsOf(promise: Promise<unknown>): Promise<readonly string[]> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EnvironmentError);
  return (error as EnvironmentError).problems;
}

describe('kind preflight', () => {
  it('names every missing tool at once, one line each with its install hint', async () => {
    tools = fakeTools([]);
    const problems = await problemsOf(preflightKind({ mode: 'kind', env: tools.env }));
    expect(problems).toEqual([INSTALL_HINTS.docker, INSTALL_HINTS.kind, INSTALL_HINTS.kubectl]);
    for (const p of problems) expect(p).not.toContain('\n');
    expect(tools.calls()).toEqual([]);
  });

  it('reports an unreachable Docker engine with what to do', async () => {
    tools = fakeTools(['docker', 'kind', 'kubectl'], { FAKE_DOCKER_ENGINE: 'down' });
    const problems = await problemsOf(preflightKind({ mode: 'kind', env: tools.env }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^the Docker engine is not reachable .*Cannot connect to the Docker daemon.*: start Docker/,
    );
  });

  it('returns the versions when everything is there', async () => {
    tools = fakeTools(['docker', 'kind', 'kubectl']);
    const report = await preflightKind({ mode: 'kind', env: tools.env });
    expect(report).toEqual({
      versions: { docker: '28.2.2', dockerEngine: '28.2.2', kind: 'v0.33.0', kubectl: 'v1.37.0' },
      clusterExists: false,
    });
    expect(tools.calls()).toContain('kind get clusters');
    expect(tools.calls().some((c) => /create|load|build|delete/.test(c))).toBe(false);
  });

  it('refuses an existing drainlab cluster unless it is reused', async () => {
    tools = fakeTools(['docker', 'kind', 'kubectl'], { FAKE_KIND_CLUSTERS: 'other,drainlab' });
    const problems = await problemsOf(preflightKind({ mode: 'kind', env: tools.env }));
    expect(problems).toEqual([
      'a kind cluster named drainlab already exists: add --reuse-cluster to run on it, or delete it with: kind delete cluster --name drainlab',
    ]);
    const reused = await preflightKind({ mode: 'kind', env: tools.env, reuseCluster: true });
    expect(reused.clusterExists).toBe(true);
  });

  it('reports a mapped host port that is taken', async () => {
    tools = fakeTools(['docker', 'kind', 'kubectl']);
    const server = net.createServer();
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const problems = await problemsOf(preflightKind({ mode: 'kind', env: tools.env, hostPorts: [port] }));
    expect(problems).toEqual([
      `host port ${port} is in use, and manifests/kind/cluster.yaml maps it: free it or change the mapping`,
    ]);
  });

  it('with --context needs only kubectl and a pullable image', async () => {
    tools = fakeTools(['kubectl']);
    const problems = await problemsOf(preflightKind({ mode: 'context', env: tools.env }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/DRAINLAB_WORKLOAD_IMAGE=<registry>/);
    const ok = await preflightKind({
      mode: 'context',
      env: { ...tools.env, DRAINLAB_WORKLOAD_IMAGE: 'r.example/w:1' },
    });
    expect(ok.versions).toEqual({ kubectl: 'v1.37.0' });
  });
});

describe('kind config', () => {
  it('fills the kube-proxy mode and keeps every node image pinned by digest', () => {
    const config = renderKindConfig('nftables');
    expect(config.yaml).toContain('kubeProxyMode: "nftables"');
    expect(config.yaml).toContain('containerLogMaxSize: 50Mi');
    expect(config.kubeProxyMode).toBe('nftables');
    expect(config.nodeImages.length).toBeGreaterThanOrEqual(1);
    for (const image of config.nodeImages) expect(image).toMatch(/^kindest\/node:v1\.\d+\.\d+@sha256:[0-9a-f]{64}$/);
    expect(config.hostPorts).toEqual([]);
  });

  it('rejects a template whose node image is not pinned', () => {
    const template =
      'kind: Cluster\nnetworking:\n  kubeProxyMode: "{{kubeProxyMode}}"\nnodes:\n  - role: control-plane\n    image: kindest/node:v1.37.0\n';
    expect(() => renderKindConfig('iptables', template)).toThrow(/pinned as kindest\/node:vX.Y.Z@sha256/);
  });
});

describe('npm run experiment -- --platform kind without kind', () => {
  it('prints what is missing, exits 4 (broken environment) and creates nothing', async () => {
    tools = fakeTools(['docker', 'kubectl'], { FAKE_DOCKER_ENGINE: 'down' });
    const out = mkdtempSync(path.join(os.tmpdir(), 'drainlab-kind-cli-'));
    const runDir = path.join(out, 'run');
    try {
      const run = await runCli(['experiment', '--platform', 'kind', '--out', runDir], {
        env: { PATH: tools.env.PATH, FAKE_TOOLS_LOG: tools.env.FAKE_TOOLS_LOG, FAKE_DOCKER_ENGINE: 'down' },
      });
      expect(run.code).toBe(4);
      expect(run.stderr).toContain(`error: ${INSTALL_HINTS.kind}`);
      expect(run.stderr).toMatch(/error: the Docker engine is not reachable/);
      expect(existsSync(runDir)).toBe(false);
      expect(tools.calls().filter((c) => /create|build|load|delete|pull/.test(c))).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
