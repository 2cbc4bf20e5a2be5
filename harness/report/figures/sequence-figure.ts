import {
  sigtermBeforeRouting,
  terminatedPods,
  momentsOf,
  observedPods,
  type MomentName,
  type MomentStats,
} from '../../analysis/moments.ts';
import type { CellResult, ResultsFile } from '../../model/results.ts';
import { escapeXml as x } from '../escape.ts';
import {
  FIGURE_WIDTH,
  MARGIN,
  num,
  platformWords,
  seconds,
  standaloneSvg,
  textBlock,
  type FigureLanguage,
  type HeaderLine,
} from './figure-svg.ts';
import { textWidth } from './text-width.ts';

/**
 * The course's termination sequence redrawn with one variant's measured times: from the moment the API server set
 * the pod's deletionTimestamp (t = 0, Terminating), one lane for the kubelet (preStop → SIGTERM → exit or SIGKILL)
 * and one for the Service side (EndpointSlice ready=false → kube-proxy's rules stop sending new connections →
 * endpoint removed). Each mark sits at the median over the terminated pods, labelled with it, its min–max drawn as a
 * thin bar. The gap between SIGTERM and the routing change is shaded: red when SIGTERM came first (the race), green
 * when routing had stopped first (the safety margin). Labels that would touch are stacked in rows.
 */

/** The scenario the course's sequence is about. */
export const COURSE_SCENARIO = 'rolling-update';

/**
 * The scenario whose cells a variant's sequence figure uses: rolling-update when that was run for the variant, else the
 * first scenario (in run order) it was run under; null when the variant has no cell.
 */
export function sequenceScenario(results: ResultsFile, variant: string): string | null {
  const ran = new Set(results.cells.filter((c) => c.variant === variant).map((c) => c.scenario));
  if (ran.has(COURSE_SCENARIO)) return COURSE_SCENARIO;
  return [...results.scenarios, ...ran].find((s) => ran.has(s)) ?? null;
}

/** The cells of `variant` under `scenario`. */
export function sequenceCells(results: ResultsFile, variant: string, scenario: string): CellResult[] {
  return results.cells.filter((c) => c.variant === variant && c.scenario === scenario);
}

const COLOURS = {
  preStop: '#8250df',
  sigterm: '#cf222e',
  sigkill: '#24292f',
  exit: '#24292f',
  endpoint: '#0969da',
  routing: '#0969da',
  race: '#cf222e',
  margin: '#1a7f37',
};

const LEFT = 30;
const RIGHT = FIGURE_WIDTH - 30;
const LABEL_SIZE = 12;
const LABEL_ROW = 18;
const SPREAD_ROW = 5;
const TICK_STEPS_S = [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600];

const STYLE = [
  '.lane-title { font-size: 13px; font-weight: 700; fill: #1f2328; }',
  '.lane-sub { font-size: 11.5px; fill: #57606a; }',
  '.api { font-size: 12.5px; font-weight: 600; fill: #1f2328; }',
  '.lane-title, .lane-sub, .api { paint-order: stroke; stroke: #fff; stroke-width: 4px; stroke-linejoin: round; }',
  `.label { font-size: ${LABEL_SIZE}px; fill: #1f2328; paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }`,
  '.leader { stroke: #8c959f; stroke-width: 0.8; }',
  '.lane-line { stroke: #d0d7de; stroke-width: 1; }',
  '.zero { stroke: #1f2328; stroke-width: 1.5; }',
  '.grid { stroke: #eaeef2; }',
  '.tick { text-anchor: middle; fill: #57606a; font-size: 11.5px; }',
  '.axis-caption { text-anchor: middle; fill: #57606a; font-size: 12px; }',
  '.routing { stroke: #0969da; stroke-width: 1.5; stroke-dasharray: 4 3; }',
  '.spread { stroke-width: 1.5; }',
  '.none { text-anchor: middle; fill: #8c959f; font-size: 13px; }',
].join(' ');

