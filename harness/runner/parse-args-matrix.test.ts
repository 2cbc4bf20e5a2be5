import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_NAMES, SCENARIO_NAMES } from '../scenarios/catalog.ts';
import { DEFAULT_VARIANT_NAMES, VARIANT_NAMES } from '../variants/catalog.ts';
import { parseExperimentArgs } from './parse-args.ts';

const matrix = (argv: string[]) => {
  const parsed = parseExperimentArgs([...argv, '--out', '/tmp/drainlab-parse-matrix']);
  if (parsed.kind !== 'ok') throw new Error(parsed.kind === 'problems' ? parsed.problems.join('; ') : parsed.kind);
  return { variants: parsed.options.variants, scenarios: parsed.options.scenarios };
};

describe('the matrix a run measures', () => {
  it('is the default matrix without flags: the catalog minus its extra variant and scenario', () => {
    expect(matrix([])).toEqual({ variants: [...DEFAULT_VARIANT_NAMES], scenarios: [...DEFAULT_SCENARIO_NAMES] });
    expect(DEFAULT_VARIANT_NAMES).not.toContain('prestop-10s');
    expect(DEFAULT_SCENARIO_NAMES).not.toContain('rolling-update-wide');
  });

  it('is the whole catalog with --course, so every course claim is measured', () => {
    expect(matrix(['--course'])).toEqual({ variants: [...VARIANT_NAMES], scenarios: [...SCENARIO_NAMES] });
    expect(VARIANT_NAMES).toContain('prestop-10s');
    expect(SCENARIO_NAMES).toContain('rolling-update-wide');
  });

  it('lets --variants and --scenarios narrow --course, as they do --quick', () => {
    expect(matrix(['--course', '--variants', 'prestop-10s'])).toEqual({
      variants: ['prestop-10s'],
      scenarios: [...SCENARIO_NAMES],
    });
  });

  it('accepts the extra catalog names by themselves', () => {
    expect(matrix(['--variants', 'prestop-10s', '--scenarios', 'rolling-update-wide'])).toEqual({
      variants: ['prestop-10s'],
      scenarios: ['rolling-update-wide'],
    });
  });

  it('refuses --quick with --course, saying to give one', () => {
    const parsed = parseExperimentArgs(['--quick', '--course']);
    expect(parsed).toEqual({
      kind: 'problems',
      problems: ['--quick and --course choose different matrices: give one of them'],
    });
  });
});
