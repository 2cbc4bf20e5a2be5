import { coarsenTimeline } from '../../analysis/request-timeline.ts';
import type { CellResult, ResultsFile } from '../../model/results.ts';
import { FAILURE_CAUSES } from '../../model/sample.ts';
import { drawTimeline, timelineLegendSvg, type TimelineFrame } from '../svg-timeline.ts';
import {
  FIGURE_WIDTH,
  MARGIN,
  MONO_FAMILY,
  platformWords,
  standaloneSvg,
  textBlock,
  type FigureLanguage,
  type HeaderLine,
} from './figure-svg.ts';

/**
 * One cell's timeline as a standalone figure: the same drawing as index.html (svg-timeline.ts) in one language and
 * an 800-unit frame, under a header that says which cell, run and platform it is, with its axis caption, and the
 * legend drawn in SVG (the page's legend is HTML).
 */

/** The frame of a figure's timeline: 1:1 at 800 px, room on the left for pod names. */
const FRAME: TimelineFrame = { width: FIGURE_WIDTH, left: 180, right: FIGURE_WIDTH - 12 };

/** At most this many request buckets (about two px each at 800 px). */
const MAX_BARS = 300;

const STYLE = [
  '.grid { stroke: #eaeef2; } .zero { stroke: #1f2328; stroke-width: 1.5; }',
  '.base { stroke: #8c959f; } .lane { stroke: #eaeef2; }',
  '.tick { text-anchor: middle; fill: #57606a; font-size: 11.5px; }',
  '.ylab { text-anchor: end; fill: #57606a; font-size: 11.5px; }',
  '.head { font-size: 12.5px; font-weight: 600; fill: #1f2328; paint-order: stroke; stroke: #fff; stroke-width: 4px; stroke-linejoin: round; }',
  `.pod { text-anchor: end; fill: #1f2328; font-family: ${MONO_FAMILY}; font-size: 11px; }`,
  '.gen { fill: #8c959f; font-size: 10.5px; } .gen.new { fill: #1a7f37; }',
  '.code { font-size: 10.5px; font-weight: 700; fill: #1f2328; }',
  '.routing { stroke: #0969da; stroke-width: 1.5; stroke-dasharray: 4 3; }',
  '.hit { fill: transparent; } .hit:hover { fill: #0969da22; }',
  '.none { text-anchor: middle; fill: #8c959f; }',
  '.legend { font-size: 12px; fill: #1f2328; }',
  '.axis-caption { text-anchor: middle; fill: #57606a; font-size: 12px; }',
].join(' ');

/** The figure's title line. */
export function timelineTitle(cell: CellResult, lang: FigureLanguage): string {
  return lang === 'en'
    ? `Measured timeline: ${cell.variant} under ${cell.scenario}, repetition ${cell.repetition}`
    : `実測タイムライン: ${cell.variant}（${cell.scenario}、繰り返し ${cell.repetition}）`;
}

/** Run, platform, pods and requests of the cell, in one line. */
export function timelineFacts(results: ResultsFile, cell: CellResult, lang: FigureLanguage): string {
  const causes = FAILURE_CAUSES.filter((c) => (cell.failuresByCause[c] ?? 0) > 0)
    .map((c) => `${c} ${cell.failuresByCause[c]}`)
    .join(', ');
  const platform = platformWords(results.platform)[lang];
  const r = cell.requests;
  return lang === 'en'
    ? `Run ${results.runId} · ${platform} · ${cell.pods.length} pods · ${r.total} requests, ${r.failed} failed${causes === '' ? '' : ` (${causes})`}`
    : `実行 ${results.runId}・${platform}・Pod ${cell.pods.length} 個・リクエスト ${r.total} 件、失敗 ${r.failed} 件${causes === '' ? '' : `（${causes}）`}`;
}

/** The standalone SVG file of one cell's timeline in `lang`. */
export function renderTimelineFigure(results: ResultsFile, cell: CellResult, lang: FigureLanguage): string {
  const en = lang === 'en';
  const lines: HeaderLine[] = [
    { text: timelineTitle(cell, lang), cls: 'fig-title' },
    { text: timelineFacts(results, cell, lang), cls: 'fig-sub' },
  ];
  if (cell.status !== 'complete') {
    lines.push({
      text: en
        ? `This cell is ${cell.status}: its numbers are partial.`
        : `このセルは ${cell.status} です。数値は途中までのものです。`,
      cls: 'fig-note',
    });
  }
  const header = textBlock(lines, 4);
  const timeline = cell.timeline === undefined ? null : coarsenTimeline(cell.timeline, MAX_BARS);
  const drawing = drawTimeline(cell, timeline, lang, FRAME);
  const parts = [header.svg];
  let y = header.height + 12;
  if (drawing === null) {
    y += 24;
    parts.push(
      `<text x="${FIGURE_WIDTH / 2}" y="${y}" class="none">${
        en
          ? 'No timeline: no request or pod event was recorded.'
          : 'タイムラインなし: リクエストも Pod のイベントも記録されていません。'
      }</text>`,
    );
    y += 16;
  } else {
    parts.push(`<g transform="translate(0 ${y})">${drawing.body}</g>`);
    y += drawing.height + 14;
    const caption =
      cell.disruptionMs === null
        ? en
          ? 'seconds from the cell start'
          : 'セル開始からの秒数'
        : en
          ? 'seconds from the disruption (the scenario start)'
          : '障害操作（シナリオ開始）からの秒数';
    parts.push(`<text x="${(FRAME.left + FRAME.right) / 2}" y="${y}" class="axis-caption">${caption}</text>`);
    if (drawing.hiddenPods > 0) {
      y += 18;
      parts.push(
        `<text x="${FRAME.left}" y="${y}" class="fig-note">${
          en
            ? `${drawing.hiddenPods} more pod(s) not drawn.`
            : `ほかに ${drawing.hiddenPods} 個の Pod があります（描画省略）。`
        }</text>`,
      );
    }
    y += 14;
    const legend = timelineLegendSvg(lang, MARGIN, FIGURE_WIDTH - MARGIN, y, 12);
    parts.push(legend.svg);
    y += legend.height;
  }
  return standaloneSvg({
    lang,
    height: y + 12,
    title: timelineTitle(cell, lang),
    description: `${timelineFacts(results, cell, lang)}. ${
      en
        ? 'Requests per time bucket (failures by cause at the bottom) above one lane per pod: Ready, Terminating, preStop, SIGTERM, SIGKILL, exit code, endpoint removal, and the moment routing stopped sending new connections.'
        : '時間帯ごとのリクエスト数（下に原因別の失敗）と、Pod ごとのレーン（Ready、Terminating、preStop、SIGTERM、SIGKILL、終了コード、EndpointSlice からの除外、ルーティングが新しい接続の振り分けを停止した時刻）。'
    }`,
    style: STYLE,
    body: parts.join('\n'),
  });
}
