import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatJson } from './format-json.ts';
import { formatSarif } from './format-sarif.ts';
import { BLIND_SPOT, formatText } from './format-text.ts';
import { checkSources } from './run-check.ts';
import { RULES } from './rules.ts';
import { manifest, yamlOf } from './testing/manifests.ts';

/** Two workloads: one with three findings (error, warning, error), one clean. */
const flawed = yamlOf([
  ...manifest({
    container: { lifecycle: undefined, readinessProbe: undefined, command: ['sh', '-c', 'node a'] },
  }),
]);
const clean = yamlOf(
  manifest().map((o) =>
    o.kind === 'Deployment' ? { ...o, metadata: { name: 'api', namespace: 'shop' } } : { ...o, kind: 'ConfigMap' },
  ),
);
const report = checkSources([
  { name: 'flawed.yaml', text: flawed },
  { name: 'clean.yaml', text: clean },
]);

/**
 * The part of the SARIF 2.1.0 schema (https://docs.oasis-open.org/sarif/sarif/v2.1.0/) that code-scanning tools read
 * from check's output, written out by hand: required keys, types and the level vocabulary.
 */
const SARIF_SUBSET = {
  type: 'object',
  required: ['version', 'runs'],
  properties: {
    $schema: { type: 'string' },
    version: { const: '2.1.0' },
    runs: {
      type: 'array',
      minItems: 1,
      maxItems: 1,
      items: {
        type: 'object',
        required: ['tool', 'results'],
        properties: {
          tool: {
            type: 'object',
            required: ['driver'],
            properties: {
              driver: {
                type: 'object',
                required: ['name', 'rules'],
                properties: {
                  name: { type: 'string' },
                  version: { type: 'string' },
                  rules: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['id', 'shortDescription', 'help'],
                      properties: {
                        id: { type: 'string' },
                        shortDescription: { $ref: '#/$defs/message' },
                        fullDescription: { $ref: '#/$defs/message' },
                        help: { $ref: '#/$defs/message' },
                        defaultConfiguration: {
                          type: 'object',
                          properties: { level: { $ref: '#/$defs/level' } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
          results: {
            type: 'array',
            items: {
              type: 'object',
              required: ['ruleId', 'level', 'message', 'locations'],
              properties: {
                ruleId: { type: 'string' },
                ruleIndex: { type: 'integer', minimum: 0 },
                level: { $ref: '#/$defs/level' },
                message: { $ref: '#/$defs/message' },
                locations: {
                  type: 'array',
                  minItems: 1,
                  items: {
                    type: 'object',
                    required: ['physicalLocation'],
                    properties: {
                      physicalLocation: {
                        type: 'object',
                        required: ['artifactLocation', 'region'],
                        properties: {
                          artifactLocation: {
                            type: 'object',
                            required: ['uri'],
                            properties: { uri: { type: 'string', minLength: 1 } },
                          },
                          region: {
                            type: 'object',
                            required: ['startLine'],
                            properties: { startLine: { type: 'integer', minimum: 1 } },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
  $defs: {
    message: { type: 'object', required: ['text'], properties: { text: { type: 'string', minLength: 1 } } },
    level: { enum: ['none', 'note', 'warning', 'error'] },
  },
};

describe('text format', () => {
  const text = formatText(report, 'error');

  it('groups the findings per object, each with severity, rule id, why with the course fact, and the fix as YAML', () => {
    expect(text.startsWith('flawed.yaml:1: Deployment/web\n')).toBe(true);
    expect(text).not.toContain('Deployment/api'); // clean objects are only counted
    for (const id of ['no-prestop-hook', 'shell-without-exec', 'no-readiness-probe']) {
      expect(text).toMatch(new RegExp(`^  (error|warning) +${id} \\(container web, line \\d+\\)$`, 'm'));
    }
    expect(text).toMatch(/^ {10}why: {2}\S/m);
    expect(text).toMatch(/^ {16}course §3: /m);
    expect(text).toMatch(/^ {10}fix: {2}\S/m);
    // The patch under a fix is YAML a strategic-merge patch takes.
    const block = text.split('\n');
    const start = block.findIndex((l) => /^ {16}spec:$/.test(l));
    const lines: string[] = [];
    for (let i = start; i < block.length && block[i]!.startsWith(' '.repeat(16)); i++) lines.push(block[i]!.slice(16));
    expect(parse(lines.join('\n'))).toEqual({
      spec: {
        template: { spec: { containers: [{ name: 'web', lifecycle: { preStop: { sleep: { seconds: 5 } } } }] } },
      },
    });
    expect(text).toContain('kubectl patch deployment web --type strategic --patch-file fix.yaml');
  });

  it('ends with the count and the one thing a static check cannot see', () => {
    const lines = text.trimEnd().split('\n');
    expect(lines.at(-2)).toBe(
      '3 findings (2 errors, 1 warning, 0 info) in 2 workloads in flawed.yaml, clean.yaml; --fail-on error.',
    );
    expect(lines.at(-1)).toBe(`info: ${BLIND_SPOT}.`);
    expect(BLIND_SPOT).toMatch(/cannot see what the app does on SIGTERM.*npm run experiment measures it/);
  });

  it('says so when there is nothing to report', () => {
    const none = checkSources([{ name: 'clean.yaml', text: clean }]);
    expect(formatText(none, 'error')).toBe(`No findings in 1 workload in clean.yaml.\ninfo: ${BLIND_SPOT}.\n`);
  });
});

describe('json format', () => {
  it('has the documented shape', () => {
    const body = JSON.parse(formatJson(report, 'warning')) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual([
      'schemaVersion',
      'tool',
      'inputs',
      'objects',
      'findings',
      'summary',
      'rules',
      'notSeen',
    ]);
    expect(body.schemaVersion).toBe(1);
    expect(body.inputs).toEqual(['flawed.yaml', 'clean.yaml']);
    expect(body.objects).toEqual([
      { kind: 'Deployment', name: 'web', namespace: null, file: 'flawed.yaml', line: 1 },
      { kind: 'Deployment', name: 'api', namespace: 'shop', file: 'clean.yaml', line: 1 },
    ]);
    expect(body.summary).toEqual({ error: 2, warning: 1, info: 0, failOn: 'warning', failed: true });
    const findings = body.findings as Record<string, unknown>[];
    expect(findings).toHaveLength(3);
    expect(Object.keys(findings[0]!)).toEqual([
      'ruleId',
      'severity',
      'file',
      'line',
      'object',
      'container',
      'message',
      'why',
      'course',
      'fix',
    ]);
    const fix = findings[0]!.fix as { patch: unknown; patchYaml: string };
    expect(parse(fix.patchYaml)).toEqual(fix.patch);
    expect((body.rules as { id: string }[]).map((r) => r.id)).toEqual(RULES.map((r) => r.id));
  });
});

describe('sarif format', () => {
  const sarif = JSON.parse(formatSarif(report, '/work')) as {
    runs: { tool: { driver: { rules: { id: string }[] } }; results: Record<string, unknown>[] }[];
  };

  it('validates against the hand-written subset of the SARIF 2.1.0 schema', () => {
    const validate = new Ajv2020({ allErrors: true, strict: true }).compile(SARIF_SUBSET);
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    // The subset is strict enough to catch a missing startLine or an unknown level.
    const broken = structuredClone(sarif);
    (broken.runs[0]!.results[0] as { level: string }).level = 'info';
    expect(validate(broken)).toBe(false);
  });

  it('lists every rule, and each result points at its rule, file and line', () => {
    const run = sarif.runs[0]!;
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    expect(run.results).toHaveLength(3);
    for (const [i, result] of run.results.entries()) {
      const finding = report.findings[i]!;
      expect(result.ruleId).toBe(finding.ruleId);
      expect(run.tool.driver.rules[result.ruleIndex as number]!.id).toBe(finding.ruleId);
      expect(result.level).toBe(finding.severity === 'info' ? 'note' : finding.severity);
      expect(result.locations).toEqual([
        { physicalLocation: { artifactLocation: { uri: 'flawed.yaml' }, region: { startLine: finding.line } } },
      ]);
    }
  });

  it('makes URIs relative inside the working folder, file: URIs outside, and stdin', () => {
    const at = (file: string, cwd: string) => {
      const r = checkSources([{ name: file, text: flawed }]);
      const out = JSON.parse(formatSarif(r, cwd)) as typeof sarif;
      return (out.runs[0]!.results[0]!.locations as { physicalLocation: { artifactLocation: { uri: string } } }[])[0]!
        .physicalLocation.artifactLocation.uri;
    };
    expect(at('deploy/my app.yaml', '/repo')).toBe('deploy/my%20app.yaml');
    expect(at('/repo/deploy/a.yaml', '/repo')).toBe('deploy/a.yaml');
    expect(at('/elsewhere/a.yaml', '/repo')).toBe('file:///elsewhere/a.yaml');
    expect(at('<stdin>', '/repo')).toBe('stdin');
  });
});
