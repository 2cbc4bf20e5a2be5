import type { V1LifecycleHandler } from '@kubernetes/client-node';
import type { LoadProfile } from '../model/load-profile.ts';
import { SCENARIO_NAMES } from '../scenarios/catalog.ts';
import { podDeleteScenario } from '../scenarios/pod-delete.ts';
import { rollingUpdateScenario } from '../scenarios/rolling-update.ts';
import { scaleScenario } from '../scenarios/scale-down.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import type { RollingUpdateFields } from '../platform/cluster-client.ts';
import { VARIANT_NAMES } from '../variants/catalog.ts';
import type { Bilingual, Variant } from '../variants/variant.ts';
import { workloadTemplate } from '../variants/workload-template.ts';
import { variantWarnings } from './variant-warnings.ts';
import { APP_FIELDS, APP_REQUEST_FIELDS, validateApp, type AppSpec } from '../app/app-spec.ts';
import { appTemplate, APP_VARIANT_NAMES } from '../app/app-variants.ts';

/** An experiment file after validation: every field optional, flags override each. */
export interface ExperimentConfig {
  /** `local` or `kind`. */
  platform?: 'local' | 'kind';
  /** Variant names to run, in file order (catalog names and the file's own variants). */
  variants?: string[];
  /** Variants the file defines, as Kubernetes objects. */
  customVariants: Variant[];
  /** Index in the file's `variants` list of each custom variant, for messages with a path. */
  customVariantIndex: Record<string, number>;
  /** Scenario names to run, in file order (catalog names and the file's own scenarios). */
  scenarios?: string[];
  /** Scenarios the file defines from the scenario kinds. */
  customScenarios: Scenario[];
  /** Repetitions. */
  repeat?: number;
  /** Seed of the load's randomness and the shuffled cell order. */
  seed?: number;
  /** Cells running at once. */
  parallel?: number;
  /** Time compression. */
  timeScale?: number;
  /** Run folder. */
  out?: string;
  /** Load profile fields given in the file. */
  load: Partial<LoadProfile>;
  /** Risky-but-legal specs of the file's variants. */
  warnings: string[];
  /** Your own app (`app:`): its knob variants are built from it, and the derived variants can be named. */
  app?: AppSpec;
}

type Problems = string[];
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => (v === undefined ? 'nothing' : typeof v === 'string' ? `"${v}"` : JSON.stringify(v));

/** Names Kubernetes accepts as label values and object names (RFC 1123 label). */
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

// `$schema` lets a JSON file name its schema for editors, as `# yaml-language-server: $schema=` does for YAML.
const TOP_FIELDS = [
  '$schema',
  'platform',
  'variants',
  'scenarios',
  'repeat',
  'seed',
  'parallel',
  'timeScale',
  'out',
  'load',
  'app',
];
const LOAD_FIELDS = [
  'rate',
  'durationSeconds',
  'warmupSeconds',
  'cooldownSeconds',
  'keepAlive',
  'method',
  'timeoutMs',
  'workMs',
  'maxVUs',
];
const KNOB_FIELDS = [
  'shutdownMode',
  'preStop',
  'terminationGracePeriodSeconds',
  'replicas',
  'cleanupMs',
  'readinessProbe',
];
const TEXT_FIELDS = ['name', 'summary', 'expectation', 'expectedSafe'];
const OBJECT_FIELDS = ['deployment', 'service'];
const PRESTOP_FORMS = ['sleepSeconds', 'execSleepSeconds', 'sleep', 'exec', 'httpGet'];
/** The kinds a file's own scenario is built from, each with the fields it takes besides name, kind and summary. */
const SCENARIO_KIND_FIELDS = {
  'rolling-update': ['replicas', 'maxSurge', 'maxUnavailable'],
  'pod-delete': ['replicas', 'count', 'gracePeriodSeconds'],
  scale: ['from', 'to'],
} as const;
type ScenarioKind = keyof typeof SCENARIO_KIND_FIELDS;
const SCENARIO_KINDS = Object.keys(SCENARIO_KIND_FIELDS) as ScenarioKind[];
const SCENARIO_COMMON_FIELDS = ['name', 'kind', 'summary'];

/**
 * Every key the validator accepts, per block of the file; the JSON Schema (experiment.schema.json) is tested
 * against this so that the two cannot drift.
 */
