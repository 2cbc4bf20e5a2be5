import { terminatedPods } from '../../analysis/moments.ts';
import type { CellResult, ResultsFile } from '../../model/results.ts';
import { escapeMarkdownCell } from '../escape.ts';
import { FIGURE_LANGUAGES, platformWords, type FigureLanguage } from './figure-svg.ts';
import { COURSE_SCENARIO, renderSequenceFigure, sequenceCells, sequenceScenario } from './sequence-figure.ts';
import { renderTimelineFigure, timelineTitle } from './timeline-figure.ts';

/**
 * Every file of a run's `figures/` folder, as a pure function of results.json: per variant a measured-sequence
 * figure, per cell its timeline, each as `<name>.en.svg` and `<name>.ja.svg` with a Markdown snippet beside it
 * (`<name>.<lang>.md`: the image with alt text, linked by `./<name>.<lang>.svg`, and a caption), a README listing them
 * all, and `index.json`, the manifest that names every file so a later render removes only its own stale files.
 */

/** The manifest's file name. */
export const MANIFEST = 'index.json';

/** The folder's README (both languages). */
export const README = 'README.md';

/** One figure (both languages). */
export interface FigureEntry {
  /** File name stem: `sequence-<variant>` or `timeline-<cell id>`, made file-name safe. */
  name: string;
  kind: 'sequence' | 'timeline';
  variant: string;
  scenario: string;
  /** The cell, for a timeline. */
  cellId?: string;
  /** Per language, the SVG and the snippet file names. */
  files: Record<FigureLanguage, { svg: string; md: string }>;
}

/** A file to write into `figures/`. */
export interface FigureFile {
  file: string;
  content: string;
}

/** The rendered folder: files (SVGs, snippets, README; the manifest is separate) and what they are. */
export interface FigureSet {
  figures: FigureEntry[];
  files: FigureFile[];
  /** index.json's text. */
  manifest: string;
}

/** A file written by renderFigureSet other than the README and manifest: the only kind a later render deletes. */
export const FIGURE_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*\.(en|ja)\.(svg|md)$/;

/** `raw` as a file-name stem: letters, digits, `.`, `_`, `-` only (cell ids already are; results.json may be anything). */
export function safeStem(raw: string): string {
  const stem = raw.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[._-]+/, '');
  return (stem === '' ? 'x' : stem).slice(0, 150);
}

