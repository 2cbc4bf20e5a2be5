import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../harness/report/html-report.ts';
import { makeLargeResultsFixture } from '../harness/report/test-fixtures.ts';

describe('report size', () => {
  it('stays small for the default matrix and bounded for 10 repetitions, with exact totals', () => {
    const one = makeLargeResultsFixture(1);
    const oneHtml = renderHtmlReport(one);
    expect(one.cells).toHaveLength(18);
    expect(Buffer.byteLength(oneHtml)).toBeLessThan(2 * 1024 * 1024);

    const ten = makeLargeResultsFixture(10);
    const started = performance.now();
    const tenHtml = renderHtmlReport(ten);
    const renderMs = performance.now() - started;
    expect(ten.cells).toHaveLength(180);
    // Generous bounds: aggregated buckets keep a 10-repetition page to a few MB, rendered in well under 10 s.
    expect(Buffer.byteLength(tenHtml)).toBeLessThan(8 * 1024 * 1024);
    expect(renderMs).toBeLessThan(10_000);
    // The table still shows the exact pooled totals.
    const baseline = ten.cells.filter((c) => c.variant === 'baseline' && c.scenario === 'pod-delete');
    const requests = baseline.reduce((n, c) => n + c.requests.total, 0);
    expect(tenHtml).toContain(`data-v="${requests}">${requests.toLocaleString('en-US')}</td>`);
    console.log(
      `report size: 18 cells ${(Buffer.byteLength(oneHtml) / 1024).toFixed(0)} KiB; ` +
        `180 cells ${(Buffer.byteLength(tenHtml) / 1024).toFixed(0)} KiB rendered in ${renderMs.toFixed(0)} ms`,
    );
  });
});