export const CONFIG_FIELDS = {
  top: TOP_FIELDS,
  load: LOAD_FIELDS,
  workMs: ['min', 'max'],
  bilingual: ['en', 'ja'],
  knobVariant: [...TEXT_FIELDS, ...KNOB_FIELDS],
  objectVariant: [...TEXT_FIELDS, ...OBJECT_FIELDS],
  preStop: PRESTOP_FORMS,
  preStopSleep: ['seconds'],
  preStopExec: ['command'],
  preStopHttpGet: ['path', 'port'],
  app: [...APP_FIELDS] as string[],
  appRequest: [...APP_REQUEST_FIELDS] as string[],
  /** A knob variant of the file's app: the app decides what happens on SIGTERM, so no shutdownMode or cleanupMs. */
  appKnobVariant: [...TEXT_FIELDS, 'preStop', 'terminationGracePeriodSeconds', 'replicas'],
  scenarioKinds: Object.fromEntries(
    SCENARIO_KINDS.map((k) => [k, [...SCENARIO_COMMON_FIELDS, ...SCENARIO_KIND_FIELDS[k]]]),
  ) as Record<ScenarioKind, string[]>,
} as const;

/** Most replicas a scenario starts with or scales to (as a variant's `replicas` knob): every pod is a process here. */
const MAX_REPLICAS = 20;
/** A percentage as Kubernetes writes one for maxSurge and maxUnavailable, 0% to 100%, no leading zeros. */
const PERCENT = /^(100|[1-9]?[0-9])%$/;

function unknownFields(value: Record<string, unknown>, known: string[], path: string, problems: Problems): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      problems.push(`${path ? `${path}.` : ''}${key}: unknown field; expected one of ${known.join(', ')}`);
    }
  }
}

/** Reads a number field; records a problem and returns undefined when it is not in range. */
function number(
  value: unknown,
  path: string,
  problems: Problems,
  opts: { min: number; max: number; integer?: boolean; above?: boolean },
): number | undefined {
  if (value === undefined) return undefined;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!opts.integer || Number.isInteger(value)) &&
    (opts.above ? value > opts.min : value >= opts.min) &&
    value <= opts.max;
  if (ok) return value;
  const kind = opts.integer ? 'a whole number' : 'a number';
  const range = opts.above ? `above ${opts.min} and at most ${opts.max}` : `from ${opts.min} to ${opts.max}`;
  problems.push(`${path}: must be ${kind} ${range}, got ${show(value)}`);
  return undefined;
}

function choice<T extends string>(value: unknown, allowed: readonly T[], path: string, problems: Problems) {
  if (value === undefined) return undefined;
  if (allowed.includes(value as T)) return value as T;
  problems.push(`${path}: must be one of ${allowed.join(', ')}, got ${show(value)}`);
  return undefined;
}

function bilingual(value: unknown, path: string, problems: Problems, fallback: Bilingual): Bilingual {
  if (value === undefined) return fallback;
  if (typeof value === 'string') return { en: value, ja: value };
  if (isRecord(value) && typeof value['en'] === 'string' && typeof value['ja'] === 'string') {
    unknownFields(value, ['en', 'ja'], path, problems);
    return { en: value['en'], ja: value['ja'] };
  }
  problems.push(`${path}: must be a string or { en, ja } strings, got ${show(value)}`);
  return fallback;
}

