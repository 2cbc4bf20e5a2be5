import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExperimentArgs } from './parse-args.ts';

const APP = ['--app-command', 'python3 app.py --port {port}'];

function ok(argv: string[]) {
  const parsed = parseExperimentArgs(argv);
  if (parsed.kind !== 'ok') throw new Error(JSON.stringify(parsed));
  return parsed.options;
}
function problems(argv: string[]): string[] {
  const parsed = parseExperimentArgs(argv);
  return parsed.kind === 'problems' ? parsed.problems : [];
}

describe('experiment flags for your own app', () => {
  it('make an app run: derived variants by default, the app request in the load profile', () => {
    const options = ok([...APP, '--app-ready', '/healthz', '--app-request', 'POST /orders', '--app-body', '{"a":1}']);
    expect(options.app?.spec.command).toEqual(['python3', 'app.py', '--port', '{port}']);
    expect(options.app?.defaultVariants).toBe(true);
    expect(options.variants).toEqual(['app-as-is', 'app-prestop']);
    expect(options.load).toMatchObject({ method: 'POST', path: '/orders', body: '{"a":1}' });
  });

  it('keep --variants, which may name derived and catalog variants', () => {
    const options = ok([...APP, '--variants', 'app-prestop-grace,baseline']);
    expect(options.variants).toEqual(['app-prestop-grace', 'baseline']);
    expect(options.app?.defaultVariants).toBe(false);
  });

  it('take --app-env more than once', () => {
    expect(ok([...APP, '--app-env', 'A=1', '--app-env', 'B=2']).app?.spec.env).toEqual({ A: '1', B: '2' });
  });

  it('report every problem at once: the app flags, kind, k6, --dry-run, --quick', () => {
    expect(
      problems(['--app-command', "x 'y", '--app-ready', 'healthz', '--load', 'k6', '--dry-run', '--quick']),
    ).toEqual([
      expect.stringMatching(/^--app-command has an unterminated single quote/),
      expect.stringMatching(/^--app-ready must be a path/),
      '--quick and --course run the catalog, not your app: leave them out',
      'your app is measured with --load builtin (the default); leave out --load k6',
      expect.stringMatching(/^--dry-run cannot show an app run/),
    ]);
  });

  it("refuse the request flags of drainlab's workload", () => {
    expect(problems([...APP, '--method', 'GET', '--work-ms', '5'])).toEqual([
      '--method does not apply to your app: the method goes in --app-request "POST /path"; leave it out',
      '--work-ms does not apply to your app: your app does its own work per request; leave it out',
    ]);
  });

  it('refuse --platform kind, pointing to --app-manifest', () => {
    expect(problems([...APP, '--platform', 'kind'])).toEqual([
      expect.stringMatching(
        /^--app-command runs your app as local processes, on --platform local .* --app-manifest FILE/,
      ),
    ]);
  });

  it('need a command when any app flag is given', () => {
    expect(problems(['--app-ready', '/healthz'])).toEqual([expect.stringMatching(/^--app-command is required/)]);
  });

  it('do not know the derived variants without an app', () => {
    expect(problems(['--variants', 'app-as-is'])).toEqual([expect.stringMatching(/^unknown variant "app-as-is"/)]);
  });

  it("override the file's app: field by field", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'drainlab-app-args-'));
    const file = path.join(dir, 'app.yaml');
    writeFileSync(
      file,
      [
        'app:',
        '  command: python3 app.py',
        '  readinessPath: /healthz',
        '  request: { method: POST, path: /orders, body: "{}" }',
        '  env: { A: "1" }',
      ].join('\n'),
    );
    const fromFile = ok(['--config', file]).app!.spec;
    expect(fromFile.request).toEqual({ method: 'POST', path: '/orders', body: '{}' });
    const over = ok(['--config', file, '--app-ready', '/ready', '--app-body', '{"b":2}']).app!.spec;
    expect(over).toMatchObject({
      command: ['python3', 'app.py'],
      readinessPath: '/ready',
      request: { method: 'POST', path: '/orders', body: '{"b":2}' },
      env: { A: '1' },
    });
    expect(ok(['--config', file, '--app-request', 'GET /items']).app!.spec.request).toEqual({
      method: 'GET',
      path: '/items',
    });
  });
});
