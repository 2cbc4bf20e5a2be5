import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadExperimentConfig } from '../config/load-config.ts';
import type { ExperimentConfig } from '../config/validate-config.ts';
import { checkLocalSupport } from '../platform/local/spec-support.ts';
import { DEFAULT_LOAD_PROFILE, type LoadProfile } from '../model/load-profile.ts';
import { DEFAULT_SCENARIO_NAMES, SCENARIO_NAMES } from '../scenarios/catalog.ts';
import { DEFAULT_VARIANT_NAMES, VARIANT_NAMES } from '../variants/catalog.ts';
import type { ExperimentOptions } from './experiment-options.ts';
import { validateApp, validateRequest, type AppRequest, type AppSpec, type RawApp } from '../app/app-spec.ts';
import { manifestFromImage, readAppManifest, type AppManifest } from '../app/app-manifest.ts';
import type { Source } from '../check/parse-manifests.ts';
import { APP_VARIANT_NAMES } from '../app/app-variants.ts';

/** Default repository folder for run folders. */
export const REPORTS_DIR = path.resolve(import.meta.dirname, '../../reports');

/** The variants and scenario of `--quick`. */
export const QUICK = { variants: ['baseline', 'prestop-drain'], scenarios: ['rolling-update'] };

type Flag = {
  /** Takes a value. */
  value: boolean;
};

const FLAGS: Record<string, Flag> = {
  config: { value: true },
  platform: { value: true },
  variants: { value: true },
  scenarios: { value: true },
  repeat: { value: true },
  quick: { value: false },
  course: { value: false },
  rate: { value: true },
  duration: { value: true },
  'keep-alive': { value: true },
  method: { value: true },
  'work-ms': { value: true },
  'timeout-ms': { value: true },
  'max-vus': { value: true },
  'time-scale': { value: true },
  parallel: { value: true },
  seed: { value: true },
  out: { value: true },
  load: { value: true },
  'dry-run': { value: false },
  'fail-on-loss': { value: false },
  'keep-cluster': { value: false },
  'reuse-cluster': { value: false },
  'kube-proxy-mode': { value: true },
  context: { value: true },
  'i-understand-this-is-not-a-harness-cluster': { value: false },
  help: { value: false },
  version: { value: false },
  // Your own app (harness/app/): its command line, readiness path, the load's request, env, and the probe's bounds.
  'app-command': { value: true },
  'app-ready': { value: true },
  'app-request': { value: true },
  'app-body': { value: true },
  'app-env': { value: true },
  'app-ready-timeout': { value: true },
  'app-shutdown-bound': { value: true },
  // Your own Deployment and Service on a real cluster (harness/app/app-manifest.ts).
  'app-manifest': { value: true },
  'app-container': { value: true },
  // Your app as an image on a real cluster (harness/app/app-manifest.ts, manifestFromImage).
  'app-image': { value: true },
  'app-port': { value: true },
};

/** Flags that may be given more than once; every value is kept. */
const REPEATABLE = new Set(['app-env', 'app-manifest']);

/** Every `experiment` option name, without the leading --; the help text is tested to list each. */
export const EXPERIMENT_FLAG_NAMES: readonly string[] = Object.keys(FLAGS);

/** The outcome of parsing: options, a request for help or the version, or every problem found. */
export type ParseResult =
  | { kind: 'ok'; options: ExperimentOptions }
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'problems'; problems: string[] };

/** Flags that only mean something for the cluster drainlab creates with kind (not for --context, not for local). */
const KIND_CLUSTER_FLAGS = ['keep-cluster', 'reuse-cluster', 'kube-proxy-mode'];

/** The value a flag was given, or undefined when it was not given or takes no value. */
function flagValue(given: Map<string, string | true>, name: string): string | undefined {
  const v = given.get(name);
  return typeof v === 'string' ? v : undefined;
}