/** The preStop knob as a Kubernetes handler; its seconds are checked against the grace period. */
function preStopHandler(value: unknown, path: string, grace: number, problems: Problems) {
  if (!isRecord(value)) {
    problems.push(`${path}: must be an object with one of sleepSeconds, execSleepSeconds, sleep, exec, httpGet`);
    return undefined;
  }
  const keys = Object.keys(value);
  const forms = PRESTOP_FORMS;
  unknownFields(value, forms, path, problems);
  const given = keys.filter((k) => forms.includes(k));
  if (given.length !== 1) {
    problems.push(`${path}: must set exactly one handler, found ${given.length === 0 ? 'none' : given.join(' and ')}`);
    return undefined;
  }
  const sleepLimit = (seconds: number | undefined, at: string) => {
    if (seconds !== undefined && seconds > grace) {
      problems.push(
        `${at}: must be less than or equal to terminationGracePeriodSeconds (${grace}), got ${seconds}; ` +
          'Kubernetes rejects it; for a hook that outlives the grace period use execSleepSeconds',
      );
    }
  };
  const seconds = { min: 0, max: 3600, integer: true };
  const handler: V1LifecycleHandler = {};
  if ('sleepSeconds' in value) {
    const s = number(value['sleepSeconds'], `${path}.sleepSeconds`, problems, seconds);
    sleepLimit(s, `${path}.sleepSeconds`);
    if (s !== undefined) handler.sleep = { seconds: s };
  } else if ('sleep' in value) {
    const sleep = value['sleep'];
    if (!isRecord(sleep)) problems.push(`${path}.sleep: must be an object { seconds }, got ${show(sleep)}`);
    else {
      unknownFields(sleep, ['seconds'], `${path}.sleep`, problems);
      if (sleep['seconds'] === undefined) problems.push(`${path}.sleep.seconds: is required`);
      const s = number(sleep['seconds'], `${path}.sleep.seconds`, problems, seconds);
      sleepLimit(s, `${path}.sleep.seconds`);
      if (s !== undefined) handler.sleep = { seconds: s };
    }
  } else if ('execSleepSeconds' in value) {
    const s = number(value['execSleepSeconds'], `${path}.execSleepSeconds`, problems, seconds);
    if (s !== undefined) handler.exec = { command: ['sleep', String(s)] };
  } else if ('exec' in value) {
    const exec = value['exec'];
    const command = isRecord(exec) ? exec['command'] : undefined;
    if (!Array.isArray(command) || command.length === 0 || !command.every((c) => typeof c === 'string')) {
      problems.push(`${path}.exec.command: must be a non-empty list of strings, got ${show(command)}`);
    } else handler.exec = { command: command as string[] };
    if (isRecord(exec)) unknownFields(exec, ['command'], `${path}.exec`, problems);
  } else {
    const get = value['httpGet'];
    if (!isRecord(get) || typeof get['path'] !== 'string' || !String(get['path']).startsWith('/')) {
      problems.push(`${path}.httpGet: must be { path: "/...", port? }, got ${show(get)}`);
    } else {
      unknownFields(get, ['path', 'port'], `${path}.httpGet`, problems);
      const port = get['port'] ?? 'http';
      if (port !== 'http' && port !== 8080) {
        problems.push(`${path}.httpGet.port: must name the container port ("http" or 8080), got ${show(port)}`);
      }
      handler.httpGet = { path: get['path'], port: port as string | number };
    }
  }
  return handler;
}

/** A variant of the file's app from knobs: the app's template with a preStop hook, grace period and replicas. */
function appKnobVariant(app: AppSpec, entry: Record<string, unknown>, name: string, path: string, problems: Problems) {
  for (const key of ['shutdownMode', 'cleanupMs', 'readinessProbe']) {
    if (key in entry) {
      problems.push(`${path}.${key}: does not apply to your app (app:): it does what it does on SIGTERM; leave it out`);
    }
  }
  const grace = number(entry['terminationGracePeriodSeconds'], `${path}.terminationGracePeriodSeconds`, problems, {
    min: 0,
    max: 3600,
    integer: true,
  });
  const replicas = number(entry['replicas'], `${path}.replicas`, problems, { min: 1, max: 20, integer: true });
  const handler =
    entry['preStop'] === undefined
      ? undefined
      : preStopHandler(entry['preStop'], `${path}.preStop`, grace ?? 30, problems);
  const objects = appTemplate(name, app, grace === undefined ? {} : { graceSeconds: grace });
  const spec = objects.deployment.spec!;
  if (replicas !== undefined) spec.replicas = replicas;
  if (handler) spec.template.spec!.containers[0]!.lifecycle = { preStop: handler };
  return objects;
}

