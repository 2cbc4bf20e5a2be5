import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { createClock } from '../../core/clock.ts';
import { parseK6Points, parseK6Summary, pointsFromLog, summaryFromOutput } from '../../load/k6/k6-output.ts';
import { DEFAULT_LOAD_PROFILE } from '../../model/load-profile.ts';
import { findVariant } from '../../variants/catalog.ts';
import { k6JobManifest } from './k6-job.ts';
import { K6JobGenerator } from './k6-job-generator.ts';
import { FakeKubeApi, type KubeObject } from './testing/fake-api-server.ts';
import { k6SummaryData } from './testing/k6-samples.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'drainlab-k6-job-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Lines exactly as k6 v1.3.0 writes them with `--out json` (internal/output/json/wrapper.go and its easyjson
 * encoder): a Point envelope is `{"metric","type","data"}` in that order, a Metric envelope `{"type","data","metric"}`,
 * no spaces, RFC 3339 nanosecond times in the container's zone (UTC).
 */
const K6_JSON_LINES = [
  '{"type":"Metric","data":{"name":"drainlab_req","type":"trend","contains":"time","thresholds":[],"submetrics":null},"metric":"drainlab_req"}',
  '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-27T08:00:00.0125Z","value":12.5,"tags":{"cell":"c1","status":"200"}}}',
  '{"metric":"drainlab_req","type":"Point","data":{"time":"2026-11-27T08:00:00.0125Z","value":12.5,"tags":{"cell":"c1","error_code":"0","pod":"web-a","reused":"1","scenario":"drain","status":"200"}}}',
  '{"metric":"drainlab_req","type":"Point","data":{"time":"2026-11-27T08:00:01.5Z","value":0,"tags":{"cell":"c1","error_code":"1212","pod":"","reused":"0","scenario":"drain","status":"0"}}}',
];

const manifest = () =>
  k6JobManifest({
    namespace: 'ns',
    cellId: 'c1',
    image: 'grafana/k6:1.3.0',
    target: 'http://web.ns.svc.cluster.local',
    profile: DEFAULT_LOAD_PROFILE,
    durationSeconds: 20,
  });

describe('the k6 Job', () => {
  it("its shell turns k6's real --out json lines into the points the harness decodes, and passes exit 99", async () => {
    const dir = await tempDir();
    const bin = path.join(dir, 'bin');
    const points = path.join(dir, 'points.ndjson');
    await execa('mkdir', [bin]);
    // A stand-in k6: writes the JSON file named by --out and prints the handleSummary markers, then exits 99.
    const summary = JSON.stringify(k6SummaryData(2, 0, 3));
    await writeFile(
      path.join(bin, 'k6'),
      [
        '#!/bin/sh',
        'for a in "$@"; do case "$a" in json=*) out="${a#json=}";; esac; done',
        `cat > "$out" <<'EOF'\n${K6_JSON_LINES.join('\n')}\nEOF`,
        `printf '%s\\n' '--- drainlab-k6-summary-begin ---' '${summary}' '--- drainlab-k6-summary-end ---'`,
        'exit 99',
      ].join('\n'),
    );
    await chmod(path.join(bin, 'k6'), 0o755);
    const container = manifest().spec!.template.spec!.containers[0]!;
    expect(container.command?.slice(0, 2)).toEqual(['sh', '-c']);
    const script = container.command![2]!.replaceAll('/tmp/points.ndjson', points);
    const result = await execa('sh', ['-c', script], {
      env: { PATH: `${bin}:/usr/bin:/bin` },
      extendEnv: false,
      reject: false,
      timeout: 20_000,
    });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const ndjson = pointsFromLog(result.stdout);
    expect(ndjson.trim().split('\n')).toEqual(K6_JSON_LINES.slice(2));
    const samples = parseK6Points(ndjson, Date.parse('2026-11-27T08:00:00Z'));
    expect(samples.map((s) => [s.startMs, s.status, s.cause, s.pod, s.reused])).toEqual([
      [0, 200, null, 'web-a', true],
      [1500, 0, 'refused', null, false],
    ]);
    expect(parseK6Summary(summaryFromOutput(result.stdout), 'k6').started).toBe(2);
  });

  it('starts the warm-up when the k6 pod is ready, not while it is still pending', async () => {
    const api = new FakeKubeApi();
    await api.start();
    cleanups.push(() => api.close());
    const log: string[] = [];
    const status = (name: string, s: object) =>
      api.update('apis/batch/v1', 'ns', 'jobs', name, (j) => {
        j.status = s;
        log.push(JSON.stringify(s));
      });
    api.onCreate = (resource: string, object: KubeObject, ns: string | undefined) => {
      if (resource !== 'jobs' || !ns) return;
      const name = object.metadata.name;
      const pod = `${name}-abcde`;
      // Only the current label: reading the log through the deprecated `job-name` would find no pod.
      api.put('api/v1', ns, 'pods', { metadata: { name: pod, labels: { 'batch.kubernetes.io/job-name': name } } });
      api.logs.set(`${ns}/${pod}`, ['--- drainlab-k6-summary-begin ---', '{"metrics":{}}'].join('\n'));
      // Pending (active, not ready) for a while, then running, then done.
      api.later(0, () => status(name, { active: 1, ready: 0 }));
      api.later(400, () => status(name, { active: 1, ready: 1 }));
      api.later(700, () => status(name, { succeeded: 1, ready: 0 }));
    };
    const stop = new AbortController();
    const generator = new K6JobGenerator({
      kc: api.kubeConfig(),
      namespace: 'ns',
      cellId: 'c1',
      variant: findVariant('prestop-drain')!,
      image: 'grafana/k6:1.3.0',
      target: 'http://web.ns.svc.cluster.local',
      signal: stop.signal,
      pollMs: 50,
    });
    let startedAfter: string | undefined;
    const run = generator.run({
      target: { host: 'web.ns.svc.cluster.local', port: 80 },
      profile: DEFAULT_LOAD_PROFILE,
      clock: createClock(),
      onSample: () => undefined,
      stop: stop.signal,
      maxDurationMs: 60_000,
      onStarted: () => {
        startedAfter = log.at(-1);
      },
    });
    // The fake log has no end marker: the run fails at parsing, after the start was seen.
    await expect(run).rejects.toThrow(/summary/);
    expect(startedAfter).toBe(JSON.stringify({ active: 1, ready: 1 }));
  });
});
