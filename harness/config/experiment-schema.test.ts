import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_LOAD_PROFILE } from '../model/load-profile.ts';
import { SCENARIO_NAMES } from '../scenarios/catalog.ts';
import { VARIANT_NAMES } from '../variants/catalog.ts';
import { CONFIG_FIELDS, validateConfig } from './validate-config.ts';

// The JSON Schema is what editors use; validateConfig is what the harness uses. These tests keep them saying the
// same thing: the same keys in every block, the same catalog names, and the same verdict on every fixture below.

const ROOT = path.resolve(import.meta.dirname, '../..');
const SCHEMA_FILE = path.join(ROOT, 'harness/config/experiment.schema.json');
const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Schema;
const ajv = new Ajv2020({ allErrors: true, strict: true, allowMatchingProperties: true });
const schemaValid = ajv.compile(schema);

interface Schema {
  properties?: Record<string, Schema>;
  $defs?: Record<string, Schema>;
  enum?: unknown[];
  default?: unknown;
  [key: string]: unknown;
}
const defs = schema.$defs!;
const keys = (s: Schema | undefined) => Object.keys(s?.properties ?? {}).sort();
const sorted = (list: readonly string[]) => [...list].sort();

const validator = (raw: unknown) => validateConfig(raw, 'fixture.yaml').problems;
const bySchema = (raw: unknown) => {
  schemaValid(raw);
  return schemaValid.errors ?? [];
};

describe('the JSON Schema and the validator accept the same keys', () => {
  it('is a valid draft 2020-12 schema', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(ajv.validateSchema(schema)).toBe(true);
  });

  it('in every block of the file', () => {
    expect(keys(schema)).toEqual(sorted(CONFIG_FIELDS.top));
    expect(keys(defs['load'])).toEqual(sorted(CONFIG_FIELDS.load));
    expect(keys(defs['knobVariant'])).toEqual(sorted(CONFIG_FIELDS.knobVariant));
    expect(keys(defs['objectVariant'])).toEqual(sorted(CONFIG_FIELDS.objectVariant));
    expect(keys(defs['preStop'])).toEqual(sorted(CONFIG_FIELDS.preStop));
    const preStop = defs['preStop']!.properties!;
    expect(keys(preStop['sleep'])).toEqual(sorted(CONFIG_FIELDS.preStopSleep));
    expect(keys(preStop['exec'])).toEqual(sorted(CONFIG_FIELDS.preStopExec));
    expect(keys(preStop['httpGet'])).toEqual(sorted(CONFIG_FIELDS.preStopHttpGet));
    const objectForm = (anyOf: unknown) => (anyOf as Schema[]).find((s) => s.type === 'object');
    expect(keys(objectForm(defs['workMs']!['anyOf']))).toEqual(sorted(CONFIG_FIELDS.workMs));
    expect(keys(objectForm(defs['bilingual']!['anyOf']))).toEqual(sorted(CONFIG_FIELDS.bilingual));
  });

  it('for every scenario kind, and no kind more or less', () => {
    const kinds = Object.values(defs)
      .map((d) => (d.properties?.['kind'] as Schema | undefined)?.['const'])
      .filter((k): k is string => typeof k === 'string');
    expect(sorted(kinds)).toEqual(sorted(Object.keys(CONFIG_FIELDS.scenarioKinds)));
    for (const [kind, fields] of Object.entries(CONFIG_FIELDS.scenarioKinds)) {
      const def = Object.values(defs).find((d) => (d.properties?.['kind'] as Schema | undefined)?.['const'] === kind);
      expect(keys(def), kind).toEqual(sorted(fields));
    }
  });

  it('names the catalog variants and scenarios the harness has', () => {
    expect(defs['catalogVariant']!.enum).toEqual([...VARIANT_NAMES]);
    expect(defs['catalogScenario']!.enum).toEqual([...SCENARIO_NAMES]);
  });

  it('documents the load defaults the harness uses', () => {
    const load = defs['load']!.properties!;
    for (const [field, value] of Object.entries(DEFAULT_LOAD_PROFILE)) {
      if (field === 'maxVUs') continue; // depends on the rate; described in words instead
      expect(load[field]!.default, field).toEqual(value);
    }
  });
});