/** Names of the moments in the figure's language. */
const MOMENT_WORDS: Record<MomentName, { en: string; ja: string }> = {
  preStopStart: { en: 'preStop starts', ja: 'preStop 開始' },
  preStopEnd: { en: 'preStop ends', ja: 'preStop 終了' },
  sigterm: { en: 'SIGTERM', ja: 'SIGTERM' },
  sigkill: { en: 'SIGKILL', ja: 'SIGKILL' },
  exited: { en: 'exit', ja: 'プロセス終了' },
  endpointNotReady: { en: 'EndpointSlice: ready=false', ja: 'EndpointSlice: ready=false' },
  routingRemoved: { en: 'rules: no new connections', ja: 'ルール更新: 新しい接続を送らない' },
  endpointRemoved: { en: 'removed from EndpointSlice', ja: 'EndpointSlice から削除' },
};

/** How each moment is drawn, centred on (cx, cy). */
const SHAPES: Record<MomentName, (cx: string, cy: number) => string> = {
  preStopStart: (cx, cy) => `<circle cx="${cx}" cy="${cy}" r="4.5" fill="${COLOURS.preStop}"/>`,
  preStopEnd: (cx, cy) =>
    `<circle cx="${cx}" cy="${cy}" r="4" fill="#fff" stroke="${COLOURS.preStop}" stroke-width="2.5"/>`,
  sigterm: (cx, cy) => `<path d="M${cx} ${cy + 5}l-6 -10h12z" fill="${COLOURS.sigterm}"/>`,
  sigkill: (cx, cy) =>
    `<path d="M${cx} ${cy}m-5 -5l10 10m0 -10l-10 10" stroke="${COLOURS.sigkill}" stroke-width="2.5"/>`,
  exited: (cx, cy) => `<rect x="${Number(cx) - 1.5}" y="${cy - 8}" width="3" height="16" fill="${COLOURS.exit}"/>`,
  endpointNotReady: (cx, cy) =>
    `<path d="M${cx} ${cy - 6}l6 6l-6 6l-6 -6z" fill="#fff" stroke="${COLOURS.endpoint}" stroke-width="2"/>`,
  routingRemoved: (cx, cy) =>
    `<rect x="${Number(cx) - 2.5}" y="${cy - 8}" width="5" height="16" fill="${COLOURS.routing}"/>`,
  endpointRemoved: (cx, cy) => `<path d="M${cx} ${cy - 6}l6 6l-6 6l-6 -6z" fill="${COLOURS.endpoint}"/>`,
};

const SPREAD_COLOURS: Record<MomentName, string> = {
  preStopStart: COLOURS.preStop,
  preStopEnd: COLOURS.preStop,
  sigterm: COLOURS.sigterm,
  sigkill: COLOURS.sigkill,
  exited: COLOURS.exit,
  endpointNotReady: COLOURS.endpoint,
  routingRemoved: COLOURS.routing,
  endpointRemoved: COLOURS.endpoint,
};

interface Scale {
  d0: number;
  d1: number;
  x: (ms: number) => number;
}

function makeScale(medians: number[]): Scale {
  const d0 = Math.min(0, ...medians);
  const last = Math.max(0, ...medians);
  const d1 = Math.max(last + (last - d0) * 0.08, d0 + 100);
  return { d0, d1, x: (ms) => LEFT + ((Math.min(d1, Math.max(d0, ms)) - d0) / (d1 - d0)) * (RIGHT - LEFT) };
}

/**
 * Rows for intervals so that none touches another in its row (greedy, in x order); returns each interval's row.
 * Row 0 is the one nearest the lane.
 */
export function stackRows(intervals: readonly { from: number; to: number }[], gap: number): number[] {
  const order = intervals.map((iv, i) => ({ ...iv, i })).sort((a, b) => a.from - b.from);
  const ends: number[] = [];
  const rows = new Array<number>(intervals.length).fill(0);
  for (const iv of order) {
    let row = ends.findIndex((end) => end + gap <= iv.from);
    if (row === -1) row = ends.length;
    ends[row] = iv.to;
    rows[iv.i] = row;
  }
  return rows;
}

