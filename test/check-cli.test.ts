import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.ts';

// `check` through the real CLI (tsx harness/cli.ts check ...), as npm run check runs it: the examples, stdin, the
// output formats, --fail-on, every variant manifest, and bad input (exit 2, one message per problem).

const dir = mkdtempSync(path.join(os.tmpdir(), 'drainlab-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FLAWED = 'examples/check/flawed.yaml';
const FIXED = 'examples/check/fixed.yaml';
const FLAWED_RULES = [
  'no-prestop-hook',
  'grace-too-short',
  'shell-without-exec',
  'no-readiness-probe',
  'all-replicas-at-once',
];

/** Rule ids in the text output, in order. */
const ruleIdsIn = (stdout: string) => [...stdout.matchAll(/^ {2}(?:error|warning|info) +(\S+) \(/gm)].map((m) => m[1]);

describe('drainlab check', { timeout: 150_000 }, () => {
  it('the flawed example: exit 1 with its findings; the fixed one: exit 0', async () => {
    const [flawed, fixed] = await Promise.all([runCli(['check', FLAWED]), runCli(['check', FIXED])]);
    expect(flawed.code, flawed.stderr).toBe(1);
    expect(flawed.stderr).toBe('');
    expect(ruleIdsIn(flawed.stdout)).toEqual(FLAWED_RULES);
    expect(flawed.stdout).toMatch(/^examples\/check\/flawed\.yaml:\d+: Deployment\/shop$/m);
    expect(flawed.stdout).toMatch(/course §3: /);
    expect(flawed.stdout).toMatch(/^info: check cannot see what the app does on SIGTERM.*npm run experiment/m);
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect(fixed.stdout).toMatch(/^No findings in 1 workload in examples\/check\/fixed\.yaml\.$/m);
  });

  it('reads standard input with -', async () => {
    const run = await runCli(['check', '-'], { input: readFileSync(path.join(ROOT, FLAWED), 'utf8') });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^<stdin>:\d+: Deployment\/shop$/m);
    expect(ruleIdsIn(run.stdout)).toEqual(FLAWED_RULES);
  });

  it('--format json and --format sarif', async () => {
    const [json, sarif] = await Promise.all([
      runCli(['check', FLAWED, FIXED, '--format', 'json']),
      runCli(['check', '--format=sarif', FLAWED]),
    ]);
    expect(json.code, json.stderr).toBe(1);
    const body = JSON.parse(json.stdout) as {
      findings: { ruleId: string; file: string }[];
      objects: unknown[];
      summary: { failed: boolean };
    };
    expect(body.findings.map((f) => f.ruleId)).toEqual(FLAWED_RULES);
    expect(new Set(body.findings.map((f) => f.file))).toEqual(new Set([FLAWED]));
    expect(body.objects).toHaveLength(2);
    expect(body.summary.failed).toBe(true);

    expect(sarif.code, sarif.stderr).toBe(1);
    const log = JSON.parse(sarif.stdout) as {
      version: string;
      runs: {
        results: {
          ruleId: string;
          locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
        }[];
      }[];
    };
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0]!.results.map((r) => r.ruleId)).toEqual(FLAWED_RULES);
    const lines = readFileSync(path.join(ROOT, FLAWED), 'utf8').split('\n');
    for (const r of log.runs[0]!.results) {
      const { artifactLocation, region } = r.locations[0]!.physicalLocation;
      expect(artifactLocation.uri).toBe(FLAWED);
      expect(lines[region.startLine - 1], r.ruleId).toMatch(/^\s*(- name: shop|strategy:|spec:|command: .*)$/);
    }
  });

  it('--fail-on decides the exit code', async () => {
    // The fixed example without its readiness probe: a single warning.
    const text = readFileSync(path.join(ROOT, FIXED), 'utf8').replace(/ {10}readinessProbe:\n( {12}.*\n)+/, '');
    const file = path.join(dir, 'warning-only.yaml');
    writeFileSync(file, text);
    const [byDefault, warning, info, never] = await Promise.all([
      runCli(['check', file]),
      runCli(['check', file, '--fail-on', 'warning']),
      runCli(['check', file, '--fail-on', 'info']),
      runCli(['check', FLAWED, '--fail-on', 'never']),
    ]);
    expect(ruleIdsIn(byDefault.stdout)).toEqual(['no-readiness-probe']);
    expect(byDefault.code).toBe(0);
    expect(warning.code).toBe(1);
    expect(info.code).toBe(1);
    expect(never.code).toBe(0);
    expect(ruleIdsIn(never.stdout)).toEqual(FLAWED_RULES);
  });

  it('runs on every manifest in manifests/variants/ at once', async () => {
    const files = readdirSync(path.join(ROOT, 'manifests/variants'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => `manifests/variants/${f}`);
    const run = await runCli(['check', ...files, '--format', 'json']);
    expect(run.code, run.stderr).toBe(1);
    const body = JSON.parse(run.stdout) as { findings: { file: string; ruleId: string }[]; objects: unknown[] };
    expect(body.objects).toHaveLength(files.length);
    const byFile = (name: string) => body.findings.filter((f) => f.file === `manifests/variants/${name}.yaml`);
    expect(byFile('prestop-drain')).toEqual([]);
    expect(byFile('baseline').map((f) => f.ruleId)).toEqual(['no-prestop-hook']);
    expect(byFile('prestop-exceeds-grace').map((f) => f.ruleId)).toEqual(['prestop-at-or-over-grace']);
  });

  it('help: check --help lists the rules and exit codes, and the top-level help lists check', async () => {
    const [help, top] = await Promise.all([runCli(['check', '--help']), runCli(['--help'])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: drainlab check/);
    for (const id of [...FLAWED_RULES, 'exec-sleep-without-sleep-binary', 'prestop-at-or-over-grace']) {
      expect(help.stdout).toContain(id);
    }
    expect(help.stdout).toMatch(/Exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 /);
    expect(top.stdout).toMatch(/^ {2}check +\S/m);
  });
});

describe('drainlab check: bad input, exit 2', { timeout: 150_000 }, () => {
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('each problem is one message that says what to change; nothing on stdout', async () => {
    const syntax = write('syntax.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: [web\n');
    const noWorkload = write('no-workload.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n');
    const cases: [string[], RegExp][] = [
      [['check', path.join(dir, 'missing.yaml')], /missing\.yaml: cannot read it \(no such file\); check the path/],
      [['check', syntax], /syntax\.yaml:\d+: is not valid YAML \(.+\); fix the syntax on that line/],
      [['check', noWorkload], /no Deployment, StatefulSet or DaemonSet in .*no-workload\.yaml \(found only Service\)/],
      [['check', FIXED, '--format', 'xml'], /--format must be text, json, sarif, got "xml"/],
      [['check', FIXED, '--fail-on', 'sometimes'], /--fail-on must be error, warning, info, never, got "sometimes"/],
      [['check', FIXED, '--strict'], /unknown option "--strict" for check/],
      [['check'], /check needs at least one manifest file, or - to read standard input/],
    ];
    // One at a time: seven CLIs at once only crowd the two cores the suite runs on.
    for (const [args, message] of cases) {
      const run = await runCli(args);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(2);
      expect(run.stdout, args.join(' ')).toBe('');
      const errors = run.stderr.split('\n').filter((l) => l.startsWith('error: '));
      expect(errors, args.join(' ')).toHaveLength(1);
      expect(errors[0]).toMatch(message);
      expect(run.stderr).toMatch(/^hint: see drainlab check --help$/m);
    }
  });

  it('a missing file next to a good one is still bad input', async () => {
    const run = await runCli(['check', FLAWED, path.join(dir, 'gone.yaml')]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: .*gone\.yaml: cannot read it \(no such file\)/m);
  });
});
