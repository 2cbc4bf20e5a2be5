import { describe, expect, it } from 'vitest';
import { codeHtml } from './bilingual-html.ts';
import { renderHtmlReport } from './html-report.ts';
import { renderJUnit } from './junit-xml.ts';
import {
  COLUMN_MEANINGS,
  INTERVAL_NAME,
  ONE_FAILURE,
  RECOMMENDED_MARK,
  TIME_DEFINITIONS,
  TOLD_APART,
  UNDECIDED_REASONS,
  VERDICT_MEANINGS,
  VERDICTS,
} from './reading-guide.ts';
import { renderSummaryMarkdown } from './summary-md.ts';
import { makeResultsFixture } from './test-fixtures.ts';

const GUIDE = [
  COLUMN_MEANINGS.recommended,
  COLUMN_MEANINGS.errorRate,
  COLUMN_MEANINGS.latency,
  TIME_DEFINITIONS.rollout,
  TIME_DEFINITIONS.settled,
  TIME_DEFINITIONS.slow,
  ...VERDICTS.map((v) => VERDICT_MEANINGS[v]),
  ONE_FAILURE,
];

describe('the shared words of the outputs', () => {
  it('index.html (both languages) and summary.md explain results in the same words', () => {
    const results = makeResultsFixture();
    // One undecided pair, so the told-apart words appear: one failure per baseline repetition overlaps zero.
    for (const cell of results.cells.filter((c) => c.variant === 'baseline')) {
      cell.requests = { ...cell.requests, failed: 1, succeeded: cell.requests.total - 1 };
    }
    const html = renderHtmlReport(results);
    const md = renderSummaryMarkdown(results);
    for (const text of [...GUIDE, TOLD_APART, UNDECIDED_REASONS['intervals-overlap']]) {
      expect(md).toContain(text.en);
      expect(html).toContain(codeHtml(text.en));
      expect(html).toContain(codeHtml(text.ja));
    }
  });

  it('junit.xml uses the verdict words, the marker and the interval name', () => {
    const results = makeResultsFixture();
    const xml = renderJUnit(results);
    expect(xml).toContain('verdict loses-requests');
    expect(xml).toContain(`verdict no-loss (${RECOMMENDED_MARK} recommended variant`);
    expect(xml).toContain(INTERVAL_NAME.en);
  });

  it('never says "95 % CI" or 変種, and calls the recommended marker ★', () => {
    const all = [...GUIDE, TOLD_APART, ...Object.values(UNDECIDED_REASONS)];
    for (const text of all) {
      expect(text.en).not.toMatch(/95 % CI|\bCI\b/);
      expect(text.ja).not.toMatch(/95 % CI|変種/);
    }
    expect(RECOMMENDED_MARK).toBe('★');
    expect(INTERVAL_NAME).toEqual({ en: '95 % interval', ja: '95 % 区間' });
  });
});
