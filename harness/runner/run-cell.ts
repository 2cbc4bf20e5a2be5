import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { analyzeCell } from '../analysis/analyze-cell.ts';
import { createClock, sleep } from '../core/clock.ts';
import type { LoadGenerator } from '../load/load-generator.ts';
import type { LifecycleEvent } from '../model/events.ts';
import type { LoadProfile } from '../model/load-profile.ts';
import type { CellResult, RunStatus } from '../model/results.ts';
import type { LoadSummary, RequestSample } from '../model/sample.ts';
import type { CellDeployment, Platform } from '../platform/platform.ts';
import { SamplesFileWriter } from '../report/samples-codec.ts';
import { type CellPhase, type CellPlan, type CellProgress, terminationSeconds } from './cell-plan.ts';

/** How long a load generator may take to start sending before the cell goes on without waiting. */
const LOAD_START_LIMIT_MS = 180_000;

/** What a cell needs from the run. */
export interface CellDeps {
  platform: Platform;
  loadGenerator: LoadGenerator;
  /** The run folder; the cell writes under cells/<id>/. */
  runDir: string;
  load: LoadProfile;
  timeScale: number;
  seed: number;
  /** Aborted on the first Ctrl-C: the cell stops, tears down and reports what it measured. */
  signal: AbortSignal;
  /** Called on every phase change and periodically with counts. */
  progress: (progress: CellProgress) => void;
}

/**
 * Runs one cell: deploy the variant, start load, warm up, disrupt, wait until the disruption settled, cool down,
 * stop load, tear down, and analyse. Samples and events are written to disk as they arrive.
 */
