import type { CellResult, PodTimeline, RequestTimeline } from '../model/results.ts';
import { FAILURE_CAUSES, type FailureCause } from '../model/sample.ts';
import { bi, biTitle } from './bilingual-html.ts';
import { escapeHtml as h } from './escape.ts';
import { textWidth } from './figures/text-width.ts';

/**
 * The race-condition diagram of one cell, drawn from measured data as server-rendered SVG: stacked bars of requests
 * per time bucket (successes, then each failure cause), and below them one swim lane per pod with its Ready,
 * Terminating and preStop spans and markers for SIGTERM, drain done, SIGKILL, exit, endpoint removal and the moment
 * routing stopped sending it new connections. Every mark has a <title> tooltip.
 *
 * One drawing serves two places: index.html (both languages as `lang` pairs that the page's CSS switches, in a
 * 1000-unit frame) and a standalone figure (one language, an 800-unit frame, its styles in the file;
 * figures/timeline-figure.ts).
 */

/** The words of a drawing: both languages (the page switches with CSS) or one (a standalone figure). */
export type TimelineLanguage = 'both' | 'en' | 'ja';

/** The horizontal frame of a drawing in SVG units: total width, and where the time axis starts and ends. */
export interface TimelineFrame {
  width: number;
  left: number;
  right: number;
}

/** The frame of index.html's timelines. */
export const PAGE_FRAME: TimelineFrame = { width: 1000, left: 190, right: 985 };

/** A title or tooltip in the drawing's language(s), escaped (both: two lines, see biTitle). */
function say(lang: TimelineLanguage, en: string, ja: string): string {
  return lang === 'both' ? biTitle(en, ja) : h(lang === 'en' ? en : ja);
}

/** A <text> in the drawing's language(s); `en` and `ja` are markup already (escape data first). */
function svgText(lang: TimelineLanguage, attrs: string, en: string, ja: string): string {
  if (lang === 'both') return `<text ${attrs} lang="en">${en}</text><text ${attrs} lang="ja">${ja}</text>`;
  return `<text ${attrs}>${lang === 'en' ? en : ja}</text>`;
}

/** Colours of the request series, shared with the legend. */
export const SERIES_COLOURS: Record<'ok' | FailureCause, string> = {
  ok: '#9cc3a6',
  refused: '#d1242f',
  reset: '#f0883e',
  timeout: '#953800',
  'http-5xx': '#bf3989',
  other: '#57606a',
};

const LANE_COLOURS = {
  starting: '#d0d7de',
  ready: '#2da44e',
  terminating: '#e3b341',
  preStop: '#8250df',
  sigterm: '#cf222e',
  drain: '#1b7c83',
  sigkill: '#24292f',
  exit: '#24292f',
  endpoint: '#0969da',
  routing: '#0969da',
} as const;

const TOP = 24;
const BARS_H = 130;
const LANE_H = 24;
/** More pods than this are summarised in one line instead of a lane each. */
const MAX_LANES = 14;

const TICK_STEPS_S = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600];

function niceMax(value: number): number {
  if (value <= 5) return Math.max(1, Math.ceil(value));
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * magnitude >= value) return m * magnitude;
  return 10 * magnitude;
}

/** Seconds relative to the origin, signed, for tooltips. */
function sec(relMs: number): string {
  const s = relMs / 1000;
  return `${s >= 0 ? '+' : '−'}${Math.abs(s).toFixed(2)} s`;
}

