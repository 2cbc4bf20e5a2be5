import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { validateWorkflow } from '@action-validator/core';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KIND_VERSION } from '../harness/platform/kind/kind-defaults.ts';

// The workflow is validated against SchemaStore's GitHub workflow schema (bundled in @action-validator/core, offline),
// with actionlint (built from its Go module by .ci/run) for expressions, contexts and the run: scripts (shellcheck),
// and checked for what this job needs: triggers, pinned actions, the gate, teardown.
const FILE = path.resolve(import.meta.dirname, '../.github/workflows/nightly.yml');
type Step = {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
};
type Job = {
  'runs-on'?: string;
  'timeout-minutes'?: number;
  needs?: string;
  if?: string;
  outputs?: Record<string, string>;
  permissions?: Record<string, string>;
  environment?: { name?: string };
  steps?: Step[];
};
type Workflow = {
  name?: string;
  on?: Record<string, unknown>;
  env?: Record<string, string>;
  permissions?: Record<string, string>;
  jobs?: Record<string, Job>;
};
const workflow = parse(readFileSync(FILE, 'utf8')) as Workflow;
const steps = Object.values(workflow.jobs ?? {}).flatMap((j) => j.steps ?? []);
const ALLOWED_STEP_KEYS = new Set([
  'id',
  'name',
  'uses',
  'run',
  'if',
  'with',
  'env',
  'shell',
  'working-directory',
  'continue-on-error',
  'timeout-minutes',
]);