/** A variant from knobs: the shared template with the file's changes applied. */
function knobVariant(entry: Record<string, unknown>, name: string, path: string, problems: Problems) {
  const mode = choice(entry['shutdownMode'], ['exit', 'drain', 'ignore'] as const, `${path}.shutdownMode`, problems);
  if (entry['shutdownMode'] === undefined) {
    problems.push(`${path}.shutdownMode: is required (exit, drain or ignore), or give deployment and service`);
  }
  const grace = number(entry['terminationGracePeriodSeconds'], `${path}.terminationGracePeriodSeconds`, problems, {
    min: 0,
    max: 3600,
    integer: true,
  });
  const replicas = number(entry['replicas'], `${path}.replicas`, problems, { min: 1, max: 20, integer: true });
  const cleanupMs = number(entry['cleanupMs'], `${path}.cleanupMs`, problems, { min: 0, max: 600_000, integer: true });
  const probe = entry['readinessProbe'];
  if (probe !== undefined && typeof probe !== 'boolean') {
    problems.push(`${path}.readinessProbe: must be true or false (false removes the probe), got ${show(probe)}`);
  }
  const handler =
    entry['preStop'] === undefined
      ? undefined
      : preStopHandler(entry['preStop'], `${path}.preStop`, grace ?? 30, problems);
  const objects = workloadTemplate({
    name,
    shutdownMode: mode ?? 'drain',
    terminationGracePeriodSeconds: grace,
    cleanupMs,
  });
  const spec = objects.deployment.spec!;
  if (replicas !== undefined) spec.replicas = replicas;
  const container = spec.template.spec!.containers[0]!;
  if (handler) container.lifecycle = { preStop: handler };
  if (probe === false) delete container.readinessProbe;
  return objects;
}

function fullObjects(entry: Record<string, unknown>, name: string, path: string, problems: Problems) {
  const { deployment, service } = entry;
  for (const [key, value] of [
    ['deployment', deployment],
    ['service', service],
  ] as const) {
    if (!isRecord(value)) problems.push(`${path}.${key}: must be a Kubernetes object, got ${show(value)}`);
  }
  if (!isRecord(deployment) || !isRecord(service)) return undefined;
  const labels = isRecord(deployment['metadata']) ? deployment['metadata']['labels'] : undefined;
  if (isRecord(labels) && labels['drainlab/variant'] !== undefined && labels['drainlab/variant'] !== name) {
    problems.push(`${path}.deployment.metadata.labels.drainlab/variant: must equal the variant name "${name}"`);
  }
  return { deployment, service } as Pick<Variant, 'deployment' | 'service'>;
}

function variantEntries(raw: unknown, file: string, problems: Problems, app: AppSpec | undefined) {
  const known = app ? [...VARIANT_NAMES, ...APP_VARIANT_NAMES] : VARIANT_NAMES;
  const names: string[] = [];
  const custom: Variant[] = [];
  const index: Record<string, number> = {};
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || raw.length === 0) {
    problems.push(`variants: must be a non-empty list of catalog names or variant definitions, got ${show(raw)}`);
    return undefined;
  }
  raw.forEach((entry: unknown, i) => {
    const path = `variants[${i}]`;
    if (typeof entry === 'string') {
      if (!known.includes(entry)) {
        problems.push(`${path}: unknown variant "${entry}"; choose from ${known.join(', ')} or define it`);
      }
      if (names.includes(entry)) problems.push(`${path}: variant "${entry}" is listed more than once`);
      names.push(entry);
      return;
    }
    if (!isRecord(entry)) {
      problems.push(`${path}: must be a variant name or a definition { name, ... }, got ${show(entry)}`);
      return;
    }
    const name = definedName(entry, path, 'variant', [...VARIANT_NAMES, ...APP_VARIANT_NAMES], names, problems);
    if (name === undefined) return;
    const usesObjects = OBJECT_FIELDS.some((k) => k in entry);
    const usesKnobs = KNOB_FIELDS.some((k) => k in entry);
    if (usesObjects && usesKnobs) {
      problems.push(
        `${path}: give either knobs (${KNOB_FIELDS.join(', ')}) or full objects (deployment, service), not both`,
      );
      return;
    }
    if (!(app && !usesObjects)) {
      unknownFields(entry, [...TEXT_FIELDS, ...(usesObjects ? OBJECT_FIELDS : KNOB_FIELDS)], path, problems);
    } else {
      const allowed = [...CONFIG_FIELDS.appKnobVariant, 'shutdownMode', 'cleanupMs', 'readinessProbe'];
      unknownFields(entry, allowed, path, problems);
    }
    const expectedSafe = entry['expectedSafe'] ?? false;
    if (typeof expectedSafe !== 'boolean') problems.push(`${path}.expectedSafe: must be true or false`);
    const objects = usesObjects
      ? fullObjects(entry, name, path, problems)
      : app
        ? appKnobVariant(app, entry, name, path, problems)
        : knobVariant(entry, name, path, problems);
    names.push(name);
    if (!objects) return;
    index[name] = i;
    custom.push({
      name,
      summary: bilingual(entry['summary'], `${path}.summary`, problems, {
        en: `Custom variant from ${file}.`,
        ja: `${file} で定義されたカスタムのバリアントです。`,
      }),
      expectation: bilingual(entry['expectation'], `${path}.expectation`, problems, {
        en: 'Defined in the experiment file; no expectation was given.',
        ja: '実験ファイルで定義されたバリアントで、期待される結果は書かれていません。',
      }),
      expectedSafe: expectedSafe === true,
      ...objects,
    });
  });
  return { names, custom, index };
}