/** Markdown inline text: characters that would start markup are escaped, line breaks become spaces. */
export function escapeMarkdownText(value: string): string {
  return value.replace(/\r?\n|\r/g, ' ').replace(/[\\`*_[\]<>]/g, (ch) => `\\${ch}`);
}

/** Every figure of the run with its file names, sequences first (variants in run order), then cells in run order. */
export function planFigures(results: ResultsFile): FigureEntry[] {
  const used = new Set<string>();
  const unique = (stem: string): string => {
    let name = stem;
    for (let i = 2; used.has(name.toLowerCase()); i++) name = `${stem}-${i}`;
    used.add(name.toLowerCase());
    return name;
  };
  const files = (name: string) =>
    Object.fromEntries(FIGURE_LANGUAGES.map((l) => [l, { svg: `${name}.${l}.svg`, md: `${name}.${l}.md` }])) as Record<
      FigureLanguage,
      { svg: string; md: string }
    >;
  const variants = [...new Set([...results.variants, ...results.cells.map((c) => c.variant)])];
  const out: FigureEntry[] = [];
  for (const variant of variants) {
    const scenario = sequenceScenario(results, variant);
    if (scenario === null) continue;
    const name = unique(`sequence-${safeStem(variant)}`);
    out.push({ name, kind: 'sequence', variant, scenario, files: files(name) });
  }
  for (const cell of results.cells) {
    const name = unique(`timeline-${safeStem(cell.id)}`);
    out.push({
      name,
      kind: 'timeline',
      variant: cell.variant,
      scenario: cell.scenario,
      cellId: cell.id,
      files: files(name),
    });
  }
  return out;
}

/** Alt text and caption of a figure (plain text, not yet escaped for Markdown). */
export function figureWords(
  results: ResultsFile,
  figure: FigureEntry,
  lang: FigureLanguage,
): { alt: string; caption: string[] } {
  const en = lang === 'en';
  const platform = platformWords(results.platform)[lang];
  const scale =
    results.timeScale === 1 ? '' : en ? `, time scale ×${results.timeScale}` : `、時間倍率 ×${results.timeScale}`;
  if (figure.kind === 'sequence') {
    const cells = sequenceCells(results, figure.variant, figure.scenario);
    const pods = terminatedPods(cells).length;
    const course = figure.scenario === COURSE_SCENARIO;
    return {
      alt: en
        ? `Measured termination sequence of ${figure.variant} under ${figure.scenario}: kubelet lane and EndpointSlice / kube-proxy lane, in seconds after the pod became Terminating`
        : `${figure.variant}（${figure.scenario}）の Pod 終了シーケンスの実測: kubelet のレーンと EndpointSlice / kube-proxy のレーン（Terminating からの秒数）`,
      caption: [
        en
          ? `The termination sequence (API server → kubelet → preStop → SIGTERM, and EndpointSlice → kube-proxy → rules) of ${figure.variant} under ${figure.scenario}${course ? '' : ' (rolling-update was not run for it)'}, drawn with measured medians and min–max.`
          : `${figure.variant}（${figure.scenario} シナリオ${course ? '' : '。rolling-update は未実行'}）の Pod 終了シーケンス（API サーバー → kubelet → preStop → SIGTERM、EndpointSlice → kube-proxy → ルール）を、実測の中央値と最小〜最大で描いたものです。`,
        en
          ? `Run ${results.runId}, ${platform}${scale}; ${pods} terminated pod(s) in ${cells.length} cell(s).`
          : `実行 ${results.runId}、${platform}${scale}。${cells.length} セルで終了した Pod ${pods} 個。`,
      ],
    };
  }
  const cell = results.cells.find((c) => c.id === figure.cellId) as CellResult;
  return {
    alt: en
      ? `${timelineTitle(cell, lang)}: requests per time bucket and one lane per pod`
      : `${timelineTitle(cell, lang)}: 時間帯ごとのリクエスト数と Pod ごとのレーン`,
    caption: [
      en
        ? `Requests (failures by cause) and each pod's lifecycle — Ready, Terminating, preStop, SIGTERM, exit, endpoint removal, routing stopped — for ${cell.variant} under ${cell.scenario}, repetition ${cell.repetition}: ${cell.requests.failed} of ${cell.requests.total} requests failed.`
        : `${cell.variant}（${cell.scenario}、繰り返し ${cell.repetition}）のリクエスト（原因別の失敗）と各 Pod のライフサイクル（Ready、Terminating、preStop、SIGTERM、終了、EndpointSlice からの除外、ルーティング停止）。リクエスト ${cell.requests.total} 件中 ${cell.requests.failed} 件が失敗。`,
      en
        ? `Run ${results.runId}, ${platform}${scale}; ${cell.pods.length} pods in this cell.`
        : `実行 ${results.runId}、${platform}${scale}。このセルの Pod ${cell.pods.length} 個。`,
    ],
  };
}

/** The snippet a course page pastes: the image by its relative path, then the caption. */
export function renderSnippet(results: ResultsFile, figure: FigureEntry, lang: FigureLanguage): string {
  const { alt, caption } = figureWords(results, figure, lang);
  const text = caption.map(escapeMarkdownText);
  return `![${escapeMarkdownText(alt)}](./${figure.files[lang].svg})\n\n*${text.join('*\\\n*')}*\n`;
}