interface LaneMark {
  name: MomentName;
  stats: MomentStats;
}

/** One lane from `y` down: title, stacked labels, marks on a line, spread bars under it; `height` is what it takes. */
function drawLane(
  marks: readonly LaneMark[],
  title: string,
  sub: string | null,
  y: number,
  scale: Scale,
  lang: FigureLanguage,
  podCount: number,
  behind: (top: number, markY: number, bottom: number) => string,
): { svg: string; height: number } {
  const heading = [`<text x="${MARGIN}" y="${y + 14}" class="lane-title">${x(title)}</text>`];
  let top = y + 20;
  if (sub !== null) {
    heading.push(`<text x="${MARGIN}" y="${y + 31}" class="lane-sub">${x(sub)}</text>`);
    top += 14;
  }
  const labels = marks.map((m) => {
    const words = MOMENT_WORDS[m.name][lang];
    const count = m.stats.n < podCount ? ` (n=${m.stats.n})` : '';
    const text = `${words} ${seconds(m.stats.median, lang)}${count}`;
    const width = textWidth(text, LABEL_SIZE);
    const cx = scale.x(m.stats.median);
    const from = Math.min(Math.max(cx - width / 2, MARGIN), FIGURE_WIDTH - MARGIN - width);
    return { text, from, to: from + width, cx };
  });
  const rows = stackRows(labels, 10);
  const rowCount = Math.max(1, ...rows.map((r) => r + 1));
  const markY = top + rowCount * LABEL_ROW + 10;
  const spreads = marks.map((m) => ({ from: scale.x(m.stats.min), to: scale.x(m.stats.max) }));
  const spreadRows = stackRows(spreads, 3);
  const spreadRowCount = Math.max(1, ...spreadRows.map((r) => r + 1));
  const bottom = markY + 14 + spreadRowCount * SPREAD_ROW;
  // Layers: what lies behind, leader lines, marks and spreads, then the labels (their white halo covers any line).
  const leaders: string[] = [];
  const shapes: string[] = [`<line x1="${LEFT}" x2="${RIGHT}" y1="${markY}" y2="${markY}" class="lane-line"/>`];
  const texts: string[] = [];
  marks.forEach((m, i) => {
    const label = labels[i]!;
    const baseline = markY - 12 - rows[i]! * LABEL_ROW;
    const cx = num(label.cx);
    const s = m.stats;
    const tip = x(
      lang === 'en'
        ? `${MOMENT_WORDS[m.name].en}: median ${seconds(s.median, lang)} (min ${seconds(s.min, lang)}, max ${seconds(s.max, lang)}) after Terminating, over ${s.n} pod(s); the median pod: ${s.example.pod} in ${s.example.cellId}`
        : `${MOMENT_WORDS[m.name].ja}: Terminating から中央値 ${seconds(s.median, lang)}（最小 ${seconds(s.min, lang)}、最大 ${seconds(s.max, lang)}、Pod ${s.n} 個）。中央値の Pod: ${s.example.pod}（${s.example.cellId}）`,
    );
    leaders.push(`<line x1="${cx}" x2="${cx}" y1="${baseline + 3}" y2="${markY - 8}" class="leader"/>`);
    let mark = SHAPES[m.name](cx, markY);
    const spread = spreads[i]!;
    if (spread.to - spread.from >= 1) {
      const sy = markY + 12 + spreadRows[i]! * SPREAD_ROW;
      const colour = SPREAD_COLOURS[m.name];
      const clipped = s.max > scale.d1;
      const end = clipped ? `<path d="M${num(spread.to)} ${sy - 3.5}l5 3.5l-5 3.5z" fill="${colour}"/>` : '';
      mark +=
        `<path d="M${num(spread.from)} ${sy - 3}v6M${num(spread.from)} ${sy}H${num(spread.to)}${clipped ? '' : `M${num(spread.to)} ${sy - 3}v6`}" stroke="${colour}" class="spread" fill="none"/>` +
        end;
    }
    shapes.push(`<g><title>${tip}</title>${mark}</g>`);
    texts.push(
      `<text x="${num(label.from)}" y="${baseline}" class="label"><title>${tip}</title>${x(label.text)}</text>`,
    );
  });
  const svg = [behind(top - 2, markY, bottom), ...heading, ...leaders, ...shapes, ...texts].join('');
  return { svg, height: bottom - y };
}

