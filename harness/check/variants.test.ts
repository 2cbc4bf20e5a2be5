import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSources } from './run-check.ts';

const DIR = path.resolve(import.meta.dirname, '../../manifests/variants');

/**
 * What check must report on each generated variant manifest (manifests/variants/, from harness/variants/catalog.ts):
 * its known flaw where a manifest can show it, nothing where the flaw is in the app's code. A variant file without
 * an entry fails the test, so a new variant gets its expectation written down.
 */
const EXPECTED: Record<string, { ruleIds: string[]; note: string }> = {
  baseline: { ruleIds: ['no-prestop-hook'], note: 'no preStop hook behind the Service' },
  'drain-only': { ruleIds: ['no-prestop-hook'], note: 'no preStop hook: the app drains, but SIGTERM comes too early' },
  'prestop-drain': { ruleIds: [], note: 'the recommended setup: nothing to report' },
  'prestop-exceeds-grace': { ruleIds: ['prestop-at-or-over-grace'], note: 'exec sleep 40 with a 30 s grace period' },
  'prestop-10s': {
    ruleIds: ['grace-too-short'],
    note: 'preStop 10 s + the app’s 25 s (annotation) over a 30 s grace period',
  },
  // The flaws of these two are in the app's code (SHUTDOWN_MODE): it exits at once on SIGTERM, or ignores SIGTERM.
  // A static check sees the same manifest as a correct one, which is why the text output ends by saying so and
  // pointing at npm run experiment. ignore-sigterm also has no preStop hook, which check does see.
  'prestop-only': { ruleIds: [], note: 'exits at once on SIGTERM: in the app, not visible here' },
  'ignore-sigterm': {
    ruleIds: ['no-prestop-hook'],
    note: 'ignores SIGTERM: in the app, not visible here; no preStop hook: visible',
  },
};

const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));

describe('check on every manifest in manifests/variants/', () => {
  it('finds the variant files', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  for (const file of files) {
    const variant = file.replace(/\.yaml$/, '');
    it(`${variant}: ${EXPECTED[variant]?.note ?? 'no expectation written down'}`, () => {
      expect(EXPECTED[variant], `add ${variant} to EXPECTED in this file`).toBeDefined();
      const text = readFileSync(path.join(DIR, file), 'utf8');
      const { findings, objects } = checkSources([{ name: file, text }]);
      expect(objects.map((o) => `${o.kind}/${o.name}`)).toEqual(['Deployment/web']);
      expect(findings.map((f) => f.ruleId)).toEqual(EXPECTED[variant]!.ruleIds);
      for (const f of findings) expect(f.severity).toBe('error');
    });
  }

  it('cannot tell prestop-only from prestop-drain: their flaw is in the app, and only the app differs', () => {
    const only = readFileSync(path.join(DIR, 'prestop-only.yaml'), 'utf8');
    const drain = readFileSync(path.join(DIR, 'prestop-drain.yaml'), 'utf8');
    // Their manifests differ only in the app's environment (and names), which check does not judge.
    expect(checkSources([{ name: 'a', text: only }]).findings).toEqual([]);
    expect(checkSources([{ name: 'b', text: drain }]).findings).toEqual([]);
    expect(only).toMatch(/SHUTDOWN_MODE\n\s+value: exit/);
  });
});