/** maxSurge / maxUnavailable: a whole number of pods or a percentage of replicas. */
function intOrPercent(value: unknown, path: string, problems: Problems): number | string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_REPLICAS) return value;
  if (typeof value === 'string' && PERCENT.test(value)) return value;
  problems.push(
    `${path}: must be a whole number of pods from 0 to ${MAX_REPLICAS} or a percentage such as "25%" (0% to 100%), ` +
      `got ${show(value)}`,
  );
  return undefined;
}

const isZero = (v: number | string | undefined) => v === 0 || v === '0%';

/** One scenario the file defines: a catalog kind with its own numbers. */
function scenarioDefinition(
  entry: Record<string, unknown>,
  name: string,
  path: string,
  file: string,
  problems: Problems,
): Scenario | undefined {
  const kind = entry['kind'];
  if (kind === undefined) {
    problems.push(`${path}.kind: is required; one of ${SCENARIO_KINDS.join(', ')}`);
    return undefined;
  }
  if (!SCENARIO_KINDS.includes(kind as ScenarioKind)) {
    problems.push(`${path}.kind: must be one of ${SCENARIO_KINDS.join(', ')}, got ${show(kind)}`);
    return undefined;
  }
  const k = kind as ScenarioKind;
  const before = problems.length;
  unknownFields(entry, CONFIG_FIELDS.scenarioKinds[k], path, problems);
  const fallback = { en: `Custom scenario from ${file}.`, ja: `${file} で定義されたカスタムのシナリオです。` };
  const summary =
    entry['summary'] === undefined ? undefined : bilingual(entry['summary'], `${path}.summary`, problems, fallback);
  const replicasOpts = { min: 1, max: MAX_REPLICAS, integer: true };
  let scenario: Scenario | undefined;
  if (k === 'rolling-update') {
    const replicas = number(entry['replicas'], `${path}.replicas`, problems, replicasOpts) ?? 3;
    const maxSurge = intOrPercent(entry['maxSurge'], `${path}.maxSurge`, problems);
    const maxUnavailable = intOrPercent(entry['maxUnavailable'], `${path}.maxUnavailable`, problems);
    if (isZero(maxSurge) && isZero(maxUnavailable)) {
      problems.push(
        `${path}: maxSurge and maxUnavailable must not both be 0, got maxSurge ${show(maxSurge)} and maxUnavailable ` +
          `${show(maxUnavailable)}; Kubernetes rejects it (no pod could ever be replaced)`,
      );
    }
    const strategy: RollingUpdateFields = {};
    if (maxSurge !== undefined) strategy.maxSurge = maxSurge;
    if (maxUnavailable !== undefined) strategy.maxUnavailable = maxUnavailable;
    scenario = rollingUpdateScenario({
      name,
      replicas,
      ...(Object.keys(strategy).length > 0 ? { strategy } : {}),
      ...(summary ? { summary } : {}),
    });
  } else if (k === 'pod-delete') {
    const replicas = number(entry['replicas'], `${path}.replicas`, problems, replicasOpts) ?? 3;
    const count = number(entry['count'], `${path}.count`, problems, replicasOpts) ?? 1;
    if (count > replicas) {
      problems.push(`${path}.count: must be at most replicas (${replicas}), got ${count}; only ${replicas} pods exist`);
    }
    const grace = number(entry['gracePeriodSeconds'], `${path}.gracePeriodSeconds`, problems, {
      min: 0,
      max: 3600,
      integer: true,
    });
    scenario = podDeleteScenario({
      name,
      replicas,
      count,
      ...(grace === undefined ? {} : { gracePeriodSeconds: grace }),
      ...(summary ? { summary } : {}),
    });
  } else {
    const from = number(entry['from'], `${path}.from`, problems, replicasOpts) ?? 3;
    if (entry['to'] === undefined)
      problems.push(`${path}.to: is required (replicas to scale to, 1 to ${MAX_REPLICAS})`);
    // At least 1: with 0 no pod is left to serve, and every later request fails whatever the variant does.
    const to = number(entry['to'], `${path}.to`, problems, replicasOpts);
    if (to !== undefined && to === from) {
      problems.push(
        `${path}.to: must differ from from (${from}), got ${to}; scaling to the same count changes nothing`,
      );
    }
    scenario = scaleScenario({ name, from, to: to ?? from, ...(summary ? { summary } : {}) });
  }
  return problems.length === before ? scenario : undefined;
}

