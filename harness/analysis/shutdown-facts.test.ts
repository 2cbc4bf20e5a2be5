import { describe, expect, it } from 'vitest';
import { makeCellInput } from '../report/test-fixtures.ts';
import { analyzeCell } from './analyze-cell.ts';
import { summarizeShutdowns } from './shutdown-facts.ts';

describe('summarizeShutdowns', () => {
  it('sums exit codes, SIGKILLs and mechanisms, and says whether SIGTERM beat routing', () => {
    const baseline = [1, 2].map((repetition) => analyzeCell(makeCellInput({ variant: 'baseline', repetition })));
    const facts = summarizeShutdowns(baseline);
    expect(facts.terminatedPods).toBe(6);
    expect(facts.exitCodes).toEqual({ '143': 6 });
    expect(facts.sigkilled).toBe(0);
    expect(facts.podsWithBoth).toBe(6);
    expect(facts.sigtermMinusRoutingMs).toBeLessThan(0); // baseline: SIGTERM first, the race is lost
    const failed = baseline.reduce((n, c) => n + c.requests.failed, 0);
    expect(Object.values(facts.mechanisms).reduce((a, b) => a + b, 0)).toBe(failed);

    const drain = summarizeShutdowns([analyzeCell(makeCellInput({ variant: 'prestop-drain', repetition: 1 }))]);
    expect(drain.sigtermMinusRoutingMs).toBeGreaterThan(0);
    expect(drain.exitCodes).toEqual({ '0': 3 });
  });

  it('counts cells without mechanisms and copes with no cells', () => {
    const cell = analyzeCell(makeCellInput({ variant: 'baseline', repetition: 1 }));
    delete cell.timeline;
    expect(summarizeShutdowns([cell]).cellsWithoutMechanisms).toBe(1);
    expect(summarizeShutdowns([])).toMatchObject({ terminatedPods: 0, sigtermMinusRoutingMs: null, podsWithBoth: 0 });
  });
});
