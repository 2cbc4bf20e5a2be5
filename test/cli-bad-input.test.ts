import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExperimentArgs } from '../harness/runner/parse-args.ts';
import { fakeTools } from './kind-fixtures.ts';
import { ROOT, runCli } from './run-cli.ts';

const problems = (argv: string[]) => {
  const parsed = parseExperimentArgs(argv);
  return parsed.kind === 'problems' ? parsed.problems : [];
};

describe('experiment flags', () => {
  const table: [string[], RegExp][] = [
    [['--variants', 'nope'], /unknown variant "nope" in --variants: choose from baseline/],
    [['--scenarios', 'meteor'], /unknown scenario "meteor" in --scenarios/],
    [['--rate', 'fast'], /--rate must be a number .* got "fast"/],
    [['--rate', '0'], /--rate must be/],
    [['--duration', '-5'], /--duration must be a positive time/],
    [['--duration', 'soon'], /--duration must be a positive time/],
    [['--bogus'], /unknown option --bogus/],
    [['--keep-alive', 'maybe'], /--keep-alive must be on or off/],
    [['--repeat', '1.5'], /--repeat must be a whole number/],
    [['--time-scale', '0'], /--time-scale must be a number from 0.01 to 10/],
    [['--platform', 'minikube'], /--platform must be local or kind/],
    [['--method', 'PUT'], /--method must be POST or GET/],
    [['--work-ms', '80-20'], /--work-ms must be N or MIN-MAX/],
    [['--rate'], /--rate needs a value/],
    [['--rate', '5', '--rate', '6'], /--rate is given more than once/],
    [['stray'], /unexpected argument "stray"/],
    [['--work-ms', '3000', '--timeout-ms', '1000'], /must stay below --timeout-ms/],
    [['--out', ''], /--out is empty/],
    [['--max-vus', '0'], /--max-vus must be a whole number from 1 to 10000, got "0"/],
    [['-x'], /unexpected argument "-x"/],
    // Flags of the other platform: refused here, not inside each cell once a cluster exists.
    [['--platform', 'kind', '--time-scale', '0.5'], /^--time-scale 0.5 only applies to --platform local/],
    [['--keep-cluster'], /^--keep-cluster only applies to --platform kind/],
    [['--reuse-cluster'], /^--reuse-cluster only applies to --platform kind/],
    [['--kube-proxy-mode', 'ipvs'], /^--kube-proxy-mode only applies to --platform kind/],
    [['--context', 'prod'], /^--context only applies to --platform kind/],
    [['--i-understand-this-is-not-a-harness-cluster'], /only applies to --platform kind/],
    [
      ['--platform', 'kind', '--context', 'prod', '--i-understand-this-is-not-a-harness-cluster', '--reuse-cluster'],
      /^--reuse-cluster applies to the kind cluster drainlab creates, not to --context prod/,
    ],
    [['--platform', 'kind', '--i-understand-this-is-not-a-harness-cluster'], /only goes with --context NAME/],
  ];
  for (const [argv, message] of table) {
    it(`rejects ${argv.join(' ') || '(empty)'}`, () => {
      const found = problems(argv);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(message);
    });
  }

  it('takes the time scale of 1 on kind, and -h and --version before any problem', () => {
    expect(parseExperimentArgs(['--platform', 'kind', '--time-scale', '1']).kind).toBe('ok');
    expect(
      parseExperimentArgs(['--platform', 'kind', '--context', 'c', '--i-understand-this-is-not-a-harness-cluster'])
        .kind,
    ).toBe('ok');
    expect(parseExperimentArgs(['--bogus', '-h']).kind).toBe('help');
    expect(parseExperimentArgs(['--bogus', '--version']).kind).toBe('version');
  });

  it('reports every problem at once', () => {
    expect(problems(['--variants', 'nope', '--rate', 'x', '--duration', '-1', '--zzz'])).toHaveLength(4);
  });

  it('accepts the documented flags', () => {
    const parsed = parseExperimentArgs([
      '--variants',
      'baseline,prestop-drain',
      '--scenarios=pod-delete',
      '--repeat',
      '2',
      '--rate',
      '50',
      '--duration',
      '1m',
      '--keep-alive',
      'off',
      '--time-scale',
      '0.25',
      '--out',
      '/tmp/x',
      '--parallel',
      '2',
    ]);
    expect(parsed.kind).toBe('ok');
    if (parsed.kind !== 'ok') return;
    expect(parsed.options).toMatchObject({
      variants: ['baseline', 'prestop-drain'],
      scenarios: ['pod-delete'],
      repetitions: 2,
      timeScale: 0.25,
      outDir: '/tmp/x',
      parallel: 2,
      load: { rate: 50, durationSeconds: 60, keepAlive: false },
    });
  });

  it('--max-vus: a default that fits the rate, a given value kept, a warning when it is too low to hold the rate', () => {
    const options = (argv: string[]) => {
      const parsed = parseExperimentArgs(argv);
      if (parsed.kind !== 'ok') throw new Error(JSON.stringify(parsed));
      return parsed.options;
    };
    expect(options([]).load.maxVUs).toBe(100);
    expect(options([]).warnings).toEqual([]);
    // 3000 req/s × (80 + 20) ms × 2 = 600
    expect(options(['--rate', '3000']).load.maxVUs).toBe(600);
    const low = options(['--rate', '3000', '--max-vus', '50']);
    expect(low.load.maxVUs).toBe(50);
    expect(low.warnings).toEqual([
      '--max-vus 50 is below the 240 requests in flight that 3000 req/s × 80 ms of work can need: arrivals will be ' +
        'dropped (and counted); raise --max-vus',
    ]);
  });

  it('--quick picks baseline and prestop-drain under rolling-update', () => {
    const parsed = parseExperimentArgs(['--quick']);
    expect(parsed.kind === 'ok' && parsed.options.variants).toEqual(['baseline', 'prestop-drain']);
    expect(parsed.kind === 'ok' && parsed.options.scenarios).toEqual(['rolling-update']);
  });
});

