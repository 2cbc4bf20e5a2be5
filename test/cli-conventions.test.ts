import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { EXPERIMENT_HELP, TOP_HELP } from '../harness/cli-help.ts';
import type { ResultsFile } from '../harness/model/results.ts';
import { EXPERIMENT_FLAG_NAMES } from '../harness/runner/parse-args.ts';
import { fakeTools } from './kind-fixtures.ts';
import { ROOT, runCli, type CliRun } from './run-cli.ts';

const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const LAUNCHER = path.join(ROOT, 'scripts/drainlab.mjs');

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'drainlab-conventions-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs the `drainlab` bin (scripts/drainlab.mjs) as npx does; stdout to a file when `stdoutFile` is given. */
function runLauncher(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; stdoutFile?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const fd = opts.stdoutFile === undefined ? undefined : openSync(opts.stdoutFile, 'w');
    const child = spawn(process.execPath, [LAUNCHER, ...args], {
      cwd: ROOT,
      env: { ...process.env, CI: 'true', DRAINLAB_NO_REAPER: '1', ...opts.env },
      stdio: ['ignore', fd ?? 'pipe', 'pipe'],
    });
    if (fd !== undefined) closeSync(fd);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`drainlab ${args.join(' ')} did not finish in time\n${stderr}`));
    }, opts.timeoutMs ?? 30_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('--version and --help', () => {
  it('--version prints the package version alone on stdout, at the top level and for a command', async () => {
    for (const args of [['--version'], ['experiment', '--version'], ['clean', '--version']]) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(0);
      expect(run.stdout).toBe(`drainlab ${VERSION}\n`);
    }
  });

  it('-h and --help work for every command, exit 0, and list exit codes', { timeout: 90_000 }, async () => {
    const cases: [string[], RegExp[]][] = [
      [['-h'], [/Commands:/, /experiment/, /clean/]],
      [
        ['experiment', '-h'],
        [/--fail-on-loss/, /Ctrl-C/],
      ],
      [['report', '--help'], [/--compare DIR/]],
      [
        ['clean', '--help'],
        [/--context NAME/, /--i-understand-this-is-not-a-harness-cluster/],
      ],
      [['manifests', '-h'], [/--check/]],
    ];
    for (const [args, patterns] of cases) {
      const run = await runCli(args);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
      expect(run.stdout).toMatch(/^Usage: drainlab/);
      expect(run.stdout).toContain('Exit codes');
      for (const pattern of patterns) expect(run.stdout, args.join(' ')).toMatch(pattern);
    }
  });

  it('the experiment help names every option, the exit codes, Ctrl-C, the platforms and the environment', () => {
    for (const name of EXPERIMENT_FLAG_NAMES) expect(EXPERIMENT_HELP, name).toContain(`--${name}`);
    for (const code of [0, 1, 2, 3, 4, 130]) expect(EXPERIMENT_HELP).toMatch(new RegExp(`^  ${code} +\\S`, 'm'));
    expect(EXPERIMENT_HELP).toMatch(/first Ctrl-C .* stops cleanly[\s\S]*second Ctrl-C exits at once[\s\S]*130/);
    expect(EXPERIMENT_HELP).toMatch(
      /Local platform only[\s\S]*--time-scale[\s\S]*Kind platform only[\s\S]*--keep-cluster/,
    );
    expect(TOP_HELP).toContain('npx drainlab');
    expect(TOP_HELP).toContain('npm run -s');
  });

  it('the help names every DRAINLAB_ variable the harness reads', () => {
    const read = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        // k6/ variables are what the harness hands to k6, and bench/ is a developer tool: neither is read from the user.
        if (entry.isDirectory()) {
          if (!['k6', 'bench', 'testing', 'fixtures'].includes(entry.name)) walk(file);
        } else if (file.endsWith('.ts') && !file.endsWith('.test.ts')) {
          for (const m of readFileSync(file, 'utf8').matchAll(/DRAINLAB_[A-Z_]+/g)) read.add(m[0]);
        }
      }
    };
    walk(path.join(ROOT, 'harness'));
    expect(read.size).toBeGreaterThanOrEqual(3);
    for (const name of read) expect(EXPERIMENT_HELP, name).toContain(name);
    expect(EXPERIMENT_HELP).toContain('KUBECONFIG');
  });
});

