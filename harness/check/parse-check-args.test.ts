import { describe, expect, it } from 'vitest';
import { parseCheckArgs } from './parse-check-args.ts';

describe('parseCheckArgs', () => {
  it('takes files, -, and the options in both spellings', () => {
    expect(
      parseCheckArgs(['a.yaml', '-', '--format', 'sarif', '--fail-on=warning', '--shutdown-seconds', '25']),
    ).toEqual({
      problems: [],
      args: { inputs: ['a.yaml', '-'], format: 'sarif', failOn: 'warning', shutdownSeconds: 25 },
    });
    expect(parseCheckArgs(['a.yaml']).args).toEqual({
      inputs: ['a.yaml'],
      format: 'text',
      failOn: 'error',
      shutdownSeconds: undefined,
    });
  });

  const table: [string[], RegExp][] = [
    [[], /^check needs at least one manifest file, or - to read standard input/],
    [['a', '--format', 'xml'], /^--format must be text, json, sarif, got "xml"$/],
    [['a', '--fail-on', 'critical'], /^--fail-on must be error, warning, info, never, got "critical"$/],
    [
      ['a', '--shutdown-seconds', 'soon'],
      /^--shutdown-seconds must be the app's shutdown time in seconds .* got "soon"$/,
    ],
    [['a', '--shutdown-seconds', '-5'], /^--shutdown-seconds must be .* got "-5"$/],
    [['a', '--format'], /^--format needs a value/],
    [['a', '--format='], /^--format needs a value/],
    [['a', '--format', 'json', '--format', 'text'], /^--format is given more than once/],
    [['a', '--bogus'], /^unknown option "--bogus" for check/],
    [['a', '-x'], /^unknown option "-x" for check/],
    [['-', '-'], /^- \(stdin\) is given more than once/],
  ];
  for (const [argv, message] of table) {
    it(`rejects ${argv.join(' ') || '(nothing)'} with one problem`, () => {
      const parsed = parseCheckArgs(argv);
      expect(parsed.args).toBeUndefined();
      expect(parsed.problems).toHaveLength(1);
      expect(parsed.problems[0]).toMatch(message);
    });
  }

  it('reports every problem at once', () => {
    expect(parseCheckArgs(['--format', 'x', '--fail-on', 'y', '--zzz']).problems).toHaveLength(4);
  });
});