function ticks(scale: Scale, yTop: number, yBottom: number, lang: FigureLanguage): string {
  const spanS = (scale.d1 - scale.d0) / 1000;
  const step = TICK_STEPS_S.find((s) => spanS / s <= 10) ?? 600;
  const out: string[] = [];
  for (let i = Math.ceil(scale.d0 / 1000 / step); i * step <= scale.d1 / 1000 + 1e-9 && out.length < 30; i++) {
    const s = Number((i * step).toFixed(3));
    const px = num(scale.x(s * 1000));
    out.push(
      `<line x1="${px}" x2="${px}" y1="${yTop}" y2="${yBottom}" class="${s === 0 ? 'zero' : 'grid'}"/>` +
        `<text x="${px}" y="${yBottom + 15}" class="tick">${s}</text>`,
    );
  }
  out.push(
    `<text x="${(LEFT + RIGHT) / 2}" y="${yBottom + 32}" class="axis-caption">${
      lang === 'en'
        ? 'seconds after the pod became Terminating (median over its pods)'
        : 'Pod が Terminating になってからの秒数（中央値）'
    }</text>`,
  );
  return out.join('');
}

/** The header lines of a variant's sequence figure. */
export function sequenceHeader(
  results: ResultsFile,
  variant: string,
  scenario: string,
  cells: readonly CellResult[],
  lang: FigureLanguage,
): HeaderLine[] {
  const pods = terminatedPods(cells).length;
  const platform = platformWords(results.platform)[lang];
  const course = scenario === COURSE_SCENARIO;
  const en = lang === 'en';
  return [
    {
      text: en ? `Measured termination sequence: ${variant}` : `Pod 終了の実測シーケンス: ${variant}`,
      cls: 'fig-title',
    },
    {
      text: en
        ? `Scenario ${scenario}${course ? '' : ` (${COURSE_SCENARIO} was not run for this variant)`} · ${pods} terminated pod(s) in ${cells.length} cell(s)`
        : `シナリオ ${scenario}${course ? '' : `（このバリアントでは ${COURSE_SCENARIO} を実行していません）`}・${cells.length} セルで終了した Pod ${pods} 個`,
      cls: 'fig-sub',
    },
    {
      text: en ? `Run ${results.runId} · ${platform}` : `実行 ${results.runId}・${platform}`,
      cls: 'fig-sub',
    },
  ];
}

/** The band between SIGTERM and the routing change, with its explanation; null when either was not measured. */
function gapWords(
  sigterm: MomentStats | null,
  routing: MomentStats | null,
  cells: readonly CellResult[],
  lang: FigureLanguage,
): { race: boolean; text: string } | null {
  if (sigterm === null || routing === null) return null;
  const gap = routing.median - sigterm.median;
  const perPod = sigtermBeforeRouting(cells);
  const first = perPod.filter((p) => p.gapMs < 0).length;
  const en = lang === 'en';
  const pods = en
    ? ` In ${first} of ${perPod.length} pod(s) SIGTERM came before routing stopped.`
    : `SIGTERM がルーティング停止より先だった Pod: ${perPod.length} 個中 ${first} 個。`;
  if (gap > 0) {
    return {
      race: true,
      text: en
        ? `The race: SIGTERM came ${seconds(gap, lang)} before kube-proxy's rules stopped sending new connections (medians); new connections can still arrive after SIGTERM.${pods}`
        : `競合: SIGTERM は kube-proxy のルールが新しい接続を送らなくなる ${seconds(gap, lang)} 前に届きました（中央値）。SIGTERM の後も新しい接続が届きえます。${pods}`,
    };
  }
  return {
    race: false,
    text: en
      ? `Safety margin: SIGTERM came ${seconds(-gap, lang)} after kube-proxy's rules stopped sending new connections (medians).${pods}`
      : `安全余裕: SIGTERM は kube-proxy のルールが新しい接続を送らなくなってから ${seconds(-gap, lang)} 後に届きました（中央値）。${pods}`,
  };
}