/** Parses `experiment` flags and reports every problem at once, one line each, naming what to change. */
export function parseExperimentArgs(argv: string[], now = new Date()): ParseResult {
  const problems: string[] = [];
  const given = new Map<string, string | true>();
  const repeated = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h') {
      given.set('help', true);
      continue;
    }
    if (!arg.startsWith('--')) {
      problems.push(`unexpected argument "${arg}": options start with --, see --help`);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const flag = FLAGS[name];
    if (!flag) {
      problems.push(`unknown option --${name}: see --help for the options`);
      continue;
    }
    if (given.has(name) && !REPEATABLE.has(name)) problems.push(`--${name} is given more than once: give it once`);
    if (!flag.value) {
      if (eq !== -1) problems.push(`--${name} takes no value`);
      given.set(name, true);
      continue;
    }
    let value: string | undefined = eq === -1 ? undefined : arg.slice(eq + 1);
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        problems.push(`--${name} needs a value`);
        continue;
      }
      value = next;
      i++;
    }
    given.set(name, value);
    if (REPEATABLE.has(name)) repeated.set(name, [...(repeated.get(name) ?? []), value]);
  }
  if (given.has('help')) return { kind: 'help' };
  if (given.has('version')) return { kind: 'version' };

  const configFile = given.get('config');
  let config: ExperimentConfig = {
    customVariants: [],
    customVariantIndex: {},
    customScenarios: [],
    load: {},
    warnings: [],
  };
  let configProblems = 0;
  if (typeof configFile === 'string') {
    const loaded = loadExperimentConfig(configFile);
    configProblems = loaded.problems.length;
    problems.push(...loaded.problems);
    if (loaded.config) config = loaded.config;
  }
  const fromFile = config.load;

  const str = (name: string) => flagValue(given, name);
  const num = (name: string, check: (n: number) => boolean, expected: string, fallback: number): number => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || !check(n)) {
      problems.push(`--${name} must be ${expected}, got "${raw}"`);
      return fallback;
    }
    return n;
  };
  const list = (name: string, known: readonly string[], fallback: string[], what: string): string[] => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    const names = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (names.length === 0) problems.push(`--${name} is empty: give at least one ${what}`);
    for (const n of names) {
      if (!known.includes(n)) problems.push(`unknown ${what} "${n}" in --${name}: choose from ${known.join(', ')}`);
    }
    const dupes = names.filter((n, i) => names.indexOf(n) !== i);
    if (dupes.length > 0) problems.push(`--${name} names ${dupes.join(', ')} more than once`);
    return [...new Set(names)];
  };

  const platform = str('platform') ?? config.platform ?? 'local';
  if (platform !== 'local' && platform !== 'kind') {
    problems.push(`--platform must be local or kind, got "${platform}"`);
  }
  const quick = given.has('quick');
  // --course: the whole catalog, so that every course claim the report checks is measured (design §10).
  const course = given.has('course');
  if (quick && course) problems.push('--quick and --course choose different matrices: give one of them');
  const manifestFiles = repeated.get('app-manifest');
  // A real cluster's app: your manifest, or an image drainlab writes the Deployment and Service for.
  const onCluster = manifestFiles !== undefined || given.has('app-image');
  const manifest =
    manifestFiles !== undefined
      ? appManifestFromFlags(given, manifestFiles, config.app, platform, problems)
      : given.has('app-image')
        ? appImageFromFlags(given, repeated, config.app, platform, problems)
        : undefined;
  const app = onCluster ? undefined : appFromFlags(given, repeated, config.app, problems);
  if (given.has('app-port') && !given.has('app-image')) {
    problems.push('--app-port is the port of --app-image: give the image, or leave it out');
  }
  if (given.has('app-container') && manifestFiles === undefined && !given.has('app-image')) {
    problems.push('--app-container names a container of --app-manifest: give the manifest, or leave it out');
  }
  // An app with problems is still an app run: the other flags are judged as for one, so each problem is said once.
  const appGiven = app !== undefined || manifest !== undefined || [...given.keys()].some((k) => k.startsWith('app-'));
  if (appGiven && (quick || course))
    problems.push('--quick and --course run the catalog, not your app: leave them out');
  const knownVariants = [
    ...VARIANT_NAMES,
    ...(appGiven ? APP_VARIANT_NAMES : []),
    ...config.customVariants.map((v) => v.name),
  ];
  // With an app the derived variants are the default; which of them runs is decided after its SIGTERM is measured.
  const appDefaults =
    (app !== undefined || manifest !== undefined) && !given.has('variants') && config.variants === undefined;
  const variants = list(
    'variants',
    knownVariants,
    quick
      ? QUICK.variants
      : course
        ? [...VARIANT_NAMES]
        : (config.variants ?? (appGiven ? ['app-as-is', 'app-prestop'] : [...DEFAULT_VARIANT_NAMES])),
    'variant',
  );
  const scenarios = list(
    'scenarios',
    [...SCENARIO_NAMES, ...config.customScenarios.map((s) => s.name)],
    quick ? QUICK.scenarios : course ? [...SCENARIO_NAMES] : (config.scenarios ?? [...DEFAULT_SCENARIO_NAMES]),
    'scenario',
  );
  const repetitions = num(
    'repeat',
    (n) => Number.isInteger(n) && n >= 1 && n <= 1000,
    'a whole number from 1 to 1000',
    config.repeat ?? 1,
  );
  const rate = num(
    'rate',
    (n) => n > 0 && n <= 10_000,
    'a number of requests per second above 0 and at most 10000',
    fromFile.rate ?? DEFAULT_LOAD_PROFILE.rate,
  );
  const durationSeconds =
    parseDuration(str('duration'), problems) ?? fromFile.durationSeconds ?? DEFAULT_LOAD_PROFILE.durationSeconds;
  const keepAliveRaw = str('keep-alive') ?? (fromFile.keepAlive === false ? 'off' : 'on');
  if (keepAliveRaw !== 'on' && keepAliveRaw !== 'off')
    problems.push(`--keep-alive must be on or off, got "${keepAliveRaw}"`);
  const method = (str('method') ?? fromFile.method ?? DEFAULT_LOAD_PROFILE.method).toUpperCase();
  if (method !== 'POST' && method !== 'GET') problems.push(`--method must be POST or GET, got "${str('method')}"`);
  const workMs = parseWork(str('work-ms'), problems) ?? fromFile.workMs ?? DEFAULT_LOAD_PROFILE.workMs;
  const timeoutMs = num(
    'timeout-ms',
    (n) => Number.isInteger(n) && n >= 10 && n <= 120_000,
    'a whole number of milliseconds from 10 to 120000',
    fromFile.timeoutMs ?? DEFAULT_LOAD_PROFILE.timeoutMs,
  );
  const timeScale = num('time-scale', (n) => n >= 0.01 && n <= 10, 'a number from 0.01 to 10', config.timeScale ?? 1);
  const parallel = num(
    'parallel',
    (n) => Number.isInteger(n) && n >= 1 && n <= 32,
    'a whole number from 1 to 32',
    config.parallel ?? 4,
  );
  const seed = num(
    'seed',
    (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 32,
    'a whole number from 0 to 4294967295',
    config.seed ?? randomBytes(4).readUInt32LE(0),
  );
  const maxVUs = num(
    'max-vus',
    (n) => Number.isInteger(n) && n >= 1 && n <= 10_000,
    'a whole number from 1 to 10000',
    fromFile.maxVUs ?? defaultMaxVUs(rate, workMs.max),
  );
  const loadWarnings: string[] = [];
  // Little's law: rate × service time requests are in flight on average; fewer VUs than that must drop arrivals.
  const busyVUs = Math.ceil((rate * workMs.max) / 1000);
  if (maxVUs < busyVUs) {
    loadWarnings.push(
      `--max-vus ${maxVUs} is below the ${busyVUs} requests in flight that ${rate} req/s × ${workMs.max} ms of work ` +
        'can need: arrivals will be dropped (and counted); raise --max-vus',
    );
  }
  if (workMs.max >= timeoutMs)
    problems.push(
      `--work-ms (${workMs.max} ms at most) must stay below --timeout-ms (${timeoutMs} ms), or every request times out`,
    );

  const runId = makeRunId(now);
  const outRaw = str('out') ?? config.out;
  if (outRaw !== undefined && outRaw.trim() === '') problems.push('--out is empty: give a folder for the run');
  const outDir = outRaw ? path.resolve(outRaw) : path.join(REPORTS_DIR, runId);
  const outProblem = outDirProblem(outDir);
  if (outProblem) problems.push(outProblem);

  const loadEngineRaw = str('load') ?? (platform === 'kind' ? 'k6' : 'builtin');
  if (loadEngineRaw !== 'builtin' && loadEngineRaw !== 'k6')
    problems.push(`--load must be builtin or k6, got "${loadEngineRaw}"`);
  const context = str('context');
  if (platform === 'kind' && loadEngineRaw === 'builtin' && context === undefined)
    problems.push(
      '--load builtin cannot run on --platform kind: load runs as a k6 Job inside the cluster (with --context, builtin sends from this machine to the Service address)',
    );
  const proxyMode = str('kube-proxy-mode') ?? 'iptables';
  if (!['iptables', 'ipvs', 'nftables'].includes(proxyMode))
    problems.push(`--kube-proxy-mode must be iptables, ipvs or nftables, got "${proxyMode}"`);
  const allowForeignContext = given.has('i-understand-this-is-not-a-harness-cluster');
  // Every flag that does not apply to the chosen platform is refused here, before preflight or a cluster exists.
  if (platform === 'local') {
    for (const flag of [...KIND_CLUSTER_FLAGS, 'context', 'i-understand-this-is-not-a-harness-cluster']) {
      if (given.has(flag))
        problems.push(`--${flag} only applies to --platform kind; leave it out or add --platform kind`);
    }
  } else if (platform === 'kind') {
    if (timeScale !== 1) {
      const where =
        str('time-scale') !== undefined
          ? `--time-scale ${timeScale}`
          : `config ${String(configFile)}: timeScale ${timeScale}`;
      problems.push(
        `${where} only applies to --platform local: a real kubelet cannot be sped up, so kind runs at time scale 1; leave it out`,
      );
    }
    if (context !== undefined && !allowForeignContext) {
      problems.push(
        `--context ${context} acts on a cluster drainlab did not create: add --i-understand-this-is-not-a-harness-cluster to confirm`,
      );
    }
    if (context !== undefined) {
      for (const flag of KIND_CLUSTER_FLAGS) {
        if (given.has(flag)) {
          problems.push(
            `--${flag} applies to the kind cluster drainlab creates, not to --context ${context}; leave it out`,
          );
        }
      }
    } else if (allowForeignContext) {
      problems.push(
        '--i-understand-this-is-not-a-harness-cluster only goes with --context NAME; leave it out, or name the context',
      );
    }
  }
  if (appGiven) {
    if (platform === 'kind' && !onCluster) {
      problems.push(
        '--app-command runs your app as local processes, on --platform local (the default); on a real cluster ' +
          'give your Deployment and Service with --app-manifest FILE, or your image with --app-image IMAGE, instead',
      );
    }
    for (const [flag, instead] of [
      ['method', 'the method goes in --app-request "POST /path"'],
      ['work-ms', 'your app does its own work per request'],
    ]) {
      if (given.has(flag!)) problems.push(`--${flag} does not apply to your app: ${instead}; leave it out`);
    }
    if (platform === 'local' && loadEngineRaw === 'k6' && !onCluster)
      problems.push('your app is measured with --load builtin (the default); leave out --load k6');
    if (given.has('dry-run')) {
      problems.push(
        "--dry-run cannot show an app run: the variants depend on the app's measured SIGTERM behaviour; leave it out",
      );
    }
  }
  const customVariants = config.customVariants.filter((v) => variants.includes(v.name));
  // Only once the file itself is valid: otherwise the same mistake would be reported twice, once per path.
  if (platform === 'local' && configProblems === 0) {
    for (const variant of customVariants) {
      const at = `variants[${config.customVariantIndex[variant.name]}]`;
      for (const problem of checkLocalSupport(variant)) problems.push(`config: ${localProblemAt(problem, at)}`);
    }
  }
  if (problems.length > 0) return { kind: 'problems', problems };
  const load: LoadProfile = {
    ...DEFAULT_LOAD_PROFILE,
    ...fromFile,
    rate,
    durationSeconds,
    keepAlive: keepAliveRaw === 'on',
    method: method as LoadProfile['method'],
    timeoutMs,
    workMs,
    maxVUs,
    ...(app || manifest
      ? {
          method: (app ?? manifest!).request.method,
          path: (app ?? manifest!).request.path,
          ...((app ?? manifest!).request.body === undefined ? {} : { body: (app ?? manifest!).request.body }),
        }
      : {}),
  };
  return {
    kind: 'ok',
    options: {
      platform: platform as 'local' | 'kind',
      variants,
      scenarios,
      repetitions,
      load,
      timeScale,
      outDir,
      runId,
      parallel,
      seed,
      loadEngine: loadEngineRaw as 'builtin' | 'k6',
      dryRun: given.has('dry-run'),
      failOnLoss: given.has('fail-on-loss'),
      customVariants,
      customScenarios: config.customScenarios.filter((s) => scenarios.includes(s.name)),
      warnings: [
        ...loadWarnings,
        ...config.warnings.filter((w) => customVariants.some((v) => w.includes(`(${v.name})`))),
      ],
      configFile: typeof configFile === 'string' ? path.resolve(configFile) : undefined,
      ...(app ? { app: { spec: app, defaultVariants: appDefaults } } : {}),
      ...(manifest ? { appManifest: { ...manifest, defaultVariants: appDefaults } } : {}),
      kind: {
        keepCluster: given.has('keep-cluster'),
        reuseCluster: given.has('reuse-cluster'),
        kubeProxyMode: proxyMode as 'iptables' | 'ipvs' | 'nftables',
        context,
        allowForeignContext,
      },
    },
  };
}

