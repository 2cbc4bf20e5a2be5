import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLocalSupport } from '../platform/local/spec-support.ts';
import { parseExperimentArgs } from '../runner/parse-args.ts';
import { findVariant } from '../variants/catalog.ts';
import { loadExperimentConfig } from './load-config.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'drainlab-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const EXAMPLE = `# A custom matrix: two catalog variants and two of our own.
variants:
  - baseline
  - prestop-drain
  - name: short-prestop
    shutdownMode: drain
    preStop: { sleep: { seconds: 1 } }
    expectedSafe: false
    summary: { en: preStop sleep 1 s then drain, ja: preStop で 1 秒 sleep してからドレイン }
  - name: risky
    shutdownMode: drain
    terminationGracePeriodSeconds: 10
    preStop: { execSleepSeconds: 12 }
    replicas: 1
    readinessProbe: false
scenarios: [rolling-update]
repeat: 3
seed: 42
load:
  rate: 50
  keepAlive: false
  workMs: { min: 5, max: 10 }
`;

describe('experiment files', () => {
  it('turns knobs into variants the local platform accepts, and warns about risky ones', () => {
    const file = path.join(dir, 'ok.yaml');
    writeFileSync(file, EXAMPLE);
    const { config, problems } = loadExperimentConfig(file);
    expect(problems).toEqual([]);
    expect(config!.variants).toEqual(['baseline', 'prestop-drain', 'short-prestop', 'risky']);
    for (const v of config!.customVariants) expect(checkLocalSupport(v)).toEqual([]);
    const risky = config!.customVariants.find((v) => v.name === 'risky')!;
    const pod = risky.deployment.spec!.template.spec!;
    expect(pod.containers[0]!.lifecycle!.preStop!.exec!.command).toEqual(['sleep', '12']);
    expect(pod.containers[0]!.readinessProbe).toBeUndefined();
    expect(risky.deployment.spec!.replicas).toBe(1);
    expect(config!.warnings).toHaveLength(3);
    expect(config!.warnings.join('\n')).toMatch(/variants\[3\] \(risky\): preStop exec sleep 12 s is at or above/);
    expect(config!.warnings.join('\n')).toMatch(/no readinessProbe/);
    expect(config!.warnings.join('\n')).toMatch(/replicas 1 is not used: each scenario sets the replica count/);
  });

  it('lets flags override the file', () => {
    const file = path.join(dir, 'override.yaml');
    writeFileSync(file, EXAMPLE);
    const parsed = parseExperimentArgs([
      '--config',
      file,
      '--rate',
      '80',
      '--variants',
      'risky,baseline',
      '--out',
      path.join(dir, 'o1'),
    ]);
    expect(parsed.kind).toBe('ok');
    if (parsed.kind !== 'ok') return;
    const o = parsed.options;
    expect(o.load.rate).toBe(80);
    expect(o.load.keepAlive).toBe(false);
    expect(o.load.workMs).toEqual({ min: 5, max: 10 });
    expect(o.repetitions).toBe(3);
    expect(o.seed).toBe(42);
    expect(o.variants).toEqual(['risky', 'baseline']);
    expect(o.customVariants!.map((v) => v.name)).toEqual(['risky']);
    expect(o.warnings).toHaveLength(3);
    expect(o.scenarios).toEqual(['rolling-update']);
  });

  it('accepts full Deployment and Service objects (a catalog variant written out)', () => {
    const base = findVariant('prestop-drain')!;
    const file = path.join(dir, 'full.json');
    const deployment = structuredClone(base.deployment);
    deployment.metadata!.labels!['drainlab/variant'] = 'copy';
    deployment.spec!.selector.matchLabels!['drainlab/variant'] = 'copy';
    deployment.spec!.template.metadata!.labels!['drainlab/variant'] = 'copy';
    const service = structuredClone(base.service);
    service.spec!.selector!['drainlab/variant'] = 'copy';
    writeFileSync(file, JSON.stringify({ variants: [{ name: 'copy', deployment, service }] }));
    const parsed = parseExperimentArgs(['--config', file, '--out', path.join(dir, 'o2')]);
    expect(parsed.kind === 'problems' ? parsed.problems : []).toEqual([]);
    expect(parsed.kind === 'ok' && parsed.options.variants).toEqual(['copy']);
    expect(parsed.kind === 'ok' && parsed.options.warnings).toEqual([]);
  });
});