/** Files both must accept. */
const VALID: [string, unknown][] = [
  ['an empty mapping', {}],
  ['$schema for JSON editors', { $schema: './experiment.schema.json', repeat: 2 }],
  ['everything at the top', { platform: 'kind', repeat: 3, seed: 0, parallel: 2, timeScale: 0.25, out: 'runs/a' }],
  [
    'a knob variant with every knob',
    {
      variants: [
        'baseline',
        {
          name: 'mine',
          summary: { en: 'a', ja: 'あ' },
          expectation: 'b',
          expectedSafe: true,
          shutdownMode: 'drain',
          preStop: { httpGet: { path: '/prestop?seconds=2', port: 8080 } },
          terminationGracePeriodSeconds: 10,
          replicas: 2,
          cleanupMs: 100,
          readinessProbe: false,
        },
      ],
    },
  ],
  ['every preStop form (1)', { variants: [{ name: 'a', shutdownMode: 'exit', preStop: { sleep: { seconds: 3 } } }] }],
  [
    'every preStop form (2)',
    { variants: [{ name: 'a', shutdownMode: 'exit', preStop: { exec: { command: ['x'] } } }] },
  ],
  ['every preStop form (3)', { variants: [{ name: 'a', shutdownMode: 'exit', preStop: { execSleepSeconds: 40 } }] }],
  ['an object variant', { variants: [{ name: 'obj', deployment: { kind: 'Deployment' }, service: {} }] }],
  [
    'every scenario kind with every field',
    {
      scenarios: [
        'scale-down',
        { name: 'r', kind: 'rolling-update', replicas: 4, maxSurge: '25%', maxUnavailable: 1, summary: 's' },
        { name: 'd', kind: 'pod-delete', replicas: 5, count: 5, gracePeriodSeconds: 0 },
        { name: 'u', kind: 'scale', from: 2, to: 6 },
        { name: 'x', kind: 'scale', to: 1 },
        { name: 'm', kind: 'rolling-update', maxSurge: 0 },
      ],
    },
  ],
  [
    'every load field',
    {
      load: {
        rate: 0.5,
        durationSeconds: 1.5,
        warmupSeconds: 0,
        cooldownSeconds: 0,
        keepAlive: false,
        method: 'GET',
        timeoutMs: 500,
        workMs: { min: 0, max: 10 },
        maxVUs: 1,
      },
    },
  ],
  ['a fixed work time', { load: { workMs: 20 } }],
];