/**
 * The app from `--app-*` flags over the file's `app:` section (each flag replaces that field), or undefined when
 * neither gives one. Any `--app-*` flag without a command anywhere is a problem.
 */
function appFromFlags(
  given: Map<string, string | true>,
  repeated: Map<string, string[]>,
  fromFile: AppSpec | undefined,
  problems: string[],
): AppSpec | undefined {
  const value = (name: string) => flagValue(given, name);
  const flags: RawApp = {
    command: value('app-command'),
    readinessPath: value('app-ready'),
    request: value('app-request'),
    body: value('app-body'),
    env: repeated.get('app-env'),
    readyTimeoutSeconds: value('app-ready-timeout'),
    shutdownBoundSeconds: value('app-shutdown-bound'),
  };
  const anyFlag = Object.values(flags).some((v) => v !== undefined);
  if (!anyFlag) return fromFile;
  const base: RawApp = fromFile ? { ...fromFile } : {};
  // --app-body alone keeps the file's request; --app-request alone drops the file's body.
  if (flags.request !== undefined && fromFile) delete base.body;
  if (fromFile && flags.body === undefined && flags.request === undefined) base.body = fromFile.request.body;
  const merged: RawApp = { ...base };
  for (const [k, v] of Object.entries(flags)) if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
  const checked = validateApp(merged, 'flags');
  problems.push(...checked.problems);
  return checked.spec;
}

