import { describe, expect, it } from 'vitest';
import { terminationMoments } from '../../analysis/moments.ts';
import type { PodTimeline, ResultsFile } from '../../model/results.ts';
import { makeResultsFixture } from '../test-fixtures.ts';
import { renderSequenceFigure, sequenceCells, sequenceScenario, stackRows } from './sequence-figure.ts';
import { standaloneProblems, visibleText, xmlProblems } from './svg-check.ts';
import { textWidth } from './text-width.ts';

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

/** The label texts of a figure with where they start and their row baseline. */
function labels(svg: string): { x: number; y: number; text: string }[] {
  return [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)" class="label"><title>[^<]*<\/title>([^<]*)<\/text>/g)].map(
    (m) => ({ x: Number(m[1]), y: Number(m[2]), text: m[3]! }),
  );
}

function overlapping(svg: string): string[] {
  const found = labels(svg);
  const out: string[] = [];
  for (const a of found) {
    for (const b of found) {
      if (a === b || a.y !== b.y || a.x > b.x) continue;
      if (a.x + textWidth(a.text, 12) > b.x) out.push(`${a.text} / ${b.text}`);
    }
  }
  return out;
}

/** Every terminated pod of `variant`'s cells with `change` applied (times relative to its Terminating moment). */
function withPods(
  results: ResultsFile,
  variant: string,
  change: (pod: PodTimeline, at: (ms: number) => number) => Partial<PodTimeline>,
): ResultsFile {
  const copy = structuredClone(results);
  for (const cell of copy.cells) {
    if (cell.variant !== variant) continue;
    cell.pods = cell.pods.map((p) =>
      p.terminatingMs === null ? p : { ...p, ...change(p, (ms) => p.terminatingMs! + ms) },
    );
  }
  return copy;
}

describe('sequenceScenario', () => {
  it('prefers rolling-update, else the first scenario the variant ran under, else none', () => {
    const results = makeResultsFixture();
    expect(sequenceScenario(results, 'baseline')).toBe('rolling-update');
    const other = structuredClone(results);
    other.scenarios = ['scale-down', 'pod-delete'];
    for (const cell of other.cells) cell.scenario = cell.repetition === 1 ? 'pod-delete' : 'scale-down';
    expect(sequenceScenario(other, 'baseline')).toBe('scale-down');
    expect(sequenceScenario(other, 'nope')).toBeNull();
  });
});

describe('stackRows', () => {
  it('puts touching intervals in different rows and reuses a row when there is room', () => {
    const rows = stackRows(
      [
        { from: 0, to: 100 },
        { from: 50, to: 150 },
        { from: 105, to: 200 },
        { from: 300, to: 400 },
      ],
      10,
    );
    expect(rows[0]).not.toBe(rows[1]);
    expect(rows[1]).not.toBe(rows[2]); // 105 is within 10 of the end of row 0's 100, and overlaps row 1
    expect(rows[3]).toBe(0);
  });
});

