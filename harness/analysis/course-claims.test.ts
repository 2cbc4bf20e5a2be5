import { describe, expect, it } from 'vitest';
import type { EventBody, LifecycleEvent } from '../model/events.ts';
import type { CellResult, PodTimeline, ResultsFile } from '../model/results.ts';
import { makeResultsFixture } from '../report/test-fixtures.ts';
import { cellStrategy, checkCourseClaims, resolveStrategyValue, type CourseClaim } from './course-claims.ts';
import { inferUnreported } from './moments.ts';
import { emptyTimeline } from './pod-timelines.ts';

const claim = (results: ResultsFile, n: number): CourseClaim =>
  checkCourseClaims(results).find((c) => c.number === n) ?? expect.fail(`claim ${n} missing`);

const at = (t: number, body: EventBody): LifecycleEvent => ({ ...body, t, source: 'kubelet' });

/** A cell of the fixture run with other pods and events: for claims whose evidence the fixture does not hold. */
function cellWith(
  base: CellResult,
  id: string,
  variant: string,
  pods: Partial<PodTimeline>[],
  events: LifecycleEvent[],
): CellResult {
  return {
    ...structuredClone(base),
    id,
    variant,
    pods: pods.map((p, i) => ({ ...emptyTimeline(`${id}-pod-${i}`), ...p })),
    events,
  };
}

/** One old pod terminating at 1000 ms with a 30 s grace period, its timeline and its terminating event. */
function terminated(id: string, fields: Partial<PodTimeline>, extra: EventBody[] = []) {
  const name = `${id}-pod-0`;
  const pod = { name, terminatingMs: 1000, ...fields };
  const events = [
    at(1000, { kind: 'pod-terminating', pod: name, gracePeriodSeconds: 30 }),
    ...extra.map((e) => at(2000, 'pod' in e ? { ...e, pod: name } : e)),
  ];
  return { pod, events };
}

