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
      'error rate (95 % interval)',
      'causes',
      'p50 / p95 / p99 ms',
      'rollout s',
      'settled s',
      'verdict',
    ]);
    const baseline = cells(rows[1]!);
    expect(baseline[0]).toBe('baseline');
    expect(baseline[2]).toBe('2');
    expect(Number(baseline[4])).toBeGreaterThan(0);
    expect(baseline[5]).toMatch(/^\d+\.\d\d % \(\d+\.\d\d–\d+\.\d\d %\)$/);
    expect(baseline[6]).toMatch(/^refused \d+, reset \d+$/);
    expect(baseline[7]).toMatch(/^\d+\.\d \/ \d+\.\d \/ \d+\.\d$/);
    expect(baseline[8]).toMatch(/^\d+\.\d\d$/);
    expect(Number(baseline[9])).toBeGreaterThanOrEqual(Number(baseline[8]));
    expect(baseline[10]).toBe('❌ loses-requests');
    const safe = cells(rows[2]!);
    expect(safe[0]).toBe('**prestop-drain** ★');
    expect(safe[4]).toBe('0');
    expect(safe[5]).toMatch(/^0 % \(0–0\.13 %\)$/);
    expect(safe[10]).toBe('✅ no-loss');
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

  it('puts settled time and p95 beside rollout, with the values of the verdict rows', () => {
    const results = makeResultsFixture();
    const [, safe] = tableRows(renderSummaryMarkdown(results)).slice(1).map(cells);
    const drain = results.cells.filter((c) => c.variant === 'prestop-drain');
    const mean = (xs: number[]) => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2);
    expect(safe![8]).toBe(mean(drain.map((c) => c.rolloutSeconds!)));
    expect(safe![9]).toBe(mean(drain.map((c) => c.settledSeconds!)));
    const p95 = drain.map((c) => c.latencyMs.p95!).sort((a, b) => a - b);
    expect(safe![7]!.split(' / ')[1]).toBe(((p95[0]! + p95[1]!) / 2).toFixed(1));
  });

  it('explains the words: rollout vs settled, every verdict including incomplete, one failed request', () => {
    const md = renderSummaryMarkdown(makeResultsFixture());
    expect(md).toContain('<details><summary>How to read this table</summary>');
    expect(md).toContain('- rollout s: seconds from the disruption until the Deployment reports its rollout complete');
    expect(md).toContain('- settled s: seconds from the disruption until every Pod the disruption stopped is gone');
    expect(md).toContain('with ignore-sigterm the rollout completes in seconds');
    expect(md).toContain('- `no-loss`: every repetition ran to the end');
    expect(md).toContain('- `loses-requests`: at least one request failed');
    expect(md).toContain('- `incomplete`: a repetition is missing, failed, was interrupted, or measured no request');
    expect(md).toContain('a single failed request makes a variant × scenario `loses-requests`');
    expect(md).toContain('★ = recommended variant');
    expect(md).not.toMatch(/95 % CI|\w \*( |$)/m);
    expect(md).toContain('- rolling-update: Change the pod template; 3 replicas, maxSurge 1.');
  });

  it('says which pairs cannot be told apart and what to do, and lists incomplete cells', () => {
    const results = makeResultsFixture();
    expect(renderSummaryMarkdown(results)).not.toContain('variant pair(s) cannot be told apart');
    for (const cell of results.cells.filter((c) => c.variant === 'baseline')) {
      cell.requests = { ...cell.requests, failed: 1, succeeded: cell.requests.total - 1 };
    }
    results.cells[0]!.status = 'interrupted';
    const md = renderSummaryMarkdown(results);
    expect(md).toContain('**1 variant pair(s) cannot be told apart with 2 repetition(s).** For each scenario');
    expect(md).toContain('`--repeat 5` for a course');
    expect(md).toContain('- rolling-update: baseline / prestop-drain: the 95 % intervals overlap');
    expect(md).toContain('**Incomplete** (verdict `incomplete`: a repetition is missing');
    expect(md).toContain(`- ${results.cells[0]!.id}: interrupted`);
    expect(tableRows(md)[1]).toContain('⚠️ incomplete');
  });

  it('lists the cells whose load fell short of the asked rate', () => {
    const results = makeResultsFixture();
    expect(renderSummaryMarkdown(results)).not.toContain('fell short');
    results.cells[0]!.requests.dropped = 3;
    const md = renderSummaryMarkdown(results);
    expect(md).toContain('**The load generator fell short of the asked rate:**');
    expect(md).toContain(`- ${results.cells[0]!.id}: 3 of `);
  });

  it('lists the cells that ran on a machine short of CPU', () => {
    const results = makeResultsFixture();
    expect(renderSummaryMarkdown(results)).not.toContain('short of CPU');
    results.cells[0]!.harnessDelayMs = { p99: 30, max: 900 };
    const md = renderSummaryMarkdown(results);
    expect(md).toContain('**The machine was short of CPU during these cells:**');
    expect(md).toContain(`- ${results.cells[0]!.id}: the machine was short of CPU`);
  });

  it('names the GitHub-hosted runner image on one line when the run recorded it, and says nothing otherwise', () => {
    const results = makeResultsFixture();
    expect(renderSummaryMarkdown(results)).not.toContain('Runner image');
    results.machine.runnerImage = { imageOS: 'ubuntu24', imageVersion: '20261123.1.0' };
    const lines = renderSummaryMarkdown(results).split('\n');
    expect(lines.filter((l) => l.includes('Runner image'))).toEqual([
      '- Runner image: ubuntu24 20261123.1.0 (GitHub-hosted)',
    ]);
    // Among the provenance lines, right after the platform.
    expect(lines[lines.findIndex((l) => l.startsWith('- Platform:')) + 1]).toContain('Runner image');
  });

  it('escapes pipes and line breaks from the data', () => {
    const results = makeResultsFixture();
    for (const cell of results.cells) cell.scenario = 'roll|ing\nupdate';
    results.scenarios = ['roll|ing\nupdate'];
    const rows = tableRows(renderSummaryMarkdown(results));
    expect(rows).toHaveLength(3);
    for (const row of rows.slice(1)) {
      expect(cells(row)).toHaveLength(11);
      expect(cells(row)[1]).toBe('roll\\|ing update');
    }
  });
});

describe('the platform line of a --context run', () => {
  it('names the real cluster and its context instead of "kind"', async () => {
    const { describePlatform } = await import('./format.ts');
    expect(
      describePlatform({
        name: 'kind',
        emulated: false,
        versions: { context: 'drainlab-devcluster', kubernetes: 'v1.35.4', kubeProxyMode: 'iptables' },
      }),
    ).toBe('real cluster (context drainlab-devcluster); kubernetes v1.35.4, kubeProxyMode iptables');
    expect(describePlatform({ name: 'kind', emulated: false, versions: { kind: 'v0.33.0' } })).toBe(
      'kind; kind v0.33.0',
    );
  });
});
