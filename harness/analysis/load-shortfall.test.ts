import { describe, expect, it } from 'vitest';
import { makeResultsFixture } from '../report/test-fixtures.ts';
import { describeLoadShortfall } from './load-shortfall.ts';

describe('describeLoadShortfall', () => {
  it('names each cell that dropped arrivals, with the counts and what to change', () => {
    const results = makeResultsFixture();
    expect(describeLoadShortfall(results)).toEqual([]);
    const cell = results.cells[1]!;
    cell.requests.dropped = 7;
    const lines = describeLoadShortfall(results);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      `${cell.id}: 7 of ${cell.requests.total + 7} arrivals dropped because all ${results.loadProfile.maxVUs} ` +
        'virtual users were busy; raise --max-vus or lower --rate',
    );
  });
});