function num(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** A step-shaped area from 0 up to `tops`, in bucket units (x = bucket index, y = count). */
function stepArea(tops: readonly number[]): string {
  let d = 'M0 0';
  let y = 0;
  tops.forEach((top, i) => {
    if (top !== y) {
      d += `H${i}V${top}`;
      y = top;
    }
  });
  return `${d}H${tops.length}V0Z`;
}

interface Axis {
  d0: number;
  d1: number;
  x: (relMs: number) => number;
  /** The drawing's frame and language, which every part needs. */
  frame: TimelineFrame;
  lang: TimelineLanguage;
}

function podTimes(pod: PodTimeline): number[] {
  return [
    pod.readyMs,
    pod.terminatingMs,
    pod.preStopStartMs,
    pod.preStopEndMs,
    pod.sigtermMs,
    pod.drainDoneMs,
    pod.sigkillMs,
    pod.exitedMs,
    pod.endpointRemovedMs,
    pod.routingRemovedMs,
  ].filter((t): t is number => t !== null);
}

function makeAxis(
  timeline: RequestTimeline | null,
  pods: PodTimeline[],
  originMs: number,
  frame: TimelineFrame,
  lang: TimelineLanguage,
): Axis | null {
  const podRel = pods.flatMap(podTimes).map((t) => t - originMs);
  let d0: number;
  let d1: number;
  if (timeline !== null && timeline.ok.length > 0) {
    d0 = timeline.startMs;
    d1 = Math.max(timeline.startMs + timeline.ok.length * timeline.bucketMs, ...podRel.map((t) => t + 200));
  } else if (podRel.length > 0) {
    d0 = Math.min(...podRel) - 500;
    d1 = Math.max(...podRel) + 500;
  } else {
    return null;
  }
  if (d1 <= d0) d1 = d0 + 1000;
  const { left, right } = frame;
  const x = (rel: number) => left + ((Math.min(d1, Math.max(d0, rel)) - d0) / (d1 - d0)) * (right - left);
  return { d0, d1, x, frame, lang };
}

function ticks(axis: Axis, yTop: number, yBottom: number, labelYs: number[]): string {
  const spanS = (axis.d1 - axis.d0) / 1000;
  const step = TICK_STEPS_S.find((s) => spanS / s <= 14) ?? 3600;
  const out: string[] = [];
  for (let i = Math.ceil(axis.d0 / 1000 / step); i * step <= axis.d1 / 1000 && out.length < 40; i++) {
    const s = Number((i * step).toFixed(3));
    const x = num(axis.x(s * 1000));
    const zero = s === 0;
    out.push(
      `<line x1="${x}" x2="${x}" y1="${yTop}" y2="${yBottom}" class="${zero ? 'zero' : 'grid'}"/>` +
        labelYs.map((y) => `<text x="${x}" y="${y}" class="tick">${s}</text>`).join(''),
    );
  }
  return out.join('');
}

function bars(timeline: RequestTimeline, axis: Axis): string {
  const n = timeline.ok.length;
  const present = FAILURE_CAUSES.filter((c) => timeline.failed[c] !== undefined);
  // Failures at the bottom, on the axis, where a reader sees them at once; successes stacked on top.
  const series: { key: 'ok' | FailureCause; values: readonly number[] }[] = [
    ...present.map((c) => ({ key: c, values: timeline.failed[c] ?? [] })),
    { key: 'ok', values: timeline.ok },
  ];
  const cumulative: number[][] = [];
  let running = new Array<number>(n).fill(0);
  for (const s of series) {
    running = running.map((v, i) => v + (s.values[i] ?? 0));
    cumulative.push(running);
  }
  const totals = running;
  const maxY = niceMax(Math.max(1, ...totals) * 1.1); // headroom, so the top never looks clipped
  const x0 = axis.x(timeline.startMs);
  const x1 = axis.x(timeline.startMs + n * timeline.bucketMs);
  // Painter's order: the tallest cumulative area first, each smaller one on top of it.
  const areas = series
    .map((s, k) => {
      const sum = s.values.reduce((a, b) => a + b, 0);
      const en = s.key === 'ok' ? 'succeeded' : s.key;
      const ja = s.key === 'ok' ? '成功' : s.key;
      const label = axis.lang === 'both' && en !== ja ? `${en} / ${ja}` : axis.lang === 'ja' ? ja : en;
      return `<path d="${stepArea(cumulative[k] ?? [])}" fill="${SERIES_COLOURS[s.key]}"><title>${h(`${label}: ${sum}`)}</title></path>`;
    })
    .reverse()
    .join('');
  // Hover targets only where something failed: those are the buckets a reader wants to inspect.
  const hover: string[] = [];
  for (let i = 0; i < n && hover.length < 300; i++) {
    const failed = present.map((c) => [c, timeline.failed[c]?.[i] ?? 0] as const).filter(([, v]) => v > 0);
    if (failed.length === 0) continue;
    const from = timeline.startMs + i * timeline.bucketMs;
    const what = failed.map(([c, v]) => `${c} ${v}`).join(', ');
    hover.push(
      `<rect x="${i}" y="0" width="1" height="${maxY}" class="hit"><title>${say(
        axis.lang,
        `${sec(from)} to ${sec(from + timeline.bucketMs)}: ok ${timeline.ok[i] ?? 0}, ${what}`,
        `${sec(from)}〜${sec(from + timeline.bucketMs)}: 成功 ${timeline.ok[i] ?? 0}, ${what}`,
      )}</title></rect>`,
    );
  }
  const bucketLabel = timeline.bucketMs >= 1000 ? `${timeline.bucketMs / 1000} s` : `${timeline.bucketMs} ms`;
  const left = axis.frame.left;
  return (
    `<svg x="${num(x0)}" y="${TOP}" width="${num(Math.max(1, x1 - x0))}" height="${BARS_H}" viewBox="0 0 ${n} ${maxY}" preserveAspectRatio="none" class="bars">` +
    `<g transform="matrix(1 0 0 -1 0 ${maxY})">${areas}${hover.join('')}</g></svg>` +
    `<text x="${left - 6}" y="${TOP + 8}" class="ylab">${maxY}</text>` +
    `<text x="${left - 6}" y="${TOP + BARS_H}" class="ylab">0</text>` +
    svgText(
      axis.lang,
      `x="${left - 6}" y="${TOP + BARS_H / 2}" class="ylab"`,
      `requests / ${bucketLabel}`,
      `リクエスト数 / ${bucketLabel}`,
    )
  );
}

function span(
  axis: Axis,
  originMs: number,
  from: number | null,
  to: number | null,
  y: number,
  hgt: number,
  colour: string,
  title: string,
): string {
  if (from === null) return '';
  const a = axis.x(from - originMs);
  const b = axis.x((to ?? originMs + axis.d1) - originMs);
  if (b - a <= 0) return '';
  return `<rect x="${num(a)}" y="${y}" width="${num(Math.max(1, b - a))}" height="${hgt}" fill="${colour}"><title>${h(title)}</title></rect>`;
}

function lane(pod: PodTimeline, index: number, axis: Axis, originMs: number, yLanes: number, yBars: number): string {
  const y = yLanes + index * LANE_H;
  const mid = y + LANE_H / 2;
  const rel = (t: number) => sec(t - originMs);
  const range = (a: number | null, b: number | null) => `${a === null ? '?' : rel(a)} → ${b === null ? '…' : rel(b)}`;
  const endOfReady = pod.terminatingMs ?? pod.exitedMs;
  const { left, right } = axis.frame;
  const parts: string[] = [
    `<line x1="${left}" x2="${right}" y1="${mid}" y2="${mid}" class="lane"/>`,
    span(
      axis,
      originMs,
      pod.createdMs,
      pod.readyMs ?? pod.exitedMs,
      y + 8,
      8,
      LANE_COLOURS.starting,
      say(
        axis.lang,
        `${pod.name}: starting ${range(pod.createdMs, pod.readyMs)}`,
        `${pod.name}: 起動中 ${range(pod.createdMs, pod.readyMs)}`,
      ),
    ),
    span(
      axis,
      originMs,
      pod.readyMs,
      endOfReady,
      y + 5,
      14,
      LANE_COLOURS.ready,
      say(
        axis.lang,
        `${pod.name}: Ready ${range(pod.readyMs, endOfReady)}`,
        `${pod.name}: Ready（受付中） ${range(pod.readyMs, endOfReady)}`,
      ),
    ),
    span(
      axis,
      originMs,
      pod.terminatingMs,
      pod.exitedMs,
      y + 5,
      14,
      LANE_COLOURS.terminating,
      say(
        axis.lang,
        `${pod.name}: Terminating ${range(pod.terminatingMs, pod.exitedMs)}`,
        `${pod.name}: Terminating（終了処理中） ${range(pod.terminatingMs, pod.exitedMs)}`,
      ),
    ),
    span(
      axis,
      originMs,
      pod.preStopStartMs,
      pod.preStopEndMs ?? pod.exitedMs,
      y + 9,
      6,
      LANE_COLOURS.preStop,
      say(
        axis.lang,
        `${pod.name}: preStop hook ${range(pod.preStopStartMs, pod.preStopEndMs)}${pod.preStopOutcome === null ? '' : ` (${pod.preStopOutcome})`}`,
        `${pod.name}: preStop フック実行中 ${range(pod.preStopStartMs, pod.preStopEndMs)}${pod.preStopOutcome === null ? '' : `（${pod.preStopOutcome}）`}`,
      ),
    ),
  ];
  const marker = (t: number | null, shape: (x: number) => string, en: string, ja: string) => {
    if (t === null) return;
    const x = axis.x(t - originMs);
    parts.push(
      `<g class="mark">${shape(x)}<title>${say(axis.lang, `${pod.name}: ${en} at ${rel(t)}`, `${pod.name}: ${ja} ${rel(t)}`)}</title></g>`,
    );
  };
  if (pod.routingRemovedMs !== null) {
    const x = num(axis.x(pod.routingRemovedMs - originMs));
    parts.push(
      `<g class="mark"><line x1="${x}" x2="${x}" y1="${yBars}" y2="${y + LANE_H}" class="routing"/>` +
        `<title>${say(
          axis.lang,
          `${pod.name}: routing stopped sending new connections at ${rel(pod.routingRemovedMs)}`,
          `${pod.name}: ルーティングが新しい接続の振り分けを停止 ${rel(pod.routingRemovedMs)}`,
        )}</title></g>`,
    );
  }
  marker(
    pod.endpointRemovedMs,
    (x) => `<path d="M${num(x)} ${y + 14}l5 5l-5 5l-5 -5z" fill="${LANE_COLOURS.endpoint}"/>`,
    'endpoint removed from the EndpointSlice',
    'EndpointSlice から除外',
  );
  marker(
    pod.sigtermMs,
    (x) => `<path d="M${num(x - 5)} ${y}h10l-5 9z" fill="${LANE_COLOURS.sigterm}"/>`,
    'SIGTERM sent',
    'SIGTERM 送信',
  );
  marker(
    pod.drainDoneMs,
    (x) =>
      `<circle cx="${num(x)}" cy="${mid - 1}" r="3.5" fill="#fff" stroke="${LANE_COLOURS.drain}" stroke-width="2.5"/>`,
    'drain done',
    'ドレイン完了',
  );
  marker(
    pod.sigkillMs,
    (x) => `<path d="M${num(x - 4.5)} ${y + 0.5}l9 9m0 -9l-9 9" stroke="${LANE_COLOURS.sigkill}" stroke-width="2.5"/>`,
    'SIGKILL sent',
    'SIGKILL 送信',
  );
  if (pod.exitedMs !== null) {
    const code = pod.exitCode === null ? '?' : String(pod.exitCode);
    const signal = pod.exitSignal === null ? '' : ` (${pod.exitSignal})`;
    // The code goes right of the last marker near the exit, so it never covers the endpoint or SIGKILL marks.
    const after = [pod.endpointRemovedMs, pod.sigkillMs, pod.drainDoneMs].filter(
      (t): t is number => t !== null && t >= (pod.exitedMs ?? 0) - 1000,
    );
    const labelX = Math.max(axis.x(pod.exitedMs - originMs) + 4, ...after.map((t) => axis.x(t - originMs) + 8));
    marker(
      pod.exitedMs,
      (x) =>
        `<rect x="${num(x - 1.5)}" y="${y + 3}" width="3" height="${LANE_H - 6}" fill="${LANE_COLOURS.exit}"/>` +
        `<text x="${num(labelX)}" y="${mid + 4}" class="code">${h(code)}</text>`,
      `exited with code ${code}${signal}`,
      `プロセス終了（終了コード ${code}${signal}）`,
    );
  }
  const gen = pod.generation === 'new' ? 'new' : 'old';
  const shortName = pod.name.length > 26 ? `${pod.name.slice(0, 12)}…${pod.name.slice(-12)}` : pod.name;
  parts.push(
    `<text x="${left - 6}" y="${mid + 4}" class="pod">${h(shortName)}<title>${
      axis.lang === 'ja'
        ? h(`${pod.name}（${pod.generation === 'new' ? '新' : '旧'}、リビジョン ${pod.revision}）`)
        : h(`${pod.name} (${pod.generation}, revision ${pod.revision})`)
    }</title></text>` +
      `<text x="8" y="${mid + 4}" class="gen ${gen}">${axis.lang === 'ja' ? (gen === 'new' ? '新' : '旧') : gen}</text>`,
  );
  return parts.join('');
}

/** One entry of the legend: its mark as HTML (the page) and as SVG drawn in a 12-unit box at (x, y) (a figure). */
interface LegendItem {
  html: string;
  svg: (x: number, y: number) => string;
  en: string;
  ja: string;
}

function legendItems(): LegendItem[] {
  const swatch = (colour: string): Pick<LegendItem, 'html' | 'svg'> => ({
    html: `<i class="sw" style="background:${colour}"></i>`,
    svg: (x, y) => `<rect x="${x + 1}" y="${y + 1}" width="10" height="10" rx="2" fill="${colour}"/>`,
  });
  const c = LANE_COLOURS;
  return [
    { ...swatch(SERIES_COLOURS.ok), en: 'succeeded', ja: '成功' },
    ...FAILURE_CAUSES.map((cause): LegendItem => ({ ...swatch(SERIES_COLOURS[cause]), en: cause, ja: cause })),
    { ...swatch(c.ready), en: 'Ready', ja: 'Ready（受付中）' },
    { ...swatch(c.terminating), en: 'Terminating', ja: 'Terminating（終了処理中）' },
    { ...swatch(c.preStop), en: 'preStop hook', ja: 'preStop フック' },
    {
      html: '<b style="color:#cf222e">▼</b>',
      svg: (x, y) => `<path d="M${x + 1} ${y + 2}h10l-5 9z" fill="${c.sigterm}"/>`,
      en: 'SIGTERM',
      ja: 'SIGTERM',
    },
    {
      html: '<b style="color:#1b7c83">○</b>',
      svg: (x, y) => `<circle cx="${x + 6}" cy="${y + 6}" r="3.5" fill="#fff" stroke="${c.drain}" stroke-width="2.5"/>`,
      en: 'drain done',
      ja: 'ドレイン完了',
    },
    {
      html: '<b>✕</b>',
      svg: (x, y) => `<path d="M${x + 1.5} ${y + 1.5}l9 9m0 -9l-9 9" stroke="${c.sigkill}" stroke-width="2.5"/>`,
      en: 'SIGKILL',
      ja: 'SIGKILL',
    },
    {
      html: '<b>▌</b>',
      svg: (x, y) => `<rect x="${x + 4.5}" y="${y}" width="3" height="12" fill="${c.exit}"/>`,
      en: 'exit (code)',
      ja: 'プロセス終了（終了コード）',
    },
    {
      html: '<b style="color:#0969da">◆</b>',
      svg: (x, y) => `<path d="M${x + 6} ${y + 1}l5 5l-5 5l-5 -5z" fill="${c.endpoint}"/>`,
      en: 'endpoint removed',
      ja: 'EndpointSlice から除外',
    },
    {
      html: '<b style="color:#0969da">┆</b>',
      svg: (x, y) => `<line x1="${x + 6}" x2="${x + 6}" y1="${y - 2}" y2="${y + 14}" class="routing"/>`,
      en: 'routing stopped sending new connections',
      ja: 'ルーティングが新しい接続の振り分けを停止',
    },
  ];
}

/** The legend under every timeline (HTML, so it follows the language switch). */
export function timelineLegend(): string {
  const items = legendItems();
  return `<p class="legend">${items.map((i) => `<span>${i.html} ${bi(h(i.en), h(i.ja))}</span>`).join(' ')}</p>`;
}

/**
 * The legend as SVG in one language, wrapped into rows that fit between `x` and `maxX` from `y` down; returns the
 * markup and the height it takes. `fontSize` is the size the figure's `.legend` class gives its text.
 */
export function timelineLegendSvg(
  lang: 'en' | 'ja',
  x: number,
  maxX: number,
  y: number,
  fontSize: number,
): { svg: string; height: number } {
  const rowH = fontSize + 8;
  const parts: string[] = [];
  let cx = x;
  let cy = y;
  for (const item of legendItems()) {
    const label = lang === 'en' ? item.en : item.ja;
    const w = 16 + textWidth(label, fontSize);
    if (cx > x && cx + w > maxX) {
      cx = x;
      cy += rowH;
    }
    parts.push(`<g>${item.svg(cx, cy)}<text x="${num(cx + 16)}" y="${cy + 10}" class="legend">${h(label)}</text></g>`);
    cx += w + 14;
  }
  return { svg: parts.join(''), height: cy - y + rowH };
}

/** One cell's drawing: the inside of an <svg> (no outer element), its size, and the pods it could not draw. */
export interface TimelineDrawing {
  /** The marks, text and lanes; styled by the classes of PAGE_STYLE or of a figure's own <style>. */
  body: string;
  width: number;
  height: number;
  /** Pods beyond the lanes drawn. */
  hiddenPods: number;
}

/**
 * The drawing of one cell's timeline in `lang` and `frame`, or null when nothing was recorded to draw. `timeline` is
 * the cell's (possibly coarsened) request timeline or null when none is known. Time is in seconds from the
 * disruption (or from the cell start when none was recorded).
 */
export function drawTimeline(
  cell: CellResult,
  timeline: RequestTimeline | null,
  lang: TimelineLanguage,
  frame: TimelineFrame,
): TimelineDrawing | null {
  const originMs = timeline?.originMs ?? cell.disruptionMs ?? 0;
  const shown = [...cell.pods]
    .sort((a, b) => (a.createdMs ?? -Infinity) - (b.createdMs ?? -Infinity))
    .slice(0, MAX_LANES);
  const axis = makeAxis(timeline, shown, originMs, frame, lang);
  if (axis === null) return null;
  const { left, right } = frame;
  const hasBars = timeline !== null && timeline.ok.length > 0;
  const yBars = TOP;
  const yLanes = TOP + BARS_H + 38;
  const height = yLanes + shown.length * LANE_H + 22;
  const noData =
    lang === 'both'
      ? 'no request data / リクエストのデータなし'
      : lang === 'en'
        ? 'no request data'
        : 'リクエストのデータなし';
  const parts = [
    svgText(
      lang,
      `x="${left}" y="14" class="head"`,
      'Requests by start time (failures by cause at the bottom, successes above)',
      '開始時刻ごとのリクエスト数（下に原因別の失敗、その上に成功を積み上げ）',
    ),
    ticks(axis, yBars, height - 18, [TOP + BARS_H + 13, height - 4]),
    hasBars
      ? bars(timeline, axis)
      : `<text x="${(left + right) / 2}" y="${TOP + BARS_H / 2}" class="none">${noData}</text>`,
    `<line x1="${left}" x2="${right}" y1="${TOP + BARS_H}" y2="${TOP + BARS_H}" class="base"/>`,
    ...shown.map((pod, i) => lane(pod, i, axis, originMs, yLanes, yBars)),
    // After the lanes, so the routing lines that cross it pass behind the title (its white halo).
    svgText(lang, `x="${left}" y="${yLanes - 8}" class="head"`, 'Pods (one lane each)', 'Pod（1 行に 1 つ）'),
  ];
  return { body: parts.join(''), width: frame.width, height, hiddenPods: cell.pods.length - shown.length };
}

/**
 * The timeline of one cell for index.html: the drawing in both languages, its axis caption, a note on pods not
 * drawn, and the legend. `timeline` as in drawTimeline.
 */
export function renderTimelineSvg(cell: CellResult, timeline: RequestTimeline | null): string {
  const drawing = drawTimeline(cell, timeline, 'both', PAGE_FRAME);
  if (drawing === null)
    return `<p class="muted">${bi('No timeline: no request or pod event was recorded.', 'タイムラインなし: リクエストも Pod のイベントも記録されていません。')}</p>`;
  const axisLabel =
    cell.disruptionMs === null
      ? bi('seconds from the cell start', 'セル開始からの秒数')
      : bi('seconds from the disruption', '障害操作からの秒数');
  const svg = `<svg class="timeline" viewBox="0 0 ${drawing.width} ${drawing.height}" width="100%" role="img">${drawing.body}</svg>`;
  const hidden = drawing.hiddenPods;
  const more =
    hidden > 0
      ? `<p class="muted">${bi(`${hidden} more pod(s) not drawn.`, `ほかに ${hidden} 個の Pod があります（描画省略）。`)}</p>`
      : '';
  return `<figure class="tl">${svg}<figcaption class="muted">${axisLabel}</figcaption>${more}${timelineLegend()}</figure>`;
}