describe('checkCourseClaims on the fixture run (baseline and prestop-drain under a rolling update)', () => {
  const results = makeResultsFixture();
  const claims = checkCourseClaims(results);

  it('returns the eight claims in the course order, each with a verdict', () => {
    expect(claims.map((c) => c.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const c of claims) expect(c.claim.ja.length).toBeGreaterThan(10);
  });

  it('claim 1 holds: baseline pods got SIGTERM before routing stopped, and the evidence links to one', () => {
    const c = claim(results, 1);
    expect(c.verdict).toBe('holds');
    expect(c.evidence.some((e) => /SIGTERM arrived before routing stopped in 6 of 6 pods/.test(e.en))).toBe(true);
    const link = c.evidence.find((e) => e.link?.pod)?.link;
    expect(results.cells.some((cell) => cell.id === link?.cellId && cell.pods.some((p) => p.name === link?.pod))).toBe(
      true,
    );
  });

  it('claim 2 shows the measured medians against the course numbers, with a nuance on the emulator', () => {
    const c = claim(results, 2);
    expect(c.verdict).toBe('nuance');
    // Fixture: SIGTERM and endpoint not ready 100 ms after Terminating.
    expect(c.evidence[0]!.en).toMatch(/^SIGTERM: course 0\.1 s, measured 0\.10 s/);
    expect(c.evidence[1]!.en).toMatch(/course 0\.2 s, measured 0\.10 s/);
    expect(c.evidence.some((e) => e.en.includes('emulator'))).toBe(true);
  });

  it('claim 2 holds on a real cluster when the order and the sub-second-to-seconds range hold', () => {
    expect(claim({ ...results, platform: { name: 'kind', emulated: false, versions: {} } }, 2).verdict).toBe('holds');
  });

  it('claim 3 holds: SIGTERM after routing for every hooked pod, and prestop-drain lost nothing', () => {
    const c = claim(results, 3);
    expect(c.verdict).toBe('holds');
    expect(c.evidence.some((e) => /^prestop-drain .*: 0 of \d+ requests failed/.test(e.en))).toBe(true);
  });

  it('claim 3 does not hold when the preStop-and-drain variant lost a request', () => {
    const bad = structuredClone(results);
    const cell = bad.cells.find((c) => c.variant === 'prestop-drain')!;
    cell.requests.failed = 2;
    expect(claim(bad, 3).verdict).toBe('does-not-hold');
  });

  it('claim 3 does not hold when a completed preStop still left SIGTERM before routing stopped', () => {
    const bad = structuredClone(results);
    const pod = bad.cells.find((c) => c.variant === 'prestop-drain')!.pods.find((p) => p.preStopOutcome)!;
    pod.routingRemovedMs = pod.sigtermMs! + 500;
    expect(claim(bad, 3).verdict).toBe('does-not-hold');
  });

  it('claims 4, 5, 7 and 8 say what would measure them when the run has no such variant or scenario', () => {
    expect(claim(results, 4).measureWith?.flags).toContain('prestop-10s');
    expect(claim(results, 4).measureWith?.flags).toContain('prestop-exceeds-grace');
    expect(claim(results, 5)).toMatchObject({
      verdict: 'not-measured',
      measureWith: { flags: '--variants ignore-sigterm' },
    });
    // The fixture's rollout is a template patch, not `rollout restart`: no rolling update as the scenarios start it.
    expect(claim(results, 7).verdict).toBe('not-measured');
    expect(claim(results, 8)).toMatchObject({ verdict: 'not-measured' });
    expect(claim(results, 8).measureWith?.flags).toContain('rolling-update-wide');
  });

  it('claim 6 holds: every draining pod finished and exited 0, with no reset on exit', () => {
    const c = claim(results, 6);
    expect(c.verdict).toBe('holds');
    expect(c.evidence[0]!.en).toMatch(/^6 pod\(s\) started a drain .* 6 finished it .* 6 exited 0\.$/);
  });
});

describe('on a real cluster, where the kubelet reports no preStop hook and no SIGKILL', () => {
  /** The fixture as a real cluster reports it: SIGTERM only from the app's log, no hook events, no SIGKILL. */
  function asRealCluster(): ResultsFile {
    const results = makeResultsFixture();
    results.platform = { name: 'kind', emulated: false, versions: {} };
    for (const cell of results.cells) {
      for (const pod of cell.pods) {
        Object.assign(pod, { preStopStartMs: null, preStopEndMs: null, preStopOutcome: null, sigtermMs: null });
      }
    }
    return results;
  }

  it('takes a declared hook as running from Terminating until the app logged SIGTERM', () => {
    const c = claim(asRealCluster(), 3);
    expect(c.verdict).toBe('holds');
    expect(c.evidence[0]!.en).toMatch(
      /^With a completed preStop hook, SIGTERM came after routing had stopped in 6 of 6/,
    );
  });

  it('takes an exit with 137 as the SIGKILL, and leaves measured times alone', () => {
    const ref = {
      cell: makeResultsFixture().cells[0]!,
      pod: { ...emptyTimeline('p'), terminatingMs: 1000, appSigtermMs: 1100, exitedMs: 31_200, exitCode: 137 },
    };
    const inferred = inferUnreported(ref, true).pod;
    expect(inferred).toMatchObject({
      preStopStartMs: 1000,
      preStopEndMs: 1100,
      preStopOutcome: 'completed',
      sigkillMs: 31_200,
    });
    expect(ref.pod.sigkillMs).toBeNull();
    // A cut hook: its FailedPreStopHook Event came at 32.9 s, SIGTERM (the cut) at 31 s.
    const abandoned = {
      ...ref.pod,
      appSigtermMs: 31_000,
      preStopOutcome: 'abandoned' as const,
      preStopEndMs: 32_900,
      sigkillMs: 33_000,
    };
    expect(inferUnreported({ ...ref, pod: abandoned }, true).pod).toMatchObject({
      preStopStartMs: 1000,
      preStopEndMs: 31_000,
      preStopOutcome: 'abandoned',
      sigkillMs: 33_000,
    });
    expect(inferUnreported({ ...ref, pod: { ...ref.pod, exitCode: 0 } }, false).pod).toMatchObject({
      preStopStartMs: null,
      sigkillMs: null,
    });
  });
});

describe('claim 6: draining', () => {
  it('holds with a nuance when a request was reset in a cell whose pods all drained, and says which requests those are', () => {
    const results = makeResultsFixture();
    results.cells.find((c) => c.variant === 'prestop-drain')!.timeline!.mechanisms['reset-on-exit'] = 1;
    const c = claim(results, 6);
    expect(c.verdict).toBe('nuance');
    expect(c.evidence[1]!.en).toBe(
      'Requests reset by a process exit in the 2 cell(s) where every pod drained and exited 0: 1.',
    );
    expect(c.evidence.at(-1)!.en).toMatch(/^Every drain there finished/);
  });

  it('does not hold when no drain finished', () => {
    const results = makeResultsFixture();
    for (const cell of results.cells) for (const pod of cell.pods) pod.drainDoneMs = null;
    expect(claim(results, 6).verdict).toBe('does-not-hold');
  });
});

describe('claim 4: grace-period accounting', () => {
  const base = makeResultsFixture();
  const cell0 = base.cells[0]!;
  const run = (cells: CellResult[]): ResultsFile => ({ ...base, cells });

  const tenSecondHook = (sigkillMs: number) =>
    terminated('p10', {
      preStopStartMs: 1100,
      preStopEndMs: 11_100,
      preStopOutcome: 'completed',
      sigtermMs: 11_100,
      sigkillMs,
      exitedMs: sigkillMs + 5,
      exitCode: 137,
    });
  const outlived = (sigkillMs: number | null) =>
    terminated('p40', {
      preStopStartMs: 1100,
      preStopEndMs: 31_000,
      preStopOutcome: 'abandoned',
      sigtermMs: 31_000,
      sigkillMs,
      exitedMs: (sigkillMs ?? 31_500) + 5,
      exitCode: sigkillMs === null ? 0 : 137,
    });

  it('holds when the 10 s hook leaves 20 s and the outlived hook is cut, then SIGKILL 2 s after SIGTERM', () => {
    const a = tenSecondHook(31_000);
    const b = outlived(33_000);
    const c = claim(
      run([cellWith(cell0, 'a', 'prestop-10s', [a.pod], a.events), cellWith(cell0, 'b', 'x', [b.pod], b.events)]),
      4,
    );
    expect(c.verdict).toBe('holds');
    expect(c.evidence[0]!.en).toContain('SIGTERM at 10.10 s, SIGKILL at 30.00 s');
    expect(c.evidence[0]!.en).toContain('the app had 19.90 s of the 30.00 s grace period');
    expect(c.evidence[1]!.en).toMatch(/cut at 30\.00 s, SIGTERM followed at 30\.00 s and SIGKILL 2\.00 s later/);
    expect(c.measureWith).toBeUndefined();
  });

  it('does not hold when the kill comes far from the grace period end', () => {
    const a = tenSecondHook(41_000);
    expect(claim(run([cellWith(cell0, 'a', 'prestop-10s', [a.pod], a.events)]), 4).verdict).toBe('does-not-hold');
  });

  it('does not hold when an outlived hook is never followed by SIGKILL', () => {
    const b = outlived(null);
    expect(claim(run([cellWith(cell0, 'b', 'x', [b.pod], b.events)]), 4).verdict).toBe('does-not-hold');
  });
});

describe('claim 5: an app that ignores SIGTERM', () => {
  const base = makeResultsFixture();
  const cell0 = base.cells[0]!;
  const ignoring = (sigkillMs: number) =>
    terminated('ig', { sigtermMs: 1100, sigkillMs, exitedMs: sigkillMs + 3, exitCode: 137, exitSignal: 'SIGKILL' });

  it('holds when SIGKILL comes at the grace period end and requests were reset by it', () => {
    const a = ignoring(31_050);
    const cell = cellWith(cell0, 'ig', 'ignore-sigterm', [a.pod], a.events);
    cell.timeline!.mechanisms['killed-at-deadline'] = 3;
    const c = claim({ ...base, cells: [cell] }, 5);
    expect(c.verdict).toBe('holds');
    expect(c.evidence[0]!.en).toContain('SIGKILL came 30.05 s after Terminating');
    expect(c.evidence[1]!.en).toBe('Requests reset by the kill: 3 over 1 cell(s).');
  });

  it('holds with a nuance when nothing was in flight at the kill', () => {
    const a = ignoring(31_050);
    const cell = cellWith(cell0, 'ig', 'ignore-sigterm', [a.pod], a.events);
    cell.timeline!.mechanisms['killed-at-deadline'] = 0;
    expect(claim({ ...base, cells: [cell] }, 5).verdict).toBe('nuance');
  });

  it('does not count an app that drained and was killed during its cleanup', () => {
    const a = terminated('slow', { sigtermMs: 1100, sigkillMs: 31_000, drainDoneMs: 2000 }, [
      { kind: 'app-log', pod: '', msg: 'drain-start', detail: { inFlight: 2 } },
    ]);
    expect(claim({ ...base, cells: [cellWith(cell0, 's', 'slow', [a.pod], a.events)] }, 5).verdict).toBe(
      'not-measured',
    );
  });
});

describe('claims 7 and 8: the shape of a rolling update', () => {
  const base = makeResultsFixture();
  const cell0 = base.cells[0]!;
  const manifest = (surge: number | string, unavailable: number | string) =>
    `apiVersion: apps/v1\nkind: Deployment\nspec:\n  strategy:\n    rollingUpdate:\n      maxSurge: ${surge}\n      maxUnavailable: ${unavailable}\n`;
  const ep = (t: number, pod: string, ready: boolean) =>
    at(t, { kind: 'endpoint-updated', pod, ready, serving: ready, terminating: !ready });

  /** Three old pods a, b, c replaced; `overlap` keeps each old pod terminating until the last one started to. */
  function rollout(id: string, variant: string, opts: { overlap: boolean; wide?: boolean }): CellResult {
    const events: LifecycleEvent[] = [
      ep(10, 'a', true),
      ep(11, 'b', true),
      ep(12, 'c', true),
      at(1000, { kind: 'scenario-start', scenario: 'r' }),
      ...(opts.wide
        ? [at(1000, { kind: 'scenario-action', action: 'set rolling update strategy (maxSurge 0, maxUnavailable 2)' })]
        : []),
      at(1001, { kind: 'scenario-action', action: 'rollout restart (drainlab/restarted-at=now)' }),
    ];
    const pods: Partial<PodTimeline>[] = [];
    const starts = opts.wide ? [1100, 1100, 2100] : [1100, 2100, 3100];
    ['a', 'b', 'c'].forEach((name, i) => {
      const t = starts[i]!;
      events.push(ep(t + 50, name, false));
      pods.push({ name, generation: 'old', terminatingMs: t, exitedMs: opts.overlap ? 9000 + i : t + 200 });
    });
    ['d', 'e', 'f'].forEach((name, i) => {
      events.push(ep(opts.wide ? 1900 + (i === 2 ? 1000 : 0) : starts[i]! - 50, name, true));
      pods.push({ name, generation: 'new' });
    });
    events.push(at(9500, { kind: 'rollout-complete' }), at(9600, { kind: 'settled' }));
    events.sort((x, y) => x.t - y.t);
    const cell = cellWith(cell0, id, variant, pods, events);
    return { ...cell, disruptionMs: 1000, pods: pods.map((p) => ({ ...emptyTimeline(p.name!), ...p })) };
  }

  const info = (yaml: string) => ({ ...base.variantInfo['baseline']!, manifestYaml: yaml });
  const run = (cells: CellResult[]): ResultsFile => ({
    ...base,
    cells,
    variantInfo: { quick: info(manifest(1, 0)), slow: info(manifest(1, 0)) },
  });

  it('claim 7 holds when each old pod finished before the next started terminating', () => {
    const c = claim(run([rollout('q', 'quick', { overlap: false })]), 7);
    expect(c.verdict).toBe('holds');
    expect(c.evidence[0]!.en).toBe('rolling-update (1 per step): at most 1 old pod(s) terminating at once — quick.');
  });

  it('claim 7 does not hold when old pods overlap, and links to the moment the third started terminating', () => {
    const c = claim(run([rollout('q', 'quick', { overlap: false }), rollout('s', 'slow', { overlap: true })]), 7);
    expect(c.verdict).toBe('does-not-hold');
    const slow = c.evidence.find((e) => e.en.endsWith('— slow.'))!;
    expect(slow.en).toContain('at most 3 old pod(s)');
    expect(slow.link).toEqual({ cellId: 's', atMs: 3100 });
  });

  it('claim 7 allows two at once per step with maxSurge 0 and maxUnavailable 2', () => {
    expect(claim(run([rollout('w', 'quick', { overlap: false, wide: true })]), 7).verdict).toBe('holds');
  });

  it('claim 8 holds when the wider strategy has fewer ready endpoints at its low point', () => {
    const c = claim(
      run([rollout('q', 'quick', { overlap: false }), rollout('w', 'quick', { overlap: false, wide: true })]),
      8,
    );
    expect(c.verdict).toBe('holds');
    expect(c.evidence.map((e) => e.en)).toEqual([
      expect.stringMatching(
        /^maxUnavailable 0 \(maxSurge 1, 3 replicas\): fewest ready endpoints during the rollout 3 /,
      ),
      expect.stringMatching(
        /^maxUnavailable 2 \(maxSurge 0, 3 replicas\): fewest ready endpoints during the rollout 1 /,
      ),
    ]);
  });

  it('claim 8 holds with a nuance when pods lost readiness below what the strategy allows', () => {
    const starved = rollout('q2', 'quick', { overlap: false });
    starved.events.push(ep(1070, 'b', false), ep(1070, 'c', false), ep(1080, 'b', true), ep(1080, 'c', true));
    starved.events.sort((x, y) => x.t - y.t);
    const c = claim(
      run([
        rollout('q', 'quick', { overlap: false }),
        starved,
        rollout('q3', 'quick', { overlap: false }),
        rollout('w', 'quick', { overlap: false, wide: true }),
      ]),
      8,
    );
    expect(c.verdict).toBe('nuance');
    expect(c.evidence[0]!.en).toContain('fewest ready endpoints during the rollout 3 (median; 2–3)');
    expect(c.evidence.at(-1)!.en).toMatch(/^1 cell\(s\) went below what the strategy allows/);
  });

  it('claim 8 is not measured with one strategy only, and says which scenario would', () => {
    const c = claim(run([rollout('q', 'quick', { overlap: false })]), 8);
    expect(c.verdict).toBe('not-measured');
    expect(c.evidence).toHaveLength(1);
  });

  it('reads the strategy from the scenario action first, then the manifest, with Kubernetes defaults last', () => {
    const r = run([]);
    expect(cellStrategy(rollout('w', 'quick', { overlap: false, wide: true }), r)).toEqual({
      maxSurge: 0,
      maxUnavailable: 2,
    });
    expect(cellStrategy(rollout('q', 'quick', { overlap: false }), r)).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    expect(cellStrategy({ ...rollout('q', 'unknown', { overlap: false }) }, r)).toEqual({
      maxSurge: '25%',
      maxUnavailable: '25%',
    });
  });

  it('resolves percentages like the Deployment controller: maxSurge rounds up, maxUnavailable down', () => {
    expect(resolveStrategyValue('25%', 3, true)).toBe(1);
    expect(resolveStrategyValue('25%', 3, false)).toBe(0);
    expect(resolveStrategyValue('100%', 3, false)).toBe(3);
    expect(resolveStrategyValue('2', 3, false)).toBe(2);
    expect(resolveStrategyValue('x', 3, false)).toBeNull();
  });
});