function scenarioEntries(raw: unknown, file: string, problems: Problems) {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || raw.length === 0) {
    problems.push(`scenarios: must be a non-empty list of catalog names or scenario definitions, got ${show(raw)}`);
    return undefined;
  }
  const names: string[] = [];
  const custom: Scenario[] = [];
  raw.forEach((entry: unknown, i) => {
    const path = `scenarios[${i}]`;
    if (typeof entry === 'string') {
      if (!SCENARIO_NAMES.includes(entry)) {
        problems.push(
          `${path}: unknown scenario "${entry}"; choose from ${SCENARIO_NAMES.join(', ')} or define it ` +
            `{ name, kind: ${SCENARIO_KINDS.join(' | ')}, ... }`,
        );
      }
      if (names.includes(entry)) problems.push(`${path}: scenario "${entry}" is listed more than once`);
      names.push(entry);
      return;
    }
    if (!isRecord(entry)) {
      problems.push(`${path}: must be a scenario name or a definition { name, kind, ... }, got ${show(entry)}`);
      return;
    }
    const name = definedName(entry, path, 'scenario', SCENARIO_NAMES, names, problems);
    if (name === undefined) return;
    names.push(name);
    const scenario = scenarioDefinition(entry, name, path, file, problems);
    if (scenario) custom.push(scenario);
  });
  return { names, custom };
}

function workMs(value: unknown, problems: Problems): { min: number; max: number } | undefined {
  if (value === undefined) return undefined;
  const range = typeof value === 'number' ? { min: value, max: value } : isRecord(value) ? value : undefined;
  const min = range?.['min'];
  const max = range?.['max'];
  const ok = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 60_000;
  if (!range || !ok(min) || !ok(max) || (min as number) > (max as number)) {
    problems.push(`load.workMs: must be N or { min, max } whole ms up to 60000 with min <= max, got ${show(value)}`);
    return undefined;
  }
  return { min: min as number, max: max as number };
}

