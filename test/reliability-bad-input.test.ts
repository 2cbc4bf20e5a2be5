import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseExperimentArgs } from '../harness/runner/parse-args.ts';
import { WORKLOAD_IMAGE } from '../workloads/image.ts';
import { runCli } from './run-cli.ts';

// Every bad input gets a message naming what to change, and exit code 2 with nothing started. Most rows go through
// parseExperimentArgs (what the CLI calls first); the last block runs the real CLI. There is no port flag, so "a port
// in use" has no input to test.

const dir = mkdtempSync(path.join(os.tmpdir(), 'drainlab-bad-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** Writes a config file and returns its path. */
function file(text: string, ext = '.yaml'): string {
  const p = path.join(dir, `config-${++n}${ext}`);
  writeFileSync(p, text);
  return p;
}
const out = () => path.join(dir, `out-${++n}`);

const regularFile = file('just a file', '.txt');
const usedRun = path.join(dir, 'used-run');
mkdirSync(usedRun);
writeFileSync(path.join(usedRun, 'results.json'), '{}');

const knob = (extra: string) => `variants:\n  - name: mine\n    shutdownMode: drain\n${extra}`;

const rows: [string, string[], RegExp][] = [
  ['malformed YAML', ['--config', file('variants: [baseline\n')], /config .*: is not valid YAML/],
  ['malformed JSON', ['--config', file('{"variants": }', '.json')], /is not valid JSON/],
  ['duplicate YAML key', ['--config', file('repeat: 1\nrepeat: 2\n')], /is not valid YAML: Map keys must be unique/],
  ['missing config file', ['--config', path.join(dir, 'nope.yaml')], /cannot read it \(no such file\)/],
  ['config is a folder', ['--config', dir], /is a folder, not a file/],
  ['TypeScript config', ['--config', file('export default {}', '.ts')], /\.ts experiment files are not supported/],
  ['empty config', ['--config', file('# nothing\n')], /is empty/],
  ['config is a list', ['--config', file('- baseline\n')], /\(top level\): must be a mapping/],
  ['unknown top-level field', ['--config', file('varients: [baseline]\n')], /varients: unknown field; expected one of/],
  ['variants not a list', ['--config', file('variants: baseline\n')], /variants: must be a non-empty list/],
  ['unknown catalog variant', ['--config', file('variants: [nope]\n')], /variants\[0\]: unknown variant "nope"/],
  [
    'custom variant reuses a catalog name',
    ['--config', file('variants:\n  - name: baseline\n    shutdownMode: exit\n')],
    /variants\[0\]\.name: "baseline" is a catalog variant/,
  ],
  [
    'bad variant name',
    ['--config', file('variants:\n  - name: My_Variant\n    shutdownMode: exit\n')],
    /variants\[0\]\.name: must be a lowercase name/,
  ],
  [
    'missing shutdownMode',
    ['--config', file('variants:\n  - name: mine\n')],
    /variants\[0\]\.shutdownMode: is required/,
  ],
  [
    'wrong shutdownMode',
    ['--config', file('variants:\n  - name: mine\n    shutdownMode: graceful\n')],
    /variants\[0\]\.shutdownMode: must be one of exit, drain, ignore, got "graceful"/,
  ],
  [
    'native sleep longer than the grace period (the API rejects it)',
    [
      '--config',
      file(
        'variants:\n  - baseline\n  - prestop-drain\n  - name: mine\n    shutdownMode: drain\n' +
          '    terminationGracePeriodSeconds: 30\n    preStop:\n      sleep:\n        seconds: 40\n',
      ),
    ],
    /variants\[2\]\.preStop\.sleep\.seconds: must be less than or equal to terminationGracePeriodSeconds \(30\), got 40/,
  ],
  [
    'two preStop handlers',
    ['--config', file(knob('    preStop: { sleepSeconds: 5, execSleepSeconds: 5 }\n'))],
    /variants\[0\]\.preStop: must set exactly one handler, found sleepSeconds and execSleepSeconds/,
  ],
  [
    'unmodelled preStop handler',
    ['--config', file(knob('    preStop: { tcpSocket: { port: 8080 } }\n'))],
    /variants\[0\]\.preStop\.tcpSocket: unknown field/,
  ],
  [
    'grace period of the wrong type',
    ['--config', file(knob('    terminationGracePeriodSeconds: "30s"\n'))],
    /variants\[0\]\.terminationGracePeriodSeconds: must be a whole number from 0 to 3600, got "30s"/,
  ],
  [
    'zero replicas',
    ['--config', file(knob('    replicas: 0\n'))],
    /variants\[0\]\.replicas: must be a whole number from 1 to 20, got 0/,
  ],
  [
    'knobs and full objects together',
    ['--config', file(knob('    deployment: {}\n    service: {}\n'))],
    /variants\[0\]: give either knobs .* or full objects \(deployment, service\), not both/,
  ],
  [
    'unknown knob',
    ['--config', file(knob('    livenessProbe: true\n'))],
    /variants\[0\]\.livenessProbe: unknown field/,
  ],
  [
    'readinessProbe not a boolean',
    ['--config', file(knob('    readinessProbe: "no"\n'))],
    /variants\[0\]\.readinessProbe: must be true or false/,
  ],
  [
    'full object missing its Deployment',
    ['--config', file('variants:\n  - name: mine\n    service: {}\n')],
    /variants\[0\]\.deployment: must be a Kubernetes object, got nothing/,
  ],
  [
    'load.rate negative',
    ['--config', file('load: { rate: -5 }\n')],
    /load\.rate: must be a number above 0 and at most 10000, got -5/,
  ],
  [
    'load.keepAlive not a boolean',
    ['--config', file('load: { keepAlive: "yes" }\n')],
    /load\.keepAlive: must be true or false, got "yes"/,
  ],
  [
    'load.workMs min above max',
    ['--config', file('load: { workMs: { min: 90, max: 10 } }\n')],
    /load\.workMs: must be N or \{ min, max \}/,
  ],
  [
    'load.method unknown',
    ['--config', file('load: { method: PUT }\n')],
    /load\.method: must be one of POST, GET, got "PUT"/,
  ],
  ['unknown load field', ['--config', file('load: { rps: 10 }\n')], /load\.rps: unknown field/],
  [
    'unknown scenario',
    ['--config', file('scenarios: [node-drain]\n')],
    /scenarios\[0\]: unknown scenario "node-drain"/,
  ],
  ['repeat 0', ['--config', file('repeat: 0\n')], /repeat: must be a whole number from 1 to 1000, got 0/],
  [
    'timeScale too large',
    ['--config', file('timeScale: 100\n')],
    /timeScale: must be a number from 0.01 to 10, got 100/,
  ],
  [
    'builtin load on kind (conflicting flags)',
    ['--platform', 'kind', '--load', 'builtin'],
    /--load builtin cannot run on --platform kind/,
  ],
  ['kind-only flag on local (conflicting flags)', ['--keep-cluster'], /--keep-cluster only applies to --platform kind/],
  [
    'foreign context without confirmation',
    ['--platform', 'kind', '--context', 'prod'],
    /add --i-understand-this-is-not-a-harness-cluster/,
  ],
  ['a flag given twice', ['--repeat', '2', '--repeat', '3'], /--repeat is given more than once/],
  [
    '--variants names a variant the file does not define',
    ['--variants', 'mine'],
    /unknown variant "mine" in --variants/,
  ],
  [
    'output folder under a regular file',
    ['--out', path.join(regularFile, 'run')],
    /is a file, not a folder, so the run folder cannot be created/,
  ],
  ['output folder that already holds a run', ['--out', usedRun], /already holds a run \(results\.json\)/],
  [
    'file work time, flag timeout: every request would time out',
    ['--config', file('load: { workMs: 500 }\n'), '--timeout-ms', '100'],
    /--work-ms \(500 ms at most\) must stay below --timeout-ms \(100 ms\)/,
  ],
  [
    'full Deployment with a field the local platform does not model',
    [
      '--config',
      file(
        JSON.stringify({
          variants: [
            {
              name: 'mine',
              deployment: deploymentWith({ livenessProbe: { httpGet: { path: '/', port: 'http' } } }),
              service: service(),
            },
          ],
        }),
        '.json',
      ),
    ],
    /config: variants\[0\]\.deployment\.spec\.template\.spec\.containers\[0\]\.livenessProbe: is not modelled by the local platform/,
  ],
];

function deploymentWith(extra: Record<string, unknown>) {
  const labels = { app: 'mine' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels },
    spec: {
      replicas: 3,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'web',
              image: WORKLOAD_IMAGE,
              ports: [{ name: 'http', containerPort: 8080 }],
              ...extra,
            },
          ],
        },
      },
    },
  };
}
function service() {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { selector: { app: 'mine' }, ports: [{ port: 80, targetPort: 'http' }] },
  };
}