const NOTHING_STARTED = 'nothing is started before the run on a real cluster';

/**
 * What a real cluster's app (`--app-manifest` or `--app-image`) refuses, for either: another platform than kind, a
 * command line as well, and the flags that do not apply to it (with why).
 */
function clusterAppProblems(
  flag: 'app-manifest' | 'app-image',
  what: string,
  given: Map<string, string | true>,
  fromFile: AppSpec | undefined,
  platform: string,
  notApplying: readonly (readonly [string, string])[],
  problems: string[],
): void {
  if (platform !== 'kind') {
    problems.push(
      `--${flag} ${what} on a real cluster: add --platform kind (with --context NAME for an existing cluster); ` +
        'to run a command line on this machine, use --app-command instead',
    );
  }
  if (given.has('app-command') || fromFile !== undefined) {
    problems.push(`--${flag} and --app-command (or a file’s app:) are two different apps: give one of them`);
  }
  for (const [name, why] of notApplying) {
    if (given.has(name)) problems.push(`--${name} does not apply with --${flag}: ${why}; leave it out`);
  }
}

/**
 * `--app-manifest FILE` (repeatable) with `--app-container`, `--app-request` and `--app-body`: your Deployment and
 * Service for a real cluster, read and checked now, so that bad input stops the run before anything is deployed.
 */
