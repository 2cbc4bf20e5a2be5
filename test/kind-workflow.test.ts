import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KIND_VERSION } from '../harness/platform/kind/kind-defaults.ts';

// actionlint is not installed and cannot be fetched here, so the workflow is checked against the essentials of the
// GitHub Actions workflow schema: triggers, jobs with runs-on, steps with exactly one of uses/run, pinned actions.
const FILE = path.resolve(import.meta.dirname, '../.github/workflows/nightly.yml');
type Step = { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown> };
type Workflow = {
  name?: string;
  on?: Record<string, unknown>;
  env?: Record<string, string>;
  jobs?: Record<string, { 'runs-on'?: string; 'timeout-minutes'?: number; steps?: Step[] }>;
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
  it('has the schema essentials', () => {
    expect(Object.keys(workflow.on ?? {}).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect((workflow.on?.schedule as { cron: string }[])[0]?.cron).toMatch(/^(\S+\s+){4}\S+$/);
    for (const job of Object.values(workflow.jobs ?? {})) {
      expect(job['runs-on']).toBe('ubuntu-latest');
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
    expect(String(node?.with?.['node-version'])).toBe('20');
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
    const last = steps.at(-1);
    expect(last?.if).toBe('always()');
    expect(last?.run).toBe('kind delete cluster --name drainlab');
  });
});