describe('bad input: one message per problem, naming what to change', () => {
  it('has at least 30 rows', () => {
    expect(rows.length).toBeGreaterThanOrEqual(30);
  });

  it.each(rows)('%s', (_name, args, message) => {
    const parsed = parseExperimentArgs([...args, ...(args.includes('--out') ? [] : ['--out', out()])]);
    expect(parsed.kind).toBe('problems');
    const problems = parsed.kind === 'problems' ? parsed.problems : [];
    expect(problems.join('\n')).toMatch(message);
  });

  it('reports every problem of a file at once', () => {
    const parsed = parseExperimentArgs([
      '--config',
      file('repeat: 0\nload: { rate: 0, method: PUT }\nvariants:\n  - nope\n  - name: X\n'),
      '--out',
      out(),
    ]);
    expect(parsed.kind === 'problems' && parsed.problems).toHaveLength(5);
  });
});

describe('bad input through the real CLI: exit 2, nothing started', () => {
  const cases: [string, string[], RegExp][] = [
    [
      'missing config file',
      ['--config', path.join(dir, 'missing.yaml')],
      /error: config .*missing\.yaml: cannot read it/,
    ],
    ['malformed YAML', ['--config', file('variants: [baseline\n')], /error: config .*: is not valid YAML/],
    [
      'native sleep longer than grace',
      ['--config', file(knob('    terminationGracePeriodSeconds: 30\n    preStop: { sleepSeconds: 40 }\n'))],
      /error: config .*: variants\[0\]\.preStop\.sleepSeconds: must be less than or equal to terminationGracePeriodSeconds \(30\), got 40/,
    ],
    [
      'output folder under a regular file',
      ['--out', path.join(regularFile, 'run')],
      /error: --out .* is a file, not a folder/,
    ],
  ];
  it.each(cases)('%s', { timeout: 30_000 }, async (_name, args, message) => {
    const stateDir = path.join(dir, `state-${++n}`);
    const runDir = out();
    const run = await runCli(['experiment', ...args, ...(args.includes('--out') ? [] : ['--out', runDir])], {
      env: { DRAINLAB_STATE_DIR: stateDir },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('hint:');
    // Nothing started: no run registered, no run folder.
    expect(existsSync(stateDir) ? readdirSync(stateDir) : []).toEqual([]);
    expect(existsSync(runDir)).toBe(false);
  });
});
