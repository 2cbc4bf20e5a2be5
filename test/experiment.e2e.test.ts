import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '../harness/model/events.ts';
import type { ResultsFile } from '../harness/model/results.ts';
import { readSamplesFile } from '../harness/report/samples-codec.ts';
import { runCli, spawnCli } from './run-cli.ts';
import { alive } from '../harness/cleanup/reap.ts';

const dirs: string[] = [];
function tempRun(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'drainlab-e2e-'));
  dirs.push(dir);
  return path.join(dir, 'run');
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function readResults(dir: string): ResultsFile {
  return JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8')) as ResultsFile;
}

function podPids(dir: string): number[] {
  const pids: number[] = [];
  for (const cell of readResults(dir).cells) {
    const lines = readFileSync(path.join(dir, 'cells', cell.id, 'events.ndjson'), 'utf8')
      .trim()
      .split('\n');
    for (const line of lines) {
      const event = JSON.parse(line) as LifecycleEvent;
      if (event.kind === 'pod-started' && event.pid) pids.push(event.pid);
    }
  }
  return pids;
}

describe('npm run experiment -- --quick, for real', () => {
  it(
    'measures baseline losing requests and prestop-drain losing none, and writes the run folder',
    { timeout: 120_000 },
    async () => {
      const out = tempRun();
      const run = await runCli(['experiment', '--quick', '--out', out], { timeoutMs: 110_000 });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/baseline\s+rolling-update/);
      expect(run.stdout).toContain(path.join(out, 'index.html').split(path.sep).pop()!);
      for (const file of ['results.json', 'index.html', 'summary.md', 'junit.xml']) {
        expect(existsSync(path.join(out, file)), file).toBe(true);
      }
      const results = readResults(out);
      expect(results).toMatchObject({
        schemaVersion: 1,
        status: 'complete',
        platform: { name: 'local', emulated: true },
      });
      const cell = (variant: string) => results.cells.find((c) => c.variant === variant)!;
      // The harness's event-loop delay is measured in every cell (a held-up harness marks a machine short of CPU).
      for (const c of results.cells) {
        expect(c.harnessDelayMs?.max).toBeGreaterThan(0);
        expect(c.harnessDelayMs!.p99).toBeLessThanOrEqual(c.harnessDelayMs!.max);
      }
      const baseline = cell('baseline');
      const safe = cell('prestop-drain');
      expect(baseline.requests.failed).toBeGreaterThan(0);
      expect(safe.requests.failed).toBe(0);
      expect(safe.requests.total).toBeGreaterThan(500);

      for (const c of [baseline, safe]) {
        expect(c.status).toBe('complete');
        // Every request is on disk next to results.json, compressed below 16 bytes each.
        const samples = await readSamplesFile(path.join(out, c.samplesFile), c.samplePods);
        expect(samples).toHaveLength(c.requests.total);
        expect(samples.filter((s) => s.cause !== null)).toHaveLength(c.requests.failed);
        expect(statSync(path.join(out, c.samplesFile)).size).toBeLessThan(16 * c.requests.total);
        const terminated = c.pods.filter((p) => p.terminatingMs !== null);
        expect(terminated).toHaveLength(3);
        for (const pod of terminated) {
          for (const key of ['sigtermMs', 'exitedMs', 'endpointRemovedMs', 'routingRemovedMs'] as const) {
            expect(pod[key], `${c.variant} ${pod.name} ${key}`).not.toBeNull();
          }
          expect(pod.exitCode).toBe(c.variant === 'baseline' ? 143 : 0);
        }
      }
      for (const pod of safe.pods.filter((p) => p.terminatingMs !== null)) {
        expect(pod.preStopOutcome).toBe('completed');
        // SIGTERM only after the 5 s preStop sleep; by then kube-proxy had long stopped routing new connections there.
        expect(pod.sigtermMs! - pod.preStopStartMs!).toBeGreaterThanOrEqual(4_990);
        expect(pod.routingRemovedMs!).toBeLessThan(pod.sigtermMs!);
      }

      // The report is a pure function of results.json.
      rmSync(path.join(out, 'index.html'));
      const rebuilt = await runCli(['report', out]);
      expect(rebuilt.code, rebuilt.stderr).toBe(0);
      expect(readFileSync(path.join(out, 'index.html'), 'utf8')).toContain('prestop-drain');

      // Nothing of the run is left running.
      expect(podPids(out).filter(alive)).toEqual([]);
    },
  );
});

describe('Ctrl-C', () => {
  function start(out: string) {
    const child = spawnCli([
      'experiment',
      '--variants',
      'ignore-sigterm',
      '--scenarios',
      'rolling-update',
      '--out',
      out,
    ]);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
      child.on('exit', (code) => resolve({ code, at: Date.now() })),
    );
    const waitFor = async (pattern: RegExp, limitMs: number) => {
      const deadline = Date.now() + limitMs;
      while (!pattern.test(stderr)) {
        if (Date.now() > deadline) throw new Error(`no ${pattern} in time:\n${stderr}`);
        await sleep(50);
      }
    };
    return { child, exited, waitFor, stderr: () => stderr };
  }

  it('once: stops cleanly, leaves no workload process, and writes what was measured', { timeout: 90_000 }, async () => {
    const out = tempRun();
    const run = start(out);
    // ignore-sigterm pods would live 30 s after deletion: interrupt while they are terminating.
    await run.waitFor(/settling/, 40_000);
    await sleep(1_000);
    const sentAt = Date.now();
    run.child.kill('SIGINT');
    const { code, at } = await run.exited;
    expect(code).toBe(130);
    expect(at - sentAt).toBeLessThan(10_000);
    expect(run.stderr()).toMatch(/Stopping cleanly/);
    const results = readResults(out);
    expect(results.status).toBe('interrupted');
    expect(results.cells).toHaveLength(1);
    expect(results.cells[0]!.status).toBe('interrupted');
    expect(results.cells[0]!.requests.total).toBeGreaterThan(100);
    expect(existsSync(path.join(out, 'index.html'))).toBe(true);
    const pids = podPids(out);
    expect(pids.length).toBeGreaterThanOrEqual(4);
    await sleep(200);
    expect(pids.filter(alive)).toEqual([]);
  });

  it('twice: exits at once and still leaves no workload process', { timeout: 90_000 }, async () => {
    const out = tempRun();
    const run = start(out);
    await run.waitFor(/warm-up/, 40_000);
    run.child.kill('SIGINT');
    await sleep(20);
    run.child.kill('SIGINT');
    const { code } = await run.exited;
    expect(code).toBe(130);
    // Events are appended as they happen, so the pods' pids are on disk even though the run never finished.
    const cellDir = path.join(out, 'cells', 'ignore-sigterm--rolling-update--r1');
    const pids = readFileSync(path.join(cellDir, 'events.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as LifecycleEvent)
      .flatMap((e) => (e.kind === 'pod-started' && e.pid ? [e.pid] : []));
    expect(pids.length).toBeGreaterThanOrEqual(3);
    const deadline = Date.now() + 5_000;
    while (pids.some(alive) && Date.now() < deadline) await sleep(100);
    expect(pids.filter(alive)).toEqual([]);
  });
});