/** Files both must refuse, one rule each, with the validator's message. */
const INVALID: [string, unknown, RegExp][] = [
  ['not a mapping', ['baseline'], /\(top level\): must be a mapping/],
  ['unknown top-level key', { varients: [] }, /^varients: unknown field; expected one of \$schema, platform/],
  ['$schema not a string', { $schema: 1 }, /^\$schema: must be the path or URL of the JSON Schema, got 1/],
  ['unknown platform', { platform: 'gke' }, /^platform: must be one of local, kind, got "gke"/],
  ['repeat of the wrong type', { repeat: '3' }, /^repeat: must be a whole number from 1 to 1000, got "3"/],
  ['repeat out of range', { repeat: 0 }, /^repeat: must be a whole number from 1 to 1000, got 0/],
  ['seed not whole', { seed: 1.5 }, /^seed: must be a whole number/],
  ['parallel out of range', { parallel: 33 }, /^parallel: must be a whole number from 1 to 32, got 33/],
  ['timeScale out of range', { timeScale: 0 }, /^timeScale: must be a number from 0.01 to 10, got 0/],
  ['blank out', { out: '  ' }, /^out: must be a folder path/],
  ['empty variants', { variants: [] }, /^variants: must be a non-empty list/],
  ['unknown catalog variant', { variants: ['nope'] }, /^variants\[0\]: unknown variant "nope"/],
  ['duplicate catalog variant', { variants: ['baseline', 'baseline'] }, /variant "baseline" is listed more than once/],
  [
    'variant name clash with the catalog',
    { variants: [{ name: 'baseline', shutdownMode: 'exit' }] },
    /^variants\[0\]\.name: "baseline" is a catalog variant/,
  ],
  ['bad variant name', { variants: [{ name: 'My_V', shutdownMode: 'exit' }] }, /^variants\[0\]\.name: must be/],
  ['missing shutdownMode', { variants: [{ name: 'a' }] }, /^variants\[0\]\.shutdownMode: is required/],
  [
    'unknown knob',
    { variants: [{ name: 'a', shutdownMode: 'exit', livenessProbe: true }] },
    /^variants\[0\]\.livenessProbe: unknown field/,
  ],
  [
    'knobs and objects mixed',
    { variants: [{ name: 'a', shutdownMode: 'exit', deployment: {}, service: {} }] },
    /^variants\[0\]: give either knobs/,
  ],
  [
    'grace out of range',
    { variants: [{ name: 'a', shutdownMode: 'exit', terminationGracePeriodSeconds: -1 }] },
    /terminationGracePeriodSeconds: must be a whole number from 0 to 3600, got -1/,
  ],
  [
    'two preStop handlers',
    { variants: [{ name: 'a', shutdownMode: 'exit', preStop: { sleepSeconds: 1, execSleepSeconds: 1 } }] },
    /preStop: must set exactly one handler/,
  ],
  [
    'httpGet path without a slash',
    { variants: [{ name: 'a', shutdownMode: 'exit', preStop: { httpGet: { path: 'prestop' } } }] },
    /preStop\.httpGet: must be \{ path: "\/\.\.\.", port\? \}/,
  ],
  [
    'summary of the wrong shape',
    { variants: [{ name: 'a', shutdownMode: 'exit', summary: { en: 'x' } }] },
    /summary: must be a string or \{ en, ja \} strings/,
  ],
  ['object variant without service', { variants: [{ name: 'a', deployment: {} }] }, /service: must be a Kubernetes/],
  ['empty scenarios', { scenarios: [] }, /^scenarios: must be a non-empty list/],
  ['unknown catalog scenario', { scenarios: ['node-drain'] }, /^scenarios\[0\]: unknown scenario "node-drain"/],
  ['duplicate scenario', { scenarios: ['pod-delete', 'pod-delete'] }, /scenario "pod-delete" is listed more than/],
  [
    'scenario name clash with the catalog',
    { scenarios: [{ name: 'pod-delete', kind: 'pod-delete', count: 2 }] },
    /^scenarios\[0\]\.name: "pod-delete" is a catalog scenario; give the new scenario another name/,
  ],
  ['bad scenario name', { scenarios: [{ name: 'A b', kind: 'scale', to: 1 }] }, /^scenarios\[0\]\.name: must be/],
  ['scenario without kind', { scenarios: [{ name: 'a' }] }, /^scenarios\[0\]\.kind: is required; one of/],
  [
    'unknown scenario kind',
    { scenarios: [{ name: 'a', kind: 'node-drain' }] },
    /^scenarios\[0\]\.kind: must be one of rolling-update, pod-delete, scale, got "node-drain"/,
  ],
  [
    'a field of another kind',
    { scenarios: [{ name: 'a', kind: 'scale', to: 1, count: 2 }] },
    /^scenarios\[0\]\.count: unknown field; expected one of name, kind, summary, from, to/,
  ],
  [
    'replicas out of range',
    { scenarios: [{ name: 'a', kind: 'rolling-update', replicas: 21 }] },
    /^scenarios\[0\]\.replicas: must be a whole number from 1 to 20, got 21/,
  ],
  [
    'maxSurge of the wrong form',
    { scenarios: [{ name: 'a', kind: 'rolling-update', maxSurge: '1.5' }] },
    /^scenarios\[0\]\.maxSurge: must be a whole number of pods from 0 to 20 or a percentage such as "25%" \(0% to 100%\), got "1\.5"/,
  ],
  [
    'maxUnavailable above 100%',
    { scenarios: [{ name: 'a', kind: 'rolling-update', maxUnavailable: '150%' }] },
    /^scenarios\[0\]\.maxUnavailable: must be a whole number of pods/,
  ],
  [
    'maxSurge and maxUnavailable both 0',
    { scenarios: [{ name: 'a', kind: 'rolling-update', maxSurge: '0%', maxUnavailable: 0 }] },
    /^scenarios\[0\]: maxSurge and maxUnavailable must not both be 0, got maxSurge "0%" and maxUnavailable 0/,
  ],
  [
    'count of the wrong type',
    { scenarios: [{ name: 'a', kind: 'pod-delete', count: 'two' }] },
    /^scenarios\[0\]\.count: must be a whole number from 1 to 20, got "two"/,
  ],
  [
    'grace period override negative',
    { scenarios: [{ name: 'a', kind: 'pod-delete', gracePeriodSeconds: -1 }] },
    /^scenarios\[0\]\.gracePeriodSeconds: must be a whole number from 0 to 3600, got -1/,
  ],
  ['scale without to', { scenarios: [{ name: 'a', kind: 'scale', from: 2 }] }, /^scenarios\[0\]\.to: is required/],
  [
    'scale to 0',
    { scenarios: [{ name: 'a', kind: 'scale', to: 0 }] },
    /^scenarios\[0\]\.to: must be a whole number from 1 to 20, got 0/,
  ],
  ['load not a mapping', { load: 100 }, /^load: must be an object/],
  ['unknown load key', { load: { rps: 10 } }, /^load\.rps: unknown field/],
  ['rate out of range', { load: { rate: 0 } }, /^load\.rate: must be a number above 0 and at most 10000, got 0/],
  ['keepAlive of the wrong type', { load: { keepAlive: 'yes' } }, /^load\.keepAlive: must be true or false/],
  ['unknown method', { load: { method: 'PUT' } }, /^load\.method: must be one of POST, GET, got "PUT"/],
  ['timeoutMs not whole', { load: { timeoutMs: 10.5 } }, /^load\.timeoutMs: must be a whole number/],
  ['workMs of the wrong shape', { load: { workMs: { min: 1 } } }, /^load\.workMs: must be N or \{ min, max \}/],
  ['maxVUs out of range', { load: { maxVUs: 0 } }, /^load\.maxVUs: must be a whole number from 1 to 10000, got 0/],
];