describe('renderSequenceFigure', () => {
  const results = makeResultsFixture();

  it('shows the measured medians of every moment, in seconds, in the language of the file', () => {
    for (const variant of ['baseline', 'prestop-drain']) {
      const moments = terminationMoments(sequenceCells(results, variant, 'rolling-update'));
      const en = renderSequenceFigure(results, variant, 'rolling-update', 'en');
      const ja = renderSequenceFigure(results, variant, 'rolling-update', 'ja');
      let shown = 0;
      for (const stats of Object.values(moments)) {
        if (stats === null) continue;
        const s = (stats.median / 1000).toFixed(2);
        expect(en).toContain(`${s} s`);
        expect(ja).toContain(`${s} 秒`);
        shown++;
      }
      expect(shown).toBeGreaterThanOrEqual(variant === 'baseline' ? 4 : 6);
      expect(en).not.toMatch(JAPANESE);
      expect(ja).toMatch(/Pod 終了の実測シーケンス/);
      expect(en).toContain('API server: deletionTimestamp set');
      expect(en).toContain('kubelet: preStop → SIGTERM → exit (or SIGKILL)');
      expect(en).toContain('EndpointSlice → kube-proxy → iptables rules');
      expect(en).toContain(results.runId);
      expect(en).toContain('emulated cluster');
    }
  });

  it('is a well-formed SVG that stands alone', () => {
    for (const lang of ['en', 'ja'] as const) {
      const svg = renderSequenceFigure(results, 'prestop-drain', 'rolling-update', lang);
      expect(xmlProblems(svg)).toEqual([]);
      expect(standaloneProblems(svg)).toEqual([]);
      expect(svg).not.toContain('<script');
      expect(svg).not.toContain('href="http');
      expect(svg).toMatch(
        /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* width="800" height="\d+" viewBox="0 0 800 \d+"/,
      );
      expect(svg).toContain('Noto Sans CJK JP');
    }
  });

  it('shades the race when SIGTERM came before routing stopped, and the safety margin otherwise', () => {
    const race = withPods(results, 'baseline', (_p, at) => ({
      sigtermMs: at(100),
      appSigtermMs: null,
      routingRemovedMs: at(900),
    }));
    const raceSvg = renderSequenceFigure(race, 'baseline', 'rolling-update', 'en');
    expect(visibleText(raceSvg)).toContain('The race: SIGTERM came 0.80 s before');
    expect(visibleText(raceSvg)).toMatch(/In (\d+) of \1 pod\(s\) SIGTERM came before routing stopped/);
    expect(raceSvg).toContain('fill="#cf222e" opacity="0.13"');

    const margin = withPods(results, 'prestop-drain', (_p, at) => ({
      sigtermMs: at(5100),
      appSigtermMs: null,
      routingRemovedMs: at(1100),
    }));
    const marginSvg = renderSequenceFigure(margin, 'prestop-drain', 'rolling-update', 'en');
    expect(visibleText(marginSvg)).toContain('Safety margin: SIGTERM came 4.00 s after');
    expect(visibleText(marginSvg)).toMatch(/In 0 of \d+ pod\(s\)/);
    expect(marginSvg).toContain('fill="#1a7f37" opacity="0.13"');
    expect(marginSvg).not.toContain('The race');
    expect(renderSequenceFigure(margin, 'prestop-drain', 'rolling-update', 'ja')).toContain('安全余裕');
  });

  it('keeps labels apart when a long preStop puts many moments together far from the rest', () => {
    // prestop-exceeds-grace: preStop 40 s cut at 32 s, SIGTERM, SIGKILL and exit within a second, routing at 0.5 s.
    const long = withPods(results, 'prestop-drain', (_p, at) => ({
      preStopStartMs: at(50),
      preStopEndMs: at(32_000),
      sigtermMs: at(32_010),
      appSigtermMs: null,
      sigkillMs: at(32_020),
      exitedMs: at(32_030),
      endpointNotReadyMs: at(60),
      routingRemovedMs: at(520),
      endpointRemovedMs: at(32_100),
    }));
    for (const lang of ['en', 'ja'] as const) {
      const svg = renderSequenceFigure(long, 'prestop-drain', 'rolling-update', lang);
      expect(labels(svg).length).toBe(8);
      expect(overlapping(svg)).toEqual([]);
      for (const label of labels(svg)) {
        expect(label.x).toBeGreaterThanOrEqual(0);
        expect(label.x + textWidth(label.text, 12)).toBeLessThanOrEqual(800);
      }
      const ticks = [...svg.matchAll(/class="tick">([\d.]+)</g)].map((m) => Number(m[1]));
      expect(ticks.length).toBeLessThanOrEqual(11);
      expect(Math.max(...ticks)).toBeGreaterThanOrEqual(30);
    }
  });

  it('says so when no pod terminated, and escapes names from the results', () => {
    const none = withPods(results, 'baseline', () => ({ terminatingMs: null }));
    expect(visibleText(renderSequenceFigure(none, 'baseline', 'rolling-update', 'en'))).toContain('No pod terminated');

    const hostile = structuredClone(results);
    const evil = '<b onload="x">&</b>';
    for (const cell of hostile.cells) if (cell.variant === 'baseline') cell.variant = evil;
    hostile.runId = 'run <&> "1"';
    const svg = renderSequenceFigure(hostile, evil, 'rolling-update', 'en');
    expect(xmlProblems(svg)).toEqual([]);
    expect(standaloneProblems(svg)).toEqual([]);
    expect(svg).toContain('&lt;b onload=&quot;x&quot;&gt;&amp;&lt;/b&gt;');
  });
});