function appManifestFromFlags(
  given: Map<string, string | true>,
  files: string[],
  fromFile: AppSpec | undefined,
  platform: string,
  problems: string[],
): { manifest: AppManifest; request: AppRequest } | undefined {
  const value = (name: string) => flagValue(given, name);
  const before = problems.length;
  clusterAppProblems(
    'app-manifest',
    'deploys your Deployment and Service',
    given,
    fromFile,
    platform,
    [
      ['app-ready', 'your manifest’s readiness probe is used'],
      ['app-env', 'the environment is your manifest’s'],
      ['app-ready-timeout', NOTHING_STARTED],
      ['app-shutdown-bound', NOTHING_STARTED],
    ],
    problems,
  );
  if (given.has('app-image')) {
    problems.push('--app-manifest and --app-image are two ways to give your app: give one of them');
  }
  const request = validateRequest(value('app-request'), value('app-body'), '--app-request', '--app-body', problems);
  const sources: Source[] = [];
  for (const file of files) {
    try {
      sources.push({ name: file, text: readFileSync(file, 'utf8') });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problems.push(
        `--app-manifest ${file}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(error)})`}; give the path of your manifest`,
      );
    }
  }
  if (sources.length === files.length) {
    const container = value('app-container');
    const read = readAppManifest(sources, container === undefined ? {} : { container });
    problems.push(...read.problems);
    if (problems.length === before && read.manifest) return { manifest: read.manifest, request: request as AppRequest };
  }
  return undefined;
}

/**
 * `--app-image IMAGE` with `--app-port`, `--app-ready`, `--app-env`, `--app-request` and `--app-body`: your app as an
 * image for a real cluster, for which drainlab writes the Deployment and Service (manifestFromImage).
 */
function appImageFromFlags(
  given: Map<string, string | true>,
  repeated: Map<string, string[]>,
  fromFile: AppSpec | undefined,
  platform: string,
  problems: string[],
): { manifest: AppManifest; request: AppRequest } | undefined {
  const value = (name: string) => flagValue(given, name);
  const before = problems.length;
  clusterAppProblems(
    'app-image',
    'runs your image',
    given,
    fromFile,
    platform,
    [
      ['app-container', 'drainlab writes the Deployment, with one container'],
      ['app-ready-timeout', NOTHING_STARTED],
      ['app-shutdown-bound', NOTHING_STARTED],
    ],
    problems,
  );
  const image = value('app-image') ?? '';
  if (image === '' || /\s/.test(image)) {
    problems.push(`--app-image must be an image reference such as registry.example/shop:1.2, got "${image}"`);
  }
  const portRaw = value('app-port') ?? '8080';
  const port = Number(portRaw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    problems.push(`--app-port must be the port your app listens on, 1 to 65535, got "${portRaw}"`);
  }
  const readinessPath = value('app-ready') ?? '/';
  if (!readinessPath.startsWith('/')) {
    problems.push(`--app-ready must be a path starting with /, such as /healthz, got "${readinessPath}"`);
  }
  const env: Record<string, string> = {};
  for (const entry of repeated.get('app-env') ?? []) {
    const eq = entry.indexOf('=');
    const name = eq > 0 ? entry.slice(0, eq) : '';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      problems.push(`--app-env must be NAME=VALUE with a variable name (A-Z, 0-9, _), got "${entry}"`);
    } else {
      env[name] = entry.slice(eq + 1);
    }
  }
  const request = validateRequest(value('app-request'), value('app-body'), '--app-request', '--app-body', problems);
  if (problems.length > before) return undefined;
  return { manifest: manifestFromImage({ image, port, readinessPath, env }), request: request as AppRequest };
}

/** `10`, `10s`, `1.5m` → seconds; a problem for anything else or ≤ 0. */
function parseDuration(raw: string | undefined, problems: string[]): number | undefined {
  if (raw === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(raw.trim());
  const seconds = match ? Number(match[1]) * ({ ms: 0.001, s: 1, m: 60 }[match[2] ?? 's'] ?? 1) : NaN;
  if (!match || !(seconds > 0) || seconds > 3600) {
    problems.push(`--duration must be a positive time of at most 1h such as 10, 10s or 1m, got "${raw}"`);
    return undefined;
  }
  return seconds;
}

/** `N` or `MIN-MAX` milliseconds. */
function parseWork(raw: string | undefined, problems: string[]): { min: number; max: number } | undefined {
  if (raw === undefined) return undefined;
  const match = /^(\d+)(?:-(\d+))?$/.exec(raw.trim());
  const min = match ? Number(match[1]) : NaN;
  const max = match ? Number(match[2] ?? match[1]) : NaN;
  if (!match || min > max || max > 60_000) {
    problems.push(`--work-ms must be N or MIN-MAX whole milliseconds up to 60000 with MIN <= MAX, got "${raw}"`);
    return undefined;
  }
  return { min, max };
}

/** `20261127-053100-a1b2`: sortable, unique enough for one machine. */
export function makeRunId(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/**
 * Why the run folder cannot be used, or undefined. Checked before anything starts: the nearest existing folder must
 * be a writable folder, and the run folder must not already hold a run.
 */
function outDirProblem(dir: string): string | undefined {
  let existing = dir;
  while (!existsSync(existing)) {
    const parent = path.dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  try {
    if (!statSync(existing).isDirectory()) {
      return `--out ${dir}: ${existing} is a file, not a folder, so the run folder cannot be created; choose another --out`;
    }
    accessSync(existing, constants.W_OK);
  } catch {
    return `--out ${dir}: ${existing} is not writable; choose another --out`;
  }
  if (existing === dir && existsSync(path.join(dir, 'results.json'))) {
    return `--out ${dir} already holds a run (results.json); choose another --out`;
  }
  return undefined;
}

/** `variant NAME: spec.x is ...` from checkLocalSupport → `variants[i].deployment.spec.x: is ...`. */
function localProblemAt(problem: string, at: string): string {
  const text = problem.replace(/^variant [^:]+: /, '');
  const service = text.startsWith('Service ');
  const rest = service ? text.slice('Service '.length) : text;
  const space = rest.indexOf(' ');
  const field = space === -1 ? rest : rest.slice(0, space);
  return `${at}.${service ? 'service' : 'deployment'}.${field}: ${rest.slice(space + 1)}`;
}

/**
 * The VU bound when none is given: the profile's default, or for higher rates twice the requests in flight that
 * the slowest service time (plus 20 ms of network and queueing) needs, so the default load never drops arrivals.
 */
export function defaultMaxVUs(rate: number, workMaxMs: number): number {
  return Math.min(10_000, Math.max(DEFAULT_LOAD_PROFILE.maxVUs, Math.ceil((2 * rate * (workMaxMs + 20)) / 1000)));
}