export async function runCell(plan: CellPlan, deps: CellDeps): Promise<CellResult> {
  const { load, timeScale, signal } = deps;
  const clock = createClock();
  const started = Date.now();
  const relDir = path.join('cells', plan.id);
  const dir = path.join(deps.runDir, relDir);
  await mkdir(dir, { recursive: true });
  const eventLog = createWriteStream(path.join(dir, 'events.ndjson'));
  const events: LifecycleEvent[] = [];
  const samples: RequestSample[] = [];
  const writer = new SamplesFileWriter(path.join(dir, 'samples.bin'));
  let failures = 0;
  let phase: CellPhase = 'deploying';
  const report = () => deps.progress({ id: plan.id, phase, requests: samples.length, failures });
  const enter = (next: CellPhase) => {
    phase = next;
    report();
  };
  const sink = (event: LifecycleEvent) => {
    events.push(event);
    eventLog.write(`${JSON.stringify(event)}\n`);
  };
  const ticker = setInterval(report, 500);

  let deployment: CellDeployment | undefined;
  let loadEndedMs: number | undefined;
  let loadRun: Promise<LoadSummary> | undefined;
  const stopLoad = new AbortController();
  let status: RunStatus = 'complete';
  let error: string | undefined;
  let summary: LoadSummary = { scheduled: 0, dropped: 0, started: 0, vus: 0, engine: deps.loadGenerator.name };
  const s = (seconds: number) => seconds * 1000 * timeScale;
  // Held up event loops mean a machine short of CPU (see CellResult.harnessDelayMs); each cell keeps its own histogram.
  const delay = monitorEventLoopDelay({ resolution: 10 });
  try {
    enter('deploying');
    deployment = await deps.platform.deploy({
      cellId: plan.id,
      variant: plan.variant,
      replicas: plan.scenario.initialReplicas,
      clock,
      events: sink,
      timeScale,
      signal,
      cellDir: dir,
    });
    const settleLimitMs = s(terminationSeconds(plan.variant) + 60) + 30_000;
    const loadStart = clock.now();
    sink({ kind: 'load-start', t: loadStart, source: 'harness' });
    delay.enable();
    let markStarted: () => void = () => undefined;
    const loadStarted = new Promise<void>((resolve) => (markStarted = resolve));
    loadRun = (deployment.loadGenerator ?? deps.loadGenerator).run({
      onStarted: () => markStarted(),
      target: deployment.target,
      profile: load,
      clock,
      onSample: (sample) => {
        samples.push(sample);
        writer.append(sample);
        if (sample.cause) failures++;
      },
      stop: stopLoad.signal,
      maxDurationMs: s(load.warmupSeconds + load.durationSeconds + load.cooldownSeconds) + settleLimitMs,
      seed: deps.seed,
      ...(deployment.refusals ? { refusals: deployment.refusals } : {}),
    });
    // Awaited in `finally`; this keeps an early failure from being an unhandled rejection meanwhile.
    loadRun.catch(() => undefined);
    // A load that ends by itself (a k6 Job's fixed run time) before the runner stops it leaves the tail unmeasured.
    loadRun.then(
      () => {
        if (!stopLoad.signal.aborted) loadEndedMs ??= clock.now();
      },
      () => undefined,
    );
    // The warm-up counts from the moment requests really flow (an in-cluster k6 Job needs seconds to start).
    const giveUp = new AbortController();
    const limit = sleep(LOAD_START_LIMIT_MS, AbortSignal.any([signal, giveUp.signal])).catch(() => undefined);
    await Promise.race([loadStarted, loadRun.then(() => undefined), limit]);
    giveUp.abort();
    signal.throwIfAborted();
    enter('warm-up');
    await sleep(s(load.warmupSeconds), signal);
    enter('disrupting');
    const disruptionMs = clock.now();
    sink({ kind: 'scenario-start', scenario: plan.scenario.name, t: disruptionMs, source: 'scenario' });
    await plan.scenario.trigger({
      client: deployment.client,
      signal,
      action: (action, target) =>
        sink({ kind: 'scenario-action', action, ...(target ? { target } : {}), t: clock.now(), source: 'scenario' }),
    });
    enter('settling');
    await deployment.waitSettled({ timeoutMs: settleLimitMs, signal });
    enter('cool-down');
    const until = Math.max(clock.now() + s(load.cooldownSeconds), disruptionMs + s(load.durationSeconds));
    await sleep(until - clock.now(), signal);
    if (loadEndedMs !== undefined) throw new Error(loadEndedEarly(loadEndedMs - loadStart, until - loadStart));
  } catch (caught) {
    if (signal.aborted) {
      status = 'interrupted';
      error = 'interrupted by the user (Ctrl-C)';
    } else {
      status = 'failed';
      error = caught instanceof Error ? caught.message : String(caught);
    }
  } finally {
    clearInterval(ticker);
    stopLoad.abort();
    delay.disable();
    if (loadRun) {
      try {
        summary = await loadRun;
      } catch (loadError) {
        status = 'failed';
        error ??= `load generator failed: ${loadError instanceof Error ? loadError.message : String(loadError)}`;
      }
      sink({ kind: 'load-stop', t: clock.now(), source: 'harness' });
    }
    enter('tearing-down');
    try {
      await deployment?.teardown();
    } catch (teardownError) {
      status = 'failed';
      error ??= `teardown failed: ${teardownError instanceof Error ? teardownError.message : String(teardownError)}`;
    }
  }
  const written = await writer.close();
  await new Promise<void>((resolve) => eventLog.end(resolve));
  enter(status === 'complete' ? 'done' : status);
  return analyzeCell({
    id: plan.id,
    variant: plan.variant.name,
    scenario: plan.scenario.name,
    repetition: plan.repetition,
    status,
    ...(error === undefined ? {} : { error }),
    samples,
    events,
    load: summary,
    startedAtEpochMs: clock.originEpochMs,
    durationMs: Date.now() - started,
    samplesFile: path.join(relDir, 'samples.bin'),
    samplePods: written.pods,
    ...(delay.count > 0
      ? { harnessDelayMs: { p99: round(delay.percentile(99) / 1e6), max: round(delay.max / 1e6) } }
      : {}),
  });
}

/** Why a cell whose load stopped by itself before the end of its cool-down cannot be trusted. */
export function loadEndedEarly(endedMs: number, neededMs: number): string {
  const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return (
    `the load ended by itself ${sec(endedMs)} after it started, but the cell needed it until ${sec(neededMs)} ` +
    '(the end of its cool-down): the tail of the disruption went unmeasured and lost requests would be under-counted. ' +
    "With k6 as a Job its fixed run time was too short for this cell's settle; rerun with fewer parallel cells"
  );
}

/** Milliseconds to 0.1 ms. */
function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