function loadProfile(raw: unknown, problems: Problems): Partial<LoadProfile> {
  if (raw === undefined) return {};
  if (!isRecord(raw)) {
    problems.push(`load: must be an object with ${LOAD_FIELDS.join(', ')}, got ${show(raw)}`);
    return {};
  }
  unknownFields(raw, LOAD_FIELDS, 'load', problems);
  const keepAlive = raw['keepAlive'];
  if (keepAlive !== undefined && typeof keepAlive !== 'boolean') {
    problems.push(`load.keepAlive: must be true or false, got ${show(keepAlive)}`);
  }
  const out: Partial<LoadProfile> = {
    rate: number(raw['rate'], 'load.rate', problems, { min: 0, max: 10_000, above: true }),
    durationSeconds: number(raw['durationSeconds'], 'load.durationSeconds', problems, {
      min: 0,
      max: 3600,
      above: true,
    }),
    warmupSeconds: number(raw['warmupSeconds'], 'load.warmupSeconds', problems, { min: 0, max: 600 }),
    cooldownSeconds: number(raw['cooldownSeconds'], 'load.cooldownSeconds', problems, { min: 0, max: 600 }),
    keepAlive: typeof keepAlive === 'boolean' ? keepAlive : undefined,
    method: choice(raw['method'], ['POST', 'GET'] as const, 'load.method', problems),
    timeoutMs: number(raw['timeoutMs'], 'load.timeoutMs', problems, { min: 10, max: 120_000, integer: true }),
    workMs: workMs(raw['workMs'], problems),
    maxVUs: number(raw['maxVUs'], 'load.maxVUs', problems, { min: 1, max: 10_000, integer: true }),
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as Partial<LoadProfile>;
}

/**
 * Validates a parsed experiment file and reports every problem at once, each with its path in the file
 * (`variants[2].preStop.sleep.seconds: ...`). `file` only names the file in default texts.
 */
export function validateConfig(raw: unknown, file: string): { config: ExperimentConfig; problems: string[] } {
  const problems: Problems = [];
  const empty: ExperimentConfig = {
    customVariants: [],
    customVariantIndex: {},
    customScenarios: [],
    load: {},
    warnings: [],
  };
  if (raw === null || raw === undefined) return { config: empty, problems };
  if (!isRecord(raw)) {
    problems.push(`(top level): must be a mapping of ${TOP_FIELDS.join(', ')}, got ${show(raw)}`);
    return { config: empty, problems };
  }
  unknownFields(raw, TOP_FIELDS, '', problems);
  const app = appSection(raw['app'], problems);
  // An app section with problems still makes the variants app variants, so that each problem is said once.
  const placeholder = raw['app'] === undefined ? undefined : validateApp({ command: 'app' }, 'file').spec;
  const variants = variantEntries(raw['variants'], file, problems, app ?? placeholder);
  const scenarios = scenarioEntries(raw['scenarios'], file, problems);
  const schema = raw['$schema'];
  if (schema !== undefined && typeof schema !== 'string') {
    problems.push(`$schema: must be the path or URL of the JSON Schema, got ${show(schema)}`);
  }
  const out = raw['out'];
  if (out !== undefined && (typeof out !== 'string' || out.trim() === '')) {
    problems.push(`out: must be a folder path, got ${show(out)}`);
  }
  const config: ExperimentConfig = {
    platform: choice(raw['platform'], ['local', 'kind'] as const, 'platform', problems),
    variants: variants?.names,
    customVariants: variants?.custom ?? [],
    customVariantIndex: variants?.index ?? {},
    scenarios: scenarios?.names,
    customScenarios: scenarios?.custom ?? [],
    repeat: number(raw['repeat'], 'repeat', problems, { min: 1, max: 1000, integer: true }),
    seed: number(raw['seed'], 'seed', problems, { min: 0, max: 2 ** 32 - 1, integer: true }),
    parallel: number(raw['parallel'], 'parallel', problems, { min: 1, max: 32, integer: true }),
    timeScale: number(raw['timeScale'], 'timeScale', problems, { min: 0.01, max: 10 }),
    out: typeof out === 'string' && out.trim() !== '' ? out : undefined,
    load: loadProfile(raw['load'], problems),
    warnings: [],
    ...(app ? { app } : {}),
  };
  config.warnings = config.customVariants.flatMap((v) =>
    variantWarnings(v).map((w) => `variants[${config.customVariantIndex[v.name]}] (${v.name}): ${w}`),
  );
  return { config, problems };
}

/** The file's `app:` section, validated with paths like `app.request.path`. */
function appSection(raw: unknown, problems: Problems): AppSpec | undefined {
  if (raw === undefined) return undefined;
  if (!isRecord(raw)) {
    problems.push(`app: must be a mapping of ${APP_FIELDS.join(', ')}, got ${show(raw)}`);
    return undefined;
  }
  unknownFields(raw, [...APP_FIELDS], 'app', problems);
  const checked = validateApp(raw, 'file');
  problems.push(...checked.problems);
  return checked.spec;
}

/**
 * The `name` of a variant or scenario the file defines: a lowercase name, not one of the catalog's, not defined
 * twice (both reported, the name still returned). Undefined, with the problem, when it is no usable name.
 */
function definedName(
  entry: Record<string, unknown>,
  path: string,
  what: 'variant' | 'scenario',
  catalog: readonly string[],
  names: readonly string[],
  problems: string[],
): string | undefined {
  const name = entry['name'];
  if (typeof name !== 'string' || !NAME.test(name) || name.length > 63) {
    problems.push(
      `${path}.name: must be a lowercase name like my-${what} (a-z, 0-9, -; at most 63), got ${show(name)}`,
    );
    return undefined;
  }
  if (catalog.includes(name)) {
    problems.push(`${path}.name: "${name}" is a catalog ${what}; give the new ${what} another name`);
  }
  if (names.includes(name)) problems.push(`${path}.name: ${what} "${name}" is defined more than once`);
  return name;
}