/** Notes under the axis: how to read the marks, what the Service lane can and cannot show, the time scale. */
function notes(results: ResultsFile, lang: FigureLanguage): string[] {
  const en = lang === 'en';
  const out = [
    en
      ? 'Each mark sits at the median over the terminated pods, labelled with it; the thin bar under it spans min–max (an arrow: beyond the axis).'
      : '各マークは終了した Pod の中央値の位置にあり、その値を添えています。下の細い棒は最小〜最大の範囲です（矢印は軸の外まで続くことを示します）。',
    en
      ? "kube-proxy's own notice of the change is not a separate event in the data: the second lane shows when its rules changed."
      : 'kube-proxy が変更に気づいた時刻はデータに別の事象として残らないため、2 本目のレーンはルールが変わった時刻を示します。',
  ];
  if (!results.platform.emulated) {
    out.push(
      en
        ? 'On a real cluster the kubelet reports neither the preStop hook nor SIGKILL: a declared hook counts from Terminating until the app logged SIGTERM, and SIGKILL is the exit with code 137 as its status reported it.'
        : '実クラスターの kubelet は preStop フックも SIGKILL も報告しません。宣言されたフックは Terminating からアプリが SIGTERM をログに書くまでとし、SIGKILL は状態が示した終了コード 137 の終了とします。',
    );
  }
  if (results.timeScale !== 1) {
    out.push(
      en
        ? `Time scale ×${results.timeScale}: every modelled delay, sleep and grace period was multiplied by ${results.timeScale}, and so are these times.`
        : `時間倍率 ×${results.timeScale}: モデル化した遅延・sleep・猶予期間はすべて ${results.timeScale} 倍で実行され、ここの時刻も同じ倍率です。`,
    );
  }
  return out;
}