/**
 * Rules that relate two fields or several entries, which JSON Schema cannot state: only the validator refuses
 * these, and the schema must at least accept them (so an editor never flags a file the harness would run).
 */
const VALIDATOR_ONLY: [string, unknown, RegExp][] = [
  [
    'native preStop sleep longer than the grace period',
    {
      variants: [{ name: 'a', shutdownMode: 'drain', terminationGracePeriodSeconds: 5, preStop: { sleepSeconds: 6 } }],
    },
    /preStop\.sleepSeconds: must be less than or equal to terminationGracePeriodSeconds \(5\), got 6/,
  ],
  [
    'two variants of one name',
    {
      variants: [
        { name: 'a', shutdownMode: 'exit' },
        { name: 'a', shutdownMode: 'drain' },
      ],
    },
    /^variants\[1\]\.name: variant "a" is defined more than once/,
  ],
  [
    'two scenarios of one name',
    {
      scenarios: [
        { name: 'a', kind: 'scale', to: 1 },
        { name: 'a', kind: 'scale', to: 2 },
      ],
    },
    /^scenarios\[1\]\.name: scenario "a" is defined more than once/,
  ],
  [
    'deleting more pods than there are',
    { scenarios: [{ name: 'a', kind: 'pod-delete', replicas: 2, count: 3 }] },
    /^scenarios\[0\]\.count: must be at most replicas \(2\), got 3; only 2 pods exist/,
  ],
  [
    'deleting more pods than the default 3',
    { scenarios: [{ name: 'a', kind: 'pod-delete', count: 4 }] },
    /^scenarios\[0\]\.count: must be at most replicas \(3\), got 4/,
  ],
  [
    'scaling to the count it starts from',
    { scenarios: [{ name: 'a', kind: 'scale', from: 3, to: 3 }] },
    /^scenarios\[0\]\.to: must differ from from \(3\), got 3/,
  ],
  ['workMs min above max', { load: { workMs: { min: 9, max: 1 } } }, /^load\.workMs: must be N or \{ min, max \}/],
  [
    'variant label not the variant name',
    {
      variants: [{ name: 'a', deployment: { metadata: { labels: { 'drainlab/variant': 'b' } } }, service: {} }],
    },
    /deployment\.metadata\.labels\.drainlab\/variant: must equal the variant name "a"/,
  ],
];

const EXAMPLES = readdirSync(path.join(ROOT, 'examples')).filter((f) => /\.ya?ml$/.test(f));

describe('both accept', () => {
  it.each(EXAMPLES)('examples/%s, which names the schema for editors', (file) => {
    const text = readFileSync(path.join(ROOT, 'examples', file), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../harness/config/experiment.schema.json');
    const raw = parse(text) as unknown;
    expect(validator(raw)).toEqual([]);
    expect(bySchema(raw)).toEqual([]);
  });

  it.each(VALID)('%s', (_name, raw) => {
    expect(validator(raw)).toEqual([]);
    expect(bySchema(raw)).toEqual([]);
  });
});

describe('both refuse, and the validator says what it expected and what it found, once', () => {
  it.each(INVALID)('%s', (_name, raw, message) => {
    const problems = validator(raw);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
    expect(bySchema(raw).length).toBeGreaterThan(0);
  });
});

describe('only the validator refuses (rules across fields)', () => {
  it.each(VALIDATOR_ONLY)('%s', (_name, raw, message) => {
    const problems = validator(raw);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
    expect(bySchema(raw)).toEqual([]);
  });
});
