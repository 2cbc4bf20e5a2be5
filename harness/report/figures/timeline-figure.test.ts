import { describe, expect, it } from 'vitest';
import { makeResultsFixture } from '../test-fixtures.ts';
import { renderTimelineSvg } from '../svg-timeline.ts';
import { standaloneProblems, visibleText, xmlProblems } from './svg-check.ts';
import { renderTimelineFigure } from './timeline-figure.ts';

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

describe('renderTimelineFigure', () => {
  const results = makeResultsFixture();

  it('draws every pod of the cell with its measured facts, in one language per file', () => {
    for (const cell of results.cells) {
      const en = renderTimelineFigure(results, cell, 'en');
      const ja = renderTimelineFigure(results, cell, 'ja');
      for (const pod of cell.pods) {
        expect(en).toContain(`>${pod.name}<title>`);
        expect(ja).toContain(`>${pod.name}<title>`);
      }
      const failed = `${cell.requests.total} requests, ${cell.requests.failed} failed`;
      expect(visibleText(en)).toContain(failed);
      expect(visibleText(ja)).toContain(`リクエスト ${cell.requests.total} 件、失敗 ${cell.requests.failed} 件`);
      expect(visibleText(en)).toContain(`${cell.variant} under ${cell.scenario}, repetition ${cell.repetition}`);
      expect(visibleText(en)).toContain(results.runId);
      // One language each: no Japanese in the English file, none of the English headings in the Japanese one.
      expect(en).not.toMatch(JAPANESE);
      expect(visibleText(ja)).toMatch(JAPANESE);
      expect(ja).not.toContain('Requests by start time');
      expect(ja).not.toContain('lang="en"');
      // Exit codes as the lanes show them.
      for (const pod of cell.pods.filter((p) => p.exitCode !== null))
        expect(en).toContain(`class="code">${pod.exitCode}<`);
    }
  });

  it('has a legend drawn in the SVG, and the axis caption', () => {
    const svg = renderTimelineFigure(results, results.cells[0]!, 'en');
    for (const label of [
      'succeeded',
      'refused',
      'Ready',
      'Terminating',
      'preStop hook',
      'SIGTERM',
      'SIGKILL',
      'endpoint removed',
    ]) {
      expect(svg).toContain(`class="legend">${label}<`);
    }
    expect(visibleText(svg)).toContain('seconds from the disruption');
    expect(visibleText(renderTimelineFigure(results, results.cells[0]!, 'ja'))).toContain('EndpointSlice から除外');
  });

  it('is a well-formed SVG of 800 units that stands alone', () => {
    for (const cell of results.cells) {
      for (const lang of ['en', 'ja'] as const) {
        const svg = renderTimelineFigure(results, cell, lang);
        expect(xmlProblems(svg), cell.id).toEqual([]);
        expect(standaloneProblems(svg), cell.id).toEqual([]);
        expect(svg).not.toContain('<script');
        expect(svg).not.toContain('href="http');
        expect(svg).toMatch(
          /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* width="800" height="\d+" viewBox="0 0 800 \d+"/,
        );
        expect(svg).toMatch(/<style>[^<]*\.routing \{/);
      }
    }
  });

  it('says so when nothing was recorded, and keeps hostile names and control characters as text', () => {
    const empty = { ...results.cells[0]!, pods: [], timeline: undefined };
    expect(visibleText(renderTimelineFigure(results, empty, 'en'))).toContain('No timeline');

    const hostile = structuredClone(results.cells[0]!);
    hostile.pods[0]!.name = 'web-<x>&"\u0001';
    const svg = renderTimelineFigure(results, hostile, 'en');
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg).toContain('web-&lt;x&gt;&amp;&quot;\ufffd');
  });

  it('leaves the page drawing bilingual (both lang pairs, the HTML legend)', () => {
    const page = renderTimelineSvg(results.cells[0]!, results.cells[0]!.timeline ?? null);
    expect(page).toContain('lang="en">Requests by start time');
    expect(page).toContain('lang="ja">開始時刻ごとのリクエスト数');
    expect(page).toContain('viewBox="0 0 1000 ');
    expect(page).toContain('<p class="legend">');
  });
});