/** The standalone SVG of `variant`'s measured sequence under `scenario` in `lang`. */
export function renderSequenceFigure(
  results: ResultsFile,
  variant: string,
  scenario: string,
  lang: FigureLanguage,
): string {
  const cells = sequenceCells(results, variant, scenario);
  const moments = momentsOf(observedPods(results, cells));
  const podCount = terminatedPods(cells).length;
  const en = lang === 'en';
  const header = textBlock(sequenceHeader(results, variant, scenario, cells, lang), 4);
  const parts = [header.svg];
  let y = header.height + 8;
  const pick = (names: MomentName[]): LaneMark[] =>
    names.flatMap((name) => {
      const stats = moments[name];
      return stats === null ? [] : [{ name, stats }];
    });
  const kubelet = pick(['preStopStart', 'preStopEnd', 'sigterm', 'sigkill', 'exited']);
  const service = pick(['endpointNotReady', 'routingRemoved', 'endpointRemoved']);
  const description = en
    ? `The termination sequence of ${variant} under ${scenario}, measured: kubelet (preStop, SIGTERM, exit or SIGKILL) and Service side (EndpointSlice, kube-proxy's rules) in seconds after the pod became Terminating.`
    : `${variant}（${scenario}）の Pod 終了シーケンスの実測: kubelet（preStop、SIGTERM、終了または SIGKILL）と Service 側（EndpointSlice、kube-proxy のルール）を Terminating からの秒数で示します。`;
  if (kubelet.length + service.length === 0) {
    y += 30;
    parts.push(
      `<text x="${FIGURE_WIDTH / 2}" y="${y}" class="none">${
        en
          ? 'No pod terminated in these cells: nothing to draw.'
          : 'これらのセルでは終了した Pod がなく、描くものがありません。'
      }</text>`,
    );
    const title = sequenceHeader(results, variant, scenario, cells, lang)[0]!.text;
    return standaloneSvg({ lang, height: y + 24, title, description, style: STYLE, body: parts.join('\n') });
  }
  const scale = makeScale([...kubelet, ...service].map((m) => m.stats.median));
  const sigterm = moments.sigterm;
  const routing = moments.routingRemoved;
  const gap = gapWords(sigterm, routing, cells, lang);

  // The API server's moment: t = 0, a line through both lanes.
  const apiY = y + 14;
  const x0 = scale.x(0);
  parts.push(
    `<path d="M${num(x0)} ${apiY - 5}l5 5l-5 5l-5 -5z" fill="#1f2328"/>` +
      `<text x="${num(x0 + 10)}" y="${apiY + 4}" class="api">${
        en
          ? 'API server: deletionTimestamp set — the pod is Terminating (t = 0)'
          : 'API サーバー: deletionTimestamp を設定 — Pod は Terminating（t = 0）'
      }</text>`,
  );
  y = apiY + 14;
  // Behind each lane's marks: the band between SIGTERM and the routing change, and the routing line.
  const behind = (top: number, _markY: number, bottom: number) => {
    const out: string[] = [];
    if (gap !== null && sigterm !== null && routing !== null) {
      const a = scale.x(Math.min(sigterm.median, routing.median));
      const b = scale.x(Math.max(sigterm.median, routing.median));
      const fill = gap.race ? COLOURS.race : COLOURS.margin;
      out.push(
        `<rect x="${num(a)}" y="${top}" width="${num(Math.max(2, b - a))}" height="${bottom - top}" fill="${fill}" opacity="0.13"/>`,
      );
    }
    if (routing !== null) {
      const rx = num(scale.x(routing.median));
      out.push(`<line x1="${rx}" x2="${rx}" y1="${top}" y2="${bottom}" class="routing"/>`);
    }
    return out.join('');
  };
  const preStopBand = (top: number, markY: number, bottom: number) => {
    const start = moments.preStopStart;
    const end = moments.preStopEnd;
    let band = '';
    if (start !== null && end !== null && end.median > start.median) {
      const a = scale.x(start.median);
      const b = scale.x(end.median);
      band = `<rect x="${num(a)}" y="${markY - 3}" width="${num(Math.max(1, b - a))}" height="6" fill="${COLOURS.preStop}" opacity="0.35"/>`;
    }
    return behind(top, markY, bottom) + band;
  };
  const lane1 = drawLane(
    kubelet,
    en ? 'kubelet: preStop → SIGTERM → exit (or SIGKILL)' : 'kubelet: preStop → SIGTERM → 終了（または SIGKILL）',
    null,
    y,
    scale,
    lang,
    podCount,
    preStopBand,
  );
  y += lane1.height + 6;
  const lane2 = drawLane(
    service,
    en ? 'EndpointSlice → kube-proxy → iptables rules' : 'EndpointSlice → kube-proxy → iptables ルール',
    en
      ? "when kube-proxy's rules changed (its own notice is not recorded)"
      : 'kube-proxy のルールが変わった時刻（kube-proxy が気づいた時刻は記録されません）',
    y,
    scale,
    lang,
    podCount,
    behind,
  );
  y += lane2.height;
  const axisY = y + 4;
  parts.push(ticks(scale, apiY + 8, axisY, lang), lane1.svg, lane2.svg);
  y = axisY + 44;

  if (gap !== null) {
    parts.push(
      `<rect x="${MARGIN}" y="${y + 4}" width="12" height="12" fill="${gap.race ? COLOURS.race : COLOURS.margin}" opacity="0.45"/>`,
    );
    const block = textBlock([{ text: gap.text, cls: 'fig-sub' }], y - 1, MARGIN + 18);
    parts.push(block.svg);
    y += block.height;
  }
  const noteBlock = textBlock(
    notes(results, lang).map((text) => ({ text, cls: 'fig-note' as const })),
    y,
  );
  parts.push(noteBlock.svg);
  y += noteBlock.height;
  const title = sequenceHeader(results, variant, scenario, cells, lang)[0]!.text;
  return standaloneSvg({ lang, height: y + 10, title, description, style: STYLE, body: parts.join('\n') });
}