describe('experiment CLI on bad input', () => {
  it('prints one line per problem, exits 2 and starts nothing', async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'drainlab-bad-')), 'run');
    const run = await runCli([
      'experiment',
      '--variants',
      'nope',
      '--rate',
      'fast',
      '--duration',
      '-3',
      '--frobnicate',
      '--out',
      out,
    ]);
    expect(run.code).toBe(2);
    const errors = run.stderr.split('\n').filter((l) => l.startsWith('error: '));
    expect(errors).toHaveLength(4);
    expect(run.stderr).toMatch(/unknown variant "nope"/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a run folder that already holds a run, before starting anything', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'drainlab-used-'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(dir, 'results.json'), '{}');
    const run = await runCli(['experiment', '--quick', '--out', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/already holds a run/);
    expect(readdirSync(dir)).toEqual(['results.json']);
  });

  it('--help exits 0 and lists the flags', async () => {
    const run = await runCli(['experiment', '--help']);
    expect(run.code).toBe(0);
    for (const flag of [
      '--platform',
      '--variants',
      '--scenarios',
      '--repeat',
      '--rate',
      '--duration',
      '--keep-alive',
      '--time-scale',
      '--out',
      '--quick',
    ]) {
      expect(run.stdout).toContain(flag);
    }
  });
});

describe('experiment CLI: flags of the other platform', () => {
  it('kind with local-only and cluster flags that do not fit --context: one line each, exit 2, no tool run, nothing created', async () => {
    const tools = fakeTools(['docker', 'kind', 'kubectl']);
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'drainlab-platform-')), 'run');
    try {
      const run = await runCli(
        [
          'experiment',
          '--platform',
          'kind',
          '--time-scale',
          '0.5',
          '--context',
          'prod',
          '--i-understand-this-is-not-a-harness-cluster',
          '--keep-cluster',
          '--kube-proxy-mode',
          'ipvs',
          '--out',
          out,
        ],
        { env: { PATH: tools.env.PATH, FAKE_TOOLS_LOG: tools.env.FAKE_TOOLS_LOG } },
      );
      expect(run.code).toBe(2);
      const errors = run.stderr.split('\n').filter((l) => l.startsWith('error: '));
      expect(errors).toEqual([
        'error: --time-scale 0.5 only applies to --platform local: a real kubelet cannot be sped up, so kind runs at time scale 1; leave it out',
        'error: --keep-cluster applies to the kind cluster drainlab creates, not to --context prod; leave it out',
        'error: --kube-proxy-mode applies to the kind cluster drainlab creates, not to --context prod; leave it out',
      ]);
      expect(tools.calls()).toEqual([]);
      expect(existsSync(out)).toBe(false);
    } finally {
      tools.dispose();
    }
  });

  it('a time scale from the experiment file on kind names the file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'drainlab-platform-'));
    const file = path.join(dir, 'scale.yaml');
    writeFileSync(file, 'platform: kind\ntimeScale: 0.25\n');
    const run = await runCli(['experiment', '--config', file, '--dry-run']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error: config ${file}: timeScale 0.25 only applies to --platform local`);
    expect(run.stdout).toBe('');
  });
});

describe('experiment CLI: experiment files the parser refuses', () => {
  it('an alias bomb is bad input: one message naming the file as given, exit 2', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'drainlab-bomb-'));
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [prev, name] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['e', 'f'],
    ]) {
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    writeFileSync(path.join(dir, 'bomb.yaml'), `${levels.join('\n')}\n`);
    const given = path.relative(ROOT, path.join(dir, 'bomb.yaml'));
    const run = await runCli(['experiment', '--config', given]);
    expect(run.code).toBe(2);
    const errors = run.stderr.split('\n').filter((l) => l.startsWith('error: '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      new RegExp(`^error: config ${escape(given)}: cannot be read as YAML \\(Excessive alias count`),
    );
    expect(run.stderr).not.toMatch(/unexpected error|ReferenceError/);
  });

  it('echoes the path as the user gave it', async () => {
    const run = await runCli(['experiment', '--config', '/nonexistent.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: config /nonexistent.yaml: cannot read it (no such file)');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