describe('the drainlab bin', () => {
  it(
    'npx drainlab runs it from the clone, with nothing but the command output on stdout',
    { timeout: 60_000 },
    async () => {
      const run = await new Promise<CliRun>((resolve) => {
        const child = spawn('npx', ['--offline', '--no-install', 'drainlab', '--version'], {
          cwd: ROOT,
          env: { ...process.env, npm_config_update_notifier: 'false' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toBe(`drainlab ${VERSION}\n`);
    },
  );

  it('experiment --platform kind --dry-run > file: the file holds the plan only, remarks go to stderr', async () => {
    const dir = tempDir();
    const tools = fakeTools(['docker', 'kind', 'kubectl']);
    dirs.push(path.dirname(tools.env.PATH!));
    const config = path.join(dir, 'one-replica.yaml');
    // A variant's replicas is overridden by the scenario: a warning, which must not end up in the plan.
    writeFileSync(config, 'variants:\n  - name: lonely\n    shutdownMode: drain\n    replicas: 1\n');
    const plan = path.join(dir, 'plan.txt');
    const run = await runLauncher(
      ['experiment', '--platform', 'kind', '--dry-run', '--config', config, '--out', path.join(dir, 'run')],
      { env: { PATH: tools.env.PATH, FAKE_TOOLS_LOG: tools.env.FAKE_TOOLS_LOG }, stdoutFile: plan },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^warning: .*lonely.*replicas 1 is not used/m);
    const text = readFileSync(plan, 'utf8');
    expect(text).toMatch(/^# drainlab dry run \S+: platform kind, 3 cell\(s\); nothing was created\n/);
    for (const line of text.split('\n')) expect(line).not.toMatch(/^(warning|error|drainlab):|^>/);
    expect(text).toContain('# --- kind config');
    expect(text).toContain('# --- manifests: lonely');
    expect(tools.calls()).toEqual([]);
    expect(existsSync(path.join(dir, 'run'))).toBe(false);
  });

  it(
    '--fail-on-loss exits 3 when a ★ variant lost requests, with the table on stdout and the reason on stderr',
    { timeout: 150_000 },
    async () => {
      const dir = tempDir();
      const config = path.join(dir, 'starred-exit.yaml');
      // Exits at once on SIGTERM, with nothing to hide it, yet claims to be safe: the gate must catch it.
      writeFileSync(
        config,
        'variants:\n  - name: starred-exit\n    shutdownMode: exit\n    expectedSafe: true\nscenarios: [rolling-update]\n',
      );
      const out = path.join(dir, 'run');
      const run = await runLauncher(
        [
          'experiment',
          '--config',
          config,
          '--time-scale',
          '0.25',
          '--duration',
          '2',
          '--rate',
          '200',
          '--fail-on-loss',
          '--out',
          out,
        ],
        { env: { DRAINLAB_STATE_DIR: path.join(dir, 'state') }, timeoutMs: 140_000 },
      );
      expect(run.code, run.stderr).toBe(3);
      expect(run.stdout).toMatch(/^★ starred-exit\s+rolling-update/m);
      expect(run.stdout).toContain('★ recommended variant');
      expect(run.stderr).toMatch(
        /^error: starred-exit is expected to lose no request but lost [1-9]\d* of \d+ under rolling-update$/m,
      );
      const results = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as ResultsFile;
      expect(results.status).toBe('complete');
    },
  );

  it(
    'Ctrl-C to the process group stops cleanly once (exit 130, the cell written), not as a second Ctrl-C',
    { timeout: 120_000 },
    async () => {
      const dir = tempDir();
      const out = path.join(dir, 'run');
      const child = spawn(
        process.execPath,
        [
          LAUNCHER,
          'experiment',
          '--variants',
          'baseline',
          '--scenarios',
          'rolling-update',
          '--duration',
          '20',
          '--out',
          out,
        ],
        {
          cwd: ROOT,
          env: { ...process.env, CI: 'true', DRAINLAB_NO_REAPER: '1', DRAINLAB_STATE_DIR: path.join(dir, 'state') },
          stdio: ['ignore', 'ignore', 'pipe'],
          // Its own process group, as a terminal's foreground job: Ctrl-C goes to every process in it.
          detached: true,
        },
      );
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const deadline = Date.now() + 60_000;
      while (!/warm-up|disrupting/.test(stderr)) {
        if (Date.now() > deadline) throw new Error(`no warm-up in time:\n${stderr}`);
        await sleep(50);
      }
      process.kill(-child.pid!, 'SIGINT');
      expect(await exited).toBe(130);
      expect(stderr.match(/Stopping cleanly/g)).toHaveLength(1);
      const results = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as ResultsFile;
      expect(results.status).toBe('interrupted');
      // Only the clean stop writes the cell; an immediate exit leaves the list empty.
      expect(results.cells.map((c) => c.status)).toEqual(['interrupted']);
    },
  );
});

describe('a broken environment is exit 4', () => {
  it('--load k6 on local without k6 on PATH: said before anything is created', async () => {
    const dir = tempDir();
    const tools = fakeTools([]);
    dirs.push(path.dirname(tools.env.PATH!));
    const out = path.join(dir, 'run');
    const run = await runCli(['experiment', '--quick', '--load', 'k6', '--out', out], {
      env: { PATH: tools.env.PATH },
    });
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('error: k6 not found on PATH');
    expect(existsSync(out)).toBe(false);
  });

  it(
    '--context whose cluster does not answer: the set-up failure is exit 4 with what to check',
    { timeout: 60_000 },
    async () => {
      const dir = tempDir();
      const tools = fakeTools(['kubectl']);
      dirs.push(path.dirname(tools.env.PATH!));
      const kubeconfig = path.join(dir, 'kubeconfig.yaml');
      writeFileSync(
        kubeconfig,
        'apiVersion: v1\nkind: Config\nclusters:\n- cluster: { server: "https://127.0.0.1:9", insecure-skip-tls-verify: true }\n  name: gone\n' +
          'contexts:\n- context: { cluster: gone, user: u }\n  name: gone\ncurrent-context: gone\nusers:\n- name: u\n  user: { token: t }\n',
      );
      const run = await runCli(
        [
          'experiment',
          '--platform',
          'kind',
          '--context',
          'gone',
          '--i-understand-this-is-not-a-harness-cluster',
          '--quick',
          '--out',
          path.join(dir, 'run'),
        ],
        {
          env: {
            ...tools.env,
            KUBECONFIG: kubeconfig,
            DRAINLAB_WORKLOAD_IMAGE: 'registry.example/drainlab-workload:1',
            DRAINLAB_NO_REAPER: '1',
            DRAINLAB_STATE_DIR: path.join(dir, 'state'),
          },
        },
      );
      expect(run.code, run.stderr).toBe(4);
      expect(run.stderr).toMatch(/^error: setting up the context gone failed: .*ECONNREFUSED/m);
      expect(run.stderr).toContain('hint: check that kubectl --context gone get namespaces works');
    },
  );
});