describe('nightly workflow', () => {
  it('validates against the GitHub Actions workflow schema, which catches a misspelt key', () => {
    const source = readFileSync(FILE, 'utf8');
    expect(validateWorkflow(source).errors).toEqual([]);
    const broken = validateWorkflow(source.replace('timeout-minutes: 90', 'timeout_minutes: 90'));
    expect(JSON.stringify(broken.errors)).toContain("Additional property 'timeout_minutes' is not allowed");
  });

  // CI installs actionlint and shellcheck, so there a missing one fails; elsewhere the test says what to install.
  const actionlint = spawnSync('actionlint', ['-version'], { encoding: 'utf8' });
  const hasActionlint = actionlint.status === 0;
  if (!hasActionlint && process.env.CI !== 'true') {
    console.log(
      'skipped the actionlint test: actionlint is not on PATH ' +
        '(go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12, and apt-get install shellcheck)',
    );
  }
  it.skipIf(!hasActionlint && process.env.CI !== 'true')(
    'is clean under actionlint, which catches an expression and a shell mistake',
    { timeout: 30_000 },
    async () => {
      expect(hasActionlint, 'actionlint must be on PATH in CI').toBe(true);
      const lint = (file: string) =>
        spawnSync('actionlint', ['-color=false', '-format', '{{range $err := .}}{{$err.Kind}}\n{{end}}', file], {
          encoding: 'utf8',
        });
      const clean = lint(FILE);
      expect(clean.stdout + clean.stderr).toBe('');
      expect(clean.status).toBe(0);
      const dir = await mkdtemp(path.join(os.tmpdir(), 'drainlab-actionlint-'));
      try {
        const broken = path.join(dir, 'nightly.yml');
        const source = readFileSync(FILE, 'utf8')
          .replace("vars.DRAINLAB_PAGES == 'true'", "var.DRAINLAB_PAGES == 'true'")
          .replace('sudo install -m 0755 kind /usr/local/bin/kind', 'sudo install -m 0755 kind $KIND_DIR');
        await writeFile(broken, source);
        const found = lint(broken);
        expect(found.status).toBe(1);
        expect(found.stdout).toContain('expression');
        expect(found.stdout).toContain('shellcheck');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  it('has the schema essentials', () => {
    expect(Object.keys(workflow.on ?? {}).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect((workflow.on?.schedule as { cron: string }[])[0]?.cron).toMatch(/^(\S+\s+){4}\S+$/);
    for (const job of Object.values(workflow.jobs ?? {})) {
      // A pinned image: ubuntu-latest moves to a new Ubuntu (kernel, Docker 29, containerd image store) unannounced.
      expect(job['runs-on']).toBe('ubuntu-24.04');
      expect(job['timeout-minutes']).toBeGreaterThan(0);
      expect(job.steps?.length).toBeGreaterThan(0);
    }
    for (const step of steps) {
      expect(Object.keys(step).filter((k) => !ALLOWED_STEP_KEYS.has(k))).toEqual([]);
      expect(Number(step.uses !== undefined) + Number(step.run !== undefined)).toBe(1);
      if (step.uses) expect(step.uses).toMatch(/^[\w-]+\/[\w-]+@v\d+(\.\d+)*$|^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
    }
  });

  it('installs pinned kind and kubectl with checksums, runs the gate, publishes, and always deletes the cluster', () => {
    expect(workflow.env?.KIND_VERSION).toBe(KIND_VERSION);
    expect(workflow.env?.KUBECTL_VERSION).toMatch(/^v1\.\d+\.\d+$/);
    const runs = steps.map((s) => s.run ?? '').join('\n');
    expect(runs.match(/sha256sum --check/g)).toHaveLength(2);
    const node = steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(String(node?.with?.['node-version'])).toBe('24');
    expect(steps.some((s) => s.run === 'npm ci')).toBe(true);
    expect(runs).toContain('npm run experiment -- --platform kind --fail-on-loss --out reports/nightly');
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.if).toBe('always()');
    expect(upload?.with?.path).toBe('reports/nightly');
    const summary = steps.find((s) => s.run?.includes('GITHUB_STEP_SUMMARY'));
    expect(summary?.if).toBe('always()');
    expect(summary?.run).toContain('reports/nightly/summary.md');
    // kind load docker-image fails for pulled multi-platform images on Docker 29's containerd image store.
    const store = steps.findIndex((s) => s.run?.includes('"containerd-snapshotter"] = false'));
    expect(store).toBeGreaterThanOrEqual(0);
    expect(steps[store]?.run).toContain('sudo systemctl restart docker');
    expect(store).toBeLessThan(steps.findIndex((s) => s.run?.includes('npm run experiment')));
    const last = workflow.jobs?.kind?.steps?.at(-1);
    expect(last?.if).toBe('always()');
    expect(last?.run).toBe('kind delete cluster --name drainlab');
  });

  it('publishes the report on GitHub Pages only when asked to, also after a failed gate, with the least permissions', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    const kindSteps = workflow.jobs?.kind?.steps ?? [];
    const stage = kindSteps.find((s) => s.uses?.startsWith('actions/upload-pages-artifact@'));
    expect(stage?.id).toBe('pages');
    expect(stage?.if).toContain('always()');
    expect(stage?.if).toContain("vars.DRAINLAB_PAGES == 'true'");
    expect(stage?.if).toContain("hashFiles('reports/nightly/index.html') != ''");
    expect(stage?.with?.path).toBe('reports/nightly');
    // Staged before the cluster is deleted, which is the kind job's last step.
    expect(kindSteps.indexOf(stage!)).toBeLessThan(kindSteps.length - 1);
    expect(workflow.jobs?.kind?.outputs?.pages).toBe('${{ steps.pages.outcome }}');
    const pages = workflow.jobs?.pages;
    expect(pages?.needs).toBe('kind');
    expect(pages?.if).toBe("always() && needs.kind.outputs.pages == 'success'");
    expect(pages?.permissions).toEqual({ pages: 'write', 'id-token': 'write' });
    expect(pages?.environment?.name).toBe('github-pages');
    expect(pages?.steps?.map((s) => s.uses)).toEqual(['actions/deploy-pages@v5']);
    expect(pages?.steps?.[0]?.id).toBe('deploy');
  });
});

/** Runs one step's script as the runner does (bash -e -o pipefail), with stand-ins for sudo, systemctl and docker. */
async function runStep(
  step: Step,
  env: Record<string, string>,
  fake: { driver?: string; driverStatus?: string } = {},
): Promise<{ status: number | null; out: string; daemonJson: string | null; docker: string[] }> {
  expect(spawnSync('jq', ['--version']).status, 'the daemon.json step needs jq (apt-get install jq)').toBe(0);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'drainlab-nightly-step-'));
  try {
    const bin = path.join(dir, 'bin');
    const etc = path.join(dir, 'etc-docker');
    await mkdir(bin);
    const log = path.join(dir, 'docker.log');
    const stub = async (name: string, body: string) => {
      await writeFile(path.join(bin, name), `#!/bin/sh\n${body}\n`);
      await chmod(path.join(bin, name), 0o755);
    };
    await stub('sudo', 'exec "$@"');
    await stub('systemctl', 'exit 0');
    await stub(
      'docker',
      [
        `echo "$*" >> '${log}'`,
        'case "$*" in',
        `  *'{{.Driver}}'*) echo "$FAKE_DRIVER" ;;`,
        `  *'{{json .DriverStatus}}'*) echo "$FAKE_DRIVER_STATUS" ;;`,
        `  *login*) echo "stdin: $(cat)" >> '${log}' ;;`,
        'esac',
      ].join('\n'),
    );
    // The real /etc/docker is never touched: the script's paths are moved into the temporary folder.
    const script = (step.run ?? '').replaceAll('/etc/docker', etc);
    const run = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      encoding: 'utf8',
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        RUNNER_TEMP: dir,
        FAKE_DRIVER: fake.driver ?? '',
        FAKE_DRIVER_STATUS: fake.driverStatus ?? '',
        ...env,
      },
    });
    const read = (file: string) => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return null;
      }
    };
    return {
      status: run.status,
      out: run.stdout + run.stderr,
      daemonJson: read(path.join(etc, 'daemon.json')),
      docker: (read(log) ?? '').split('\n').filter(Boolean),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('nightly workflow steps, run with stand-ins for Docker', () => {
  const kindSteps = workflow.jobs?.kind?.steps ?? [];
  const store = kindSteps.find((s) => s.name === "Use Docker's classic image store (for kind load)")!;
  const login = kindSteps.find((s) => s.name === 'Log in to Docker Hub (when the secrets exist)')!;
  // What `docker info` reports for each store (moby/moby#46757: the containerd store names a snapshotter).
  const CLASSIC = { driver: 'overlay2', driverStatus: '[["Backing Filesystem","extfs"],["Supports d_type","true"]]' };
  const CONTAINERD = { driver: 'overlayfs', driverStatus: '[["driver-type","io.containerd.snapshotter.v1"]]' };

  it('runs every action at a current major (Node 24)', () => {
    expect(steps.flatMap((s) => (s.uses ? [s.uses] : [])).sort()).toEqual([
      'actions/checkout@v6',
      'actions/deploy-pages@v5',
      'actions/setup-node@v6',
      'actions/upload-artifact@v7',
      'actions/upload-pages-artifact@v5',
    ]);
  });

  it('turns the containerd store off and passes when Docker reports the classic store', async () => {
    expect(store.env?.DRAINLAB_REGISTRY_MIRROR).toBe('${{ vars.DRAINLAB_REGISTRY_MIRROR }}');
    const run = await runStep(store, { DRAINLAB_REGISTRY_MIRROR: '' }, CLASSIC);
    expect(run.status, run.out).toBe(0);
    expect(JSON.parse(run.daemonJson!)).toEqual({ features: { 'containerd-snapshotter': false } });
    expect(run.out).toContain('storage driver: overlay2');
  });

  it('fails with an error annotation when the containerd store is still on after the restart', async () => {
    const run = await runStep(store, { DRAINLAB_REGISTRY_MIRROR: '' }, CONTAINERD);
    expect(run.status).toBe(1);
    expect(run.out).toContain("::error title=Docker image store::expected Docker's classic image store");
    expect(run.out).toContain("found 'overlayfs'");
    // overlay2 in name only, with a snapshotter behind it, is still the containerd store.
    const named = await runStep(store, { DRAINLAB_REGISTRY_MIRROR: '' }, { ...CONTAINERD, driver: 'overlay2' });
    expect(named.status).toBe(1);
  });

  it('writes the registry mirror variable into daemon.json, and refuses one that is no URL', async () => {
    const run = await runStep(store, { DRAINLAB_REGISTRY_MIRROR: 'https://mirror.gcr.io' }, CLASSIC);
    expect(run.status, run.out).toBe(0);
    expect(JSON.parse(run.daemonJson!)).toEqual({
      features: { 'containerd-snapshotter': false },
      'registry-mirrors': ['https://mirror.gcr.io'],
    });
    const bad = await runStep(store, { DRAINLAB_REGISTRY_MIRROR: 'mirror.gcr.io' }, CLASSIC);
    expect(bad.status).toBe(1);
    expect(bad.out).toContain(
      "::error title=DRAINLAB_REGISTRY_MIRROR::expected a URL such as https://mirror.gcr.io, found 'mirror.gcr.io'",
    );
    expect(bad.daemonJson).toBeNull();
  });

  it('logs in to Docker Hub only when both secrets exist, with the token on stdin', async () => {
    expect(login.env).toEqual({
      DOCKERHUB_USERNAME: '${{ secrets.DOCKERHUB_USERNAME }}',
      DOCKERHUB_TOKEN: '${{ secrets.DOCKERHUB_TOKEN }}',
    });
    expect(kindSteps.indexOf(login)).toBeLessThan(kindSteps.findIndex((s) => s.run?.includes('npm run experiment')));
    const anonymous = await runStep(login, { DOCKERHUB_USERNAME: '', DOCKERHUB_TOKEN: '' });
    expect(anonymous.status).toBe(0);
    expect(anonymous.out).toContain('pulling from Docker Hub anonymously');
    expect(anonymous.docker).toEqual([]);
    const half = await runStep(login, { DOCKERHUB_USERNAME: 'drainlab', DOCKERHUB_TOKEN: '' });
    expect(half.docker).toEqual([]);
    const both = await runStep(login, { DOCKERHUB_USERNAME: 'drainlab', DOCKERHUB_TOKEN: 'dckr_pat_x' });
    expect(both.status, both.out).toBe(0);
    expect(both.docker).toEqual(['login --username drainlab --password-stdin', 'stdin: dckr_pat_x']);
  });
});
