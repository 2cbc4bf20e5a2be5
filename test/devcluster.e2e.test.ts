import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '../harness/model/events.ts';
import type { ResultsFile } from '../harness/model/results.ts';
import { runCli } from './run-cli.ts';

// The real path end to end: the development cluster (scripts/devcluster/up.sh: Kubernetes built from Go modules,
// containerd + runc, kube-proxy in iptables mode) running the harness through --context. .ci/run starts the cluster
// and runs this file alone (nothing else competing for the two cores) with DRAINLAB_DEVCLUSTER_KUBECONFIG and
// DRAINLAB_REQUIRE_DEVCLUSTER=1; the rest of the suite skips it, and it fails when required but not running.
const kubeconfig = process.env.DRAINLAB_DEVCLUSTER_KUBECONFIG ?? '';
const bin = path.join(process.env.DEVCLUSTER_CACHE ?? path.join(os.homedir(), '.cache/drainlab-devcluster'), 'bin');
const present = kubeconfig !== '' && existsSync(kubeconfig);
const HOW =
  'start it with: sudo scripts/devcluster/up.sh, then DRAINLAB_DEVCLUSTER_KUBECONFIG=/var/lib/drainlab-devcluster/kubeconfig';

let out = '';

/** `drainlab experiment` on the development cluster through --context, the load sent from this machine. */
function onDevcluster(args: string[], timeoutMs: number, env: NodeJS.ProcessEnv = {}) {
  return runCli(
    [
      'experiment',
      '--platform',
      'kind',
      '--context',
      'drainlab-devcluster',
      '--i-understand-this-is-not-a-harness-cluster',
      '--load',
      'builtin',
      ...args,
    ],
    { timeoutMs, env: { KUBECONFIG: kubeconfig, PATH: `${bin}${path.delimiter}${process.env.PATH}`, ...env } },
  );
}
afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

