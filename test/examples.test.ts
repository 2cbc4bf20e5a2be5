import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '../harness/model/events.ts';
import type { CellResult, ResultsFile } from '../harness/model/results.ts';
import { ROOT, runCli } from './run-cli.ts';

// Every file in examples/ runs for real through the CLI, as its header comment says, made small with flags (which
// override the file): --time-scale 0.25, a short --duration and one or two variants. The checks look in results.json
// for what the file asked for, so an example that silently stopped doing what it says fails here.

const dir = mkdtempSync(path.join(os.tmpdir(), 'drainlab-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SMALL = ['--time-scale', '0.25', '--duration', '2'];

async function runExample(name: string, extra: string[]): Promise<ResultsFile> {
  const out = path.join(dir, name);
  const run = await runCli(['experiment', '--config', `examples/${name}.yaml`, ...SMALL, ...extra, '--out', out], {
    timeoutMs: 60_000,
    env: { DRAINLAB_STATE_DIR: path.join(dir, `state-${name}`) },
  });
  expect(run.stderr).not.toMatch(/error:/);
  expect(run.code, run.stderr).toBe(0);
  const results = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as ResultsFile;
  expect(results.status).toBe('complete');
  for (const cell of results.cells) expect(cell.status, `${cell.id}: ${cell.error ?? ''}`).toBe('complete');
  return results;
}

const cell = (results: ResultsFile, scenario: string, variant?: string): CellResult => {
  const found = results.cells.find((c) => c.scenario === scenario && (variant === undefined || c.variant === variant));
  if (!found)
    throw new Error(`no cell ${variant ?? '*'} x ${scenario} in ${results.cells.map((c) => c.id).join(', ')}`);
  return found;
};
const after = (c: CellResult) => {
  const start = c.events.findIndex((e) => e.kind === 'scenario-start');
  return { before: c.events.slice(0, start), after: c.events.slice(start) };
};
const ofKind = <K extends LifecycleEvent['kind']>(events: LifecycleEvent[], kind: K) =>
  events.filter((e): e is Extract<LifecycleEvent, { kind: K }> => e.kind === kind);
/** Pods that exist and are not terminating after every event has happened. */
const liveAtEnd = (events: LifecycleEvent[]) =>
  ofKind(events, 'pod-created').length - ofKind(events, 'pod-terminating').length;

describe('examples/ run as their comments say', { timeout: 90_000 }, () => {
  it('custom-variant-knobs: the knobs reach the pods (native sleep 2 s; exec sleep 3 s with a 10 s grace period)', async () => {
    const results = await runExample('custom-variant-knobs', [
      '--variants',
      'short-prestop,exec-prestop',
      '--scenarios',
      'pod-delete',
      '--parallel',
      '2',
    ]);
    expect(results.variants).toEqual(['short-prestop', 'exec-prestop']);
    expect(results.variantInfo['short-prestop']!.summary.en).toBe('preStop sleep 2 s, then a graceful drain');
    for (const [variant, handler, seconds, grace] of [
      ['short-prestop', 'sleep', 2, 30],
      ['exec-prestop', 'exec', 3, 10],
    ] as const) {
      const events = after(cell(results, 'pod-delete', variant)).after;
      const [terminating] = ofKind(events, 'pod-terminating');
      expect(terminating?.gracePeriodSeconds, variant).toBe(grace);
      const start = ofKind(events, 'prestop-start').find((e) => e.pod === terminating?.pod);
      const end = ofKind(events, 'prestop-end').find((e) => e.pod === terminating?.pod);
      expect(start?.handler, variant).toBe(handler);
      // The hook lasts its seconds at --time-scale 0.25 (a little less is scheduling noise, never half).
      expect(end!.t - start!.t, variant).toBeGreaterThan(seconds * 1000 * 0.25 * 0.9);
    }
  });

  it('custom-variant-objects: the written-out Deployment runs (pods ready 2 s after they listen)', async () => {
    const results = await runExample('custom-variant-objects', ['--scenarios', 'rolling-update']);
    expect(results.variants).toEqual(['slow-start']);
    expect(results.variantInfo['slow-start']!.expectedSafe).toBe(true);
    expect(results.variantInfo['slow-start']!.manifestYaml).toContain('READY_DELAY_MS');
    const c = cell(results, 'rolling-update');
    const listening = c.events.filter((e) => e.kind === 'app-log' && e.msg === 'listening');
    const ready = ofKind(c.events, 'pod-ready');
    expect(ready.length).toBeGreaterThanOrEqual(6); // 3 pods, then 3 new ones in the rollout
    for (const r of ready) {
      const listened = listening.find((e) => 'pod' in e && e.pod === r.pod)!;
      expect(r.t - listened.t, r.pod).toBeGreaterThan(2000 * 0.25 * 0.9);
    }
  });

  it('custom-variant-objects: --dry-run prints the written-out manifests', async () => {
    const run = await runCli(['experiment', '--config', 'examples/custom-variant-objects.yaml', '--dry-run']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('# --- manifests: slow-start ---');
    expect(run.stdout).toMatch(/name: READY_DELAY_MS\n\s+value: "2000"/);
  });

  it('custom-load: every load field of the file is the run’s, except what a flag overrides', async () => {
    const results = await runExample('custom-load', ['--variants', 'baseline', '--repeat', '1']);
    expect(results.loadProfile).toEqual({
      rate: 150,
      durationSeconds: 2, // --duration
      warmupSeconds: 2,
      cooldownSeconds: 1,
      keepAlive: false,
      method: 'GET',
      timeoutMs: 1000,
      workMs: { min: 10, max: 30 },
      maxVUs: 50,
    });
    expect(results.seed).toBe(7);
    expect(results.repetitions).toBe(1); // --repeat
    const c = cell(results, 'rolling-update');
    expect(c.load.vus).toBeLessThanOrEqual(50);
    // Without keep-alive no connection outlives its request, so none can be pinned to a terminating pod.
    expect(c.timeline!.mechanisms['pinned-keepalive']).toBe(0);
    expect(c.requests.total).toBeGreaterThan(100);
  });

  it('custom-scenarios: each scenario of the file does what it defines', async () => {
    const results = await runExample('custom-scenarios', [
      '--variants',
      'baseline',
      '--scenarios',
      'careful-rollout,hurried-delete,scale-in',
      '--parallel',
      '3',
    ]);
    expect(results.scenarioInfo['hurried-delete']!.summary.en).toBe(
      'Delete 2 of 3 pods at once with a 2 s grace period',
    );
    expect(results.scenarioInfo['careful-rollout']!.summary.en).toContain('maxSurge 0, maxUnavailable 1');

    // careful-rollout: 4 replicas; maxSurge 0 replaces pods one by one, each new pod only after an old one went.
    const rollout = after(cell(results, 'careful-rollout'));
    expect(ofKind(rollout.before, 'pod-created')).toHaveLength(4);
    const createdInRollout = ofKind(rollout.after, 'pod-created');
    expect(createdInRollout).toHaveLength(4);
    expect(ofKind(rollout.after, 'pod-terminating')).toHaveLength(4);
    const firstNew = rollout.after.indexOf(createdInRollout[0]!);
    const firstGone = rollout.after.findIndex((e) => e.kind === 'pod-terminating');
    expect(firstGone).toBeLessThan(firstNew); // with the catalog's maxSurge 1 the new pod would come first
    let live = 4;
    for (const e of rollout.after) {
      live += e.kind === 'pod-created' ? 1 : e.kind === 'pod-terminating' ? -1 : 0;
      expect(live).toBeLessThanOrEqual(4);
    }
    expect(liveAtEnd(rollout.before.concat(rollout.after))).toBe(4);

    // hurried-delete: 2 of 3 pods deleted by the scenario at once with the 2 s grace override; both replaced.
    const deleted = after(cell(results, 'hurried-delete'));
    expect(ofKind(deleted.before, 'pod-created')).toHaveLength(3);
    const byApi = ofKind(deleted.after, 'pod-terminating');
    expect(byApi.map((e) => [e.source, e.gracePeriodSeconds])).toEqual([
      ['api', 2],
      ['api', 2],
    ]);
    expect(ofKind(deleted.after, 'scenario-action').map((a) => a.target)).toEqual(byApi.map((e) => e.pod));
    expect(ofKind(deleted.after, 'pod-created')).toHaveLength(2);
    expect(liveAtEnd(deleted.before.concat(deleted.after))).toBe(3);

    // scale-in: from 4 to 2, two pods terminate and none is created.
    const scaled = after(cell(results, 'scale-in'));
    expect(ofKind(scaled.before, 'pod-created')).toHaveLength(4);
    expect(ofKind(scaled.after, 'pod-terminating')).toHaveLength(2);
    expect(ofKind(scaled.after, 'pod-created')).toHaveLength(0);
    expect(liveAtEnd(scaled.before.concat(scaled.after))).toBe(2);
  });
});

describe('an example edited wrongly', () => {
  it('is refused before anything starts: exit 2, one line per problem, saying what was expected and found', async () => {
    const text = readFileSync(path.join(ROOT, 'examples/custom-scenarios.yaml'), 'utf8')
      .replace('name: careful-rollout', 'name: rolling-update')
      .replace('count: 2', 'count: 5');
    const file = path.join(dir, 'broken-scenarios.yaml');
    writeFileSync(file, text);
    const out = path.join(dir, 'broken-out');
    const run = await runCli(['experiment', '--config', file, '--out', out], {
      env: { DRAINLAB_STATE_DIR: path.join(dir, 'state-broken') },
    });
    expect(run.code).toBe(2);
    const problems = run.stderr.split('\n').filter((l) => l.startsWith('error: '));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /scenarios\[1\]\.name: "rolling-update" is a catalog scenario; give the new scenario another name$/,
    );
    expect(problems[1]).toMatch(/scenarios\[2\]\.count: must be at most replicas \(3\), got 5; only 3 pods exist$/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('the examples are where the README says', () => {
  it('each is listed in the examples folder with its run command in its header', () => {
    for (const name of ['custom-variant-knobs', 'custom-variant-objects', 'custom-load', 'custom-scenarios']) {
      const text = readFileSync(path.join(ROOT, 'examples', `${name}.yaml`), 'utf8');
      expect(text, name).toContain(`npm run experiment -- --config examples/${name}.yaml`);
    }
  });
});
