import { describe, expect, it } from 'vitest';
import { renderSummaryMarkdown } from './summary-md.ts';
import { makeResultsFixture } from './test-fixtures.ts';

function tableRows(md: string): string[] {
  return md.split('\n').filter((line) => line.startsWith('| '));
}

/** Splits a GFM table row into cells, honouring `\|` escapes. */
function cells(row: string): string[] {
  return row
    .slice(2, -2)
    .split(/(?<!\\) \| /)
    .map((c) => c.trim());
}

describe('renderSummaryMarkdown', () => {
  it('renders one table row per variant × scenario with the pooled numbers', () => {
    const md = renderSummaryMarkdown(makeResultsFixture());
    const rows = tableRows(md);
    expect(rows).toHaveLength(3); // header + 2 rows
    const header = cells(rows[0]!);
    expect(header).toEqual([
      'variant',
      'scenario',
      'reps',
      'requests',
      'failed',
      'error rate (95 % CI)',
      'causes',
      'p50 / p99 ms',
      'rollout s',
      'verdict',
    ]);
    const baseline = cells(rows[1]!);
    expect(baseline[0]).toBe('baseline');
    expect(baseline[2]).toBe('2');
    expect(Number(baseline[4])).toBeGreaterThan(0);
    expect(baseline[5]).toMatch(/^\d+\.\d\d % \(\d+\.\d\d–\d+\.\d\d %\)$/);
    expect(baseline[6]).toMatch(/^refused \d+, reset \d+$/);
    expect(baseline[9]).toContain('loses requests');
    const safe = cells(rows[2]!);
    expect(safe[0]).toBe('**prestop-drain** ★');
    expect(safe[4]).toBe('0');
    expect(safe[5]).toMatch(/^0 % \(0–0\.13 %\)$/);
    expect(safe[9]).toContain('no loss');
  });

  it('states platform (emulated), time scale, load profile and the recommendation', () => {
    const md = renderSummaryMarkdown(makeResultsFixture());
    expect(md).toMatch(/Platform: local \(emulated\); node v20\.20\.0 — \*\*emulated\*\*/);
    expect(md).toContain('Time scale: ×1 (real time)');
    expect(md).toMatch(/Load profile: 100 req\/s, keep-alive, POST/);
    expect(md).toContain('Recommended (expected to lose no request): **prestop-drain** ★');
  });

  it('does not call kind results emulated', () => {
    const results = makeResultsFixture();
    results.platform = { name: 'kind', emulated: false, versions: { kubernetes: 'v1.34.0' } };
    results.timeScale = 0.5;
    const md = renderSummaryMarkdown(results);
    expect(md).not.toMatch(/emulated/i);
    expect(md).toContain('Platform: kind; kubernetes v1.34.0');
    expect(md).toContain('Time scale: ×0.5');
  });

  it('lists the cells whose load fell short of the asked rate', () => {
    const results = makeResultsFixture();
    expect(renderSummaryMarkdown(results)).not.toContain('fell short');
    results.cells[0]!.requests.dropped = 3;
    const md = renderSummaryMarkdown(results);
    expect(md).toContain('**The load generator fell short of the asked rate:**');
    expect(md).toContain(`- ${results.cells[0]!.id}: 3 of `);
  });

  it('escapes pipes and line breaks from the data', () => {
    const results = makeResultsFixture();
    for (const cell of results.cells) cell.scenario = 'roll|ing\nupdate';
    results.scenarios = ['roll|ing\nupdate'];
    const rows = tableRows(renderSummaryMarkdown(results));
    expect(rows).toHaveLength(3);
    for (const row of rows.slice(1)) {
      expect(cells(row)).toHaveLength(10);
      expect(cells(row)[1]).toBe('roll\\|ing update');
    }
  });
});