/** figures/README.md: where the figures are and how to use them, then every figure with its files, in both languages. */
export function renderFiguresReadme(results: ResultsFile, figures: readonly FigureEntry[]): string {
  const row = (f: FigureEntry, lang: FigureLanguage) => {
    const what =
      f.kind === 'sequence'
        ? lang === 'en'
          ? `measured termination sequence of ${f.variant} (${f.scenario})`
          : `${f.variant}（${f.scenario}）の Pod 終了シーケンスの実測`
        : lang === 'en'
          ? `timeline of one cell: ${f.variant} (${f.scenario})`
          : `1 セルのタイムライン: ${f.variant}（${f.scenario}）`;
    const link = (file: string) => `[${escapeMarkdownText(file)}](./${file})`;
    const links = (l: FigureLanguage) => `${link(f.files[l].svg)} · ${link(f.files[l].md)}`;
    return `| ${escapeMarkdownCell(f.name)} | ${escapeMarkdownCell(what)} | ${links(lang)} |`;
  };
  const run = escapeMarkdownText(results.runId);
  const platform = platformWords(results.platform);
  return `# Figures of drainlab run ${run} / drainlab 実行 ${run} の図

## English

Standalone SVG figures of this run — ${escapeMarkdownText(platform.en)} — for a course page: one language per file,
800 px wide, no scripts, no external files. Beside each \`<name>.<lang>.svg\` is \`<name>.<lang>.md\`, a Markdown
snippet (the image with alt text and a caption) that links to the figure by the relative path \`./<name>.<lang>.svg\`:
copy the SVG and its snippet into the same folder of the course and paste the snippet's text into the page.
\`sequence-<variant>\` redraws the course's termination sequence with this run's measured times; \`timeline-<cell>\`
is one cell's requests and pod lifecycle. \`npm run report -- <run folder>\` rewrites this folder from results.json.

| figure | what it shows | files |
| --- | --- | --- |
${figures.map((f) => row(f, 'en')).join('\n')}

## 日本語

この実行（${escapeMarkdownText(platform.ja)}）の図を、講座ページに埋め込める単独の SVG として置いています。1 ファイル 1 言語、幅
800 px、スクリプトや外部ファイルはありません。各 \`<name>.<lang>.svg\` の隣の \`<name>.<lang>.md\` は Markdown の
スニペット（代替テキスト付きの画像とキャプション）で、図を相対パス \`./<name>.<lang>.svg\` で参照します。SVG とスニペットを講座の同じ
フォルダーにコピーし、スニペットの本文をページに貼り付けてください。\`sequence-<variant>\` は講座の終了シーケンスをこの実行の実測時刻で
描き直したもの、\`timeline-<cell>\` は 1 セルのリクエストと Pod のライフサイクルです。\`npm run report -- <実行フォルダー>\` で
results.json からこのフォルダーを書き直せます。

| 図 | 内容 | ファイル |
| --- | --- | --- |
${figures.map((f) => row(f, 'ja')).join('\n')}
`;
}

/** Every file of `figures/` for `results`. Pure. */
export function renderFigureSet(results: ResultsFile): FigureSet {
  const figures = planFigures(results);
  const files: FigureFile[] = [];
  for (const figure of figures) {
    for (const lang of FIGURE_LANGUAGES) {
      const svg =
        figure.kind === 'sequence'
          ? renderSequenceFigure(results, figure.variant, figure.scenario, lang)
          : renderTimelineFigure(results, results.cells.find((c) => c.id === figure.cellId) as CellResult, lang);
      files.push({ file: figure.files[lang].svg, content: svg });
      files.push({ file: figure.files[lang].md, content: renderSnippet(results, figure, lang) });
    }
  }
  files.push({ file: README, content: renderFiguresReadme(results, figures) });
  const manifest = {
    about:
      'The figures drainlab wrote for this run (see README.md); a later render of the run removes only the files listed here.',
    runId: results.runId,
    figures,
    files: files.map((f) => f.file),
  };
  return { figures, files, manifest: `${JSON.stringify(manifest, null, 2)}\n` };
}
