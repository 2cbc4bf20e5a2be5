import { describe, expect, it } from 'vitest';
import { EXIT } from '../core/errors.ts';
import type { ResultsFile } from '../model/results.ts';
import { makeResultsFixture } from '../report/test-fixtures.ts';
import { experimentExit } from './exit-status.ts';

/** The fixture run: baseline loses requests, prestop-drain (★) loses none. */
function run(change: (r: ResultsFile) => void = () => {}): ResultsFile {
  const results = makeResultsFixture();
  change(results);
  return results;
}
const starBaseline = (r: ResultsFile) => {
  r.variantInfo['baseline']!.expectedSafe = true;
};

describe('experiment exit codes', () => {
  it('0 when only variants without ★ lost requests, with or without --fail-on-loss', () => {
    expect(run().cells.some((c) => c.requests.failed > 0)).toBe(true);
    expect(experimentExit(run(), true)).toMatchObject({ code: EXIT.ok, losses: [] });
    expect(experimentExit(run(), false).code).toBe(EXIT.ok);
  });

  it('3 (its own code, not 1) when a ★ variant lost requests under --fail-on-loss, and names the rows', () => {
    const exit = experimentExit(run(starBaseline), true);
    expect(exit.code).toBe(3);
    expect(exit.losses.map((r) => `${r.variant} ${r.scenario}`)).toEqual(['baseline rolling-update']);
    // Without the gate a loss is a finding for the report, not a failed command.
    expect(experimentExit(run(starBaseline), false)).toMatchObject({ code: EXIT.ok, losses: [] });
  });

  it('1 when the run failed, even with a loss: an incomplete matrix may hide the cells that decide', () => {
    const failed = run((r) => {
      starBaseline(r);
      r.status = 'failed';
      r.cells[3]!.status = 'failed';
    });
    expect(experimentExit(failed, true).code).toBe(EXIT.failure);
  });

  it('1 when a complete run has a pair without a verdict (a cell that measured no request)', () => {
    const empty = run((r) => {
      r.cells[0]!.requests.total = 0;
    });
    const exit = experimentExit(empty, false);
    expect(exit.code).toBe(EXIT.failure);
    expect(exit.incomplete.map((row) => row.variant)).toEqual(['baseline']);
  });

  it('130 when interrupted, before anything else', () => {
    expect(
      experimentExit(
        run((r) => ((r.status = 'interrupted'), starBaseline(r))),
        true,
      ).code,
    ).toBe(130);
  });

  it('keeps the codes apart', () => {
    const codes = Object.values(EXIT);
    expect(new Set(codes).size).toBe(codes.length);
    expect(EXIT).toEqual({ ok: 0, failure: 1, badInput: 2, lostRequests: 3, environment: 4, interrupted: 130 });
  });
});