describe.runIf(present || process.env.DRAINLAB_REQUIRE_DEVCLUSTER === '1')(
  'on the development cluster (a real kubelet, kube-proxy and controllers)',
  () => {
    it(
      'runs baseline and prestop-drain under a rolling update: baseline loses requests, prestop-drain none',
      { timeout: 600_000 },
      async () => {
        expect(present, `the development cluster is not running (${HOW})`).toBe(true);
        out = await mkdtemp(path.join(os.tmpdir(), 'drainlab-devcluster-e2e-'));
        const run = await onDevcluster(['--quick', '--out', path.join(out, 'run')], 540_000, {
          DRAINLAB_WORKLOAD_IMAGE: 'drainlab/workload:devcluster',
        });
        expect(run.code, run.stderr.slice(-3000)).toBe(0);
        const results = JSON.parse(await readFile(path.join(out, 'run', 'results.json'), 'utf8')) as ResultsFile;
        expect(results.status).toBe('complete');
        expect(results.platform.emulated).toBe(false);
        expect(results.platform.versions).toMatchObject({
          context: 'drainlab-devcluster',
          kubeProxyMode: 'iptables',
          nodes: '1',
          containerRuntime: expect.stringMatching(/^containerd:\/\//),
          kubernetes: expect.stringMatching(/^v1\.\d+\.\d+$/),
        });
        const cell = (variant: string) => results.cells.find((c) => c.variant === variant)!;
        // Three old pods are replaced with no drain and no preStop while 100 req/s arrive: some requests are lost.
        expect(cell('baseline').requests.failed).toBeGreaterThan(0);
        expect(cell('prestop-drain').requests.failed).toBe(0);
        for (const c of results.cells) {
          expect(c.requests.total).toBeGreaterThan(500);
          // The app's own log lines came out through the API (pods/log): each terminated pod logged its SIGTERM.
          const terminated = c.pods.filter((p) => p.terminatingMs !== null);
          expect(terminated.length).toBeGreaterThanOrEqual(3);
          for (const pod of terminated) expect(pod.appSigtermMs, `${c.id} ${pod.name}`).not.toBeNull();
          const events = (await readFile(path.join(out, 'run', 'cells', c.id, 'events.ndjson'), 'utf8'))
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as LifecycleEvent);
          expect(events.some((e) => e.kind === 'rollout-complete')).toBe(true);
          // kube-proxy runs on this host: the moment its rules stop sending new connections to each old pod is read.
          const removed = new Set(events.flatMap((e) => (e.kind === 'routing-updated' ? e.removed : [])));
          for (const pod of terminated) expect(removed, `${c.id}: routing of ${pod.name}`).toContain(pod.name);
          for (const p of c.propagation) expect(p.routingRemovedMs, `${c.id} ${p.pod}`).not.toBeNull();
          expect(events.filter((e) => e.kind === 'endpoint-removed').length).toBeGreaterThanOrEqual(3);
        }
        // Every namespace the run made is gone.
        const left = execFileSync(
          path.join(bin, 'kubectl'),
          [
            '--kubeconfig',
            kubeconfig,
            'get',
            'namespaces',
            '-l',
            'app.kubernetes.io/managed-by=drainlab',
            '-o',
            'name',
          ],
          { encoding: 'utf8' },
        );
        expect(left.trim()).toBe('');
      },
    );

    it(
      'measures your own Deployment and Service (--app-manifest): as written it loses requests, the preStop removes the refusals',
      { timeout: 300_000 },
      async () => {
        expect(present, `the development cluster is not running (${HOW})`).toBe(true);
        out ||= await mkdtemp(path.join(os.tmpdir(), 'drainlab-devcluster-e2e-'));
        const dir = path.join(out, 'manifest');
        // No DRAINLAB_WORKLOAD_IMAGE: the manifest's own image is deployed as written.
        const run = await onDevcluster(
          [
            '--app-manifest',
            'examples/apps/manifest/shop.yaml',
            '--app-request',
            'POST /work?workMs=50',
            '--scenarios',
            'rolling-update',
            '--out',
            dir,
          ],
          280_000,
        );
        expect(run.code, run.stderr.slice(-3000)).toBe(0);
        const results = JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8')) as ResultsFile;
        expect(results.appManifest).toMatchObject({
          deployment: 'shop',
          container: 'shop',
          service: 'shop',
          servicePort: 80,
          request: { method: 'POST', path: '/work?workMs=50' },
        });
        expect(results.variants).toEqual(['app-as-is', 'app-prestop']);
        const cell = (variant: string) => results.cells.find((c) => c.variant === variant)!;
        for (const c of results.cells) {
          expect(c.status).toBe('complete');
          expect(c.requests.total).toBeGreaterThan(500);
        }
        // The app exits at once on SIGTERM (143): as written, new connections are refused while routing catches up.
        expect(cell('app-as-is').requests.failed).toBeGreaterThan(0);
        expect(cell('app-prestop').timeline!.mechanisms['refused-before-routing']).toBe(0);
        const summary = await readFile(path.join(dir, 'summary.md'), 'utf8');
        expect(summary).toContain('Your app: Deployment `shop` (examples/apps/manifest/shop.yaml), container `shop`');
        expect(summary).toMatch(/Its 3 stopped pod\(s\) exited with 143 ×3/);
      },
    );

    it(
      'measures your image (--app-image): drainlab writes its Deployment and Service, the patch names them',
      { timeout: 300_000 },
      async () => {
        expect(present, `the development cluster is not running (${HOW})`).toBe(true);
        out ||= await mkdtemp(path.join(os.tmpdir(), 'drainlab-devcluster-e2e-'));
        const dir = path.join(out, 'image');
        const run = await onDevcluster(
          [
            '--app-image',
            'drainlab/workload:devcluster',
            '--app-port',
            '8080',
            '--app-ready',
            '/readyz',
            '--app-env',
            'SHUTDOWN_MODE=exit',
            '--app-request',
            'POST /work?workMs=50',
            '--scenarios',
            'rolling-update',
            '--out',
            dir,
          ],
          280_000,
        );
        expect(run.code, run.stderr.slice(-3000)).toBe(0);
        const results = JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8')) as ResultsFile;
        expect(results.appManifest).toMatchObject({
          source: 'image drainlab/workload:devcluster',
          deployment: 'web',
          container: 'app',
        });
        const cell = (variant: string) => results.cells.find((c) => c.variant === variant)!;
        expect(cell('app-as-is').requests.failed).toBeGreaterThan(0);
        expect(cell('app-prestop').timeline!.mechanisms['refused-before-routing']).toBe(0);
      },
    );
  },
);
