import { coarsenTimeline } from '../analysis/request-timeline.ts';
import { distinguishVariants } from '../analysis/distinguish.ts';
import { describeCautions } from '../analysis/cautions.ts';
import { summarizeVerdicts, type VerdictRow } from '../analysis/verdicts.ts';
import { describeIncomplete } from '../runner/describe-incomplete.ts';
import type { ResultsFile } from '../model/results.ts';
import { FAILURE_CAUSES } from '../model/sample.ts';
import { bi, biCode, biText, codeHtml } from './bilingual-html.ts';
import { CAUSE_EXPLANATIONS } from './cause-text.ts';
import { escapeHtml as h } from './escape.ts';
import {
  describeLoadProfile,
  describeModelledPropagation,
  describePlatform,
  describeTimeScale,
  formatInterval,
  formatPercent,
} from './format.ts';
import { renderCellSection } from './html-cell-section.ts';
import { renderClaimsSection } from './html-claims.ts';
import { renderAppSection } from './html-app.ts';
import { cellAnchor, renderVerdictTable, scenarioAnchors, scenarioSummary, verdictHtml } from './html-verdict-table.ts';
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
import { LANG_BOOT_SCRIPT, LANG_BUTTONS, PAGE_SCRIPT, PAGE_STYLE } from './page-assets.ts';
import { renderVariantExplanation } from './variant-explanation.ts';
import { whatThisMeans } from './what-this-means.ts';

/** Above this many cells each timeline is drawn with fewer, wider buckets so the page stays light. */
const MANY_CELLS = 36;

function provenance(results: ResultsFile): string {
  const m = results.machine;
  const p = results.propagation;
  const statusText =
    results.status === 'complete'
      ? bi('complete', '完了')
      : `<span class="badge bad">${h(results.status)}</span> ${bi('some cells may be missing or partial', '一部のセルが欠けているか途中までの可能性があります')}`;
  const facts: [string, string][] = [
    [bi('Run', '実行'), `${h(results.runId)} — ${statusText}`],
    [
      bi('Platform', 'プラットフォーム'),
      `${results.platform.emulated ? '<b>EMULATED</b> · ' : ''}${h(describePlatform(results.platform))}`,
    ],
    [bi('Time scale', '時間倍率'), h(describeTimeScale(results.timeScale))],
    results.platform.emulated
      ? [bi('Propagation model', '伝播モデル'), h(describeModelledPropagation(p, results.timeScale))]
      : [
          bi('Propagation', '伝播'),
          bi(
            `real control plane and kube-proxy, measured per pod (kube-proxy minSyncPeriod ${p.proxyMinSyncSeconds} s)`,
            `実際のコントロールプレーンと kube-proxy（Pod ごとに実測。kube-proxy minSyncPeriod ${p.proxyMinSyncSeconds} 秒）`,
          ),
        ],
    [bi('Load profile', '負荷プロファイル'), h(describeLoadProfile(results.loadProfile))],
    [bi('Repetitions', '繰り返し回数'), h(results.repetitions)],
    [bi('Machine', 'マシン'), h(`${m.os} ${m.arch}, ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}`)],
    [bi('Date', '日時'), h(`${results.startedAt} → ${results.finishedAt ?? 'not finished / 未完了'}`)],
    [bi('Harness', 'ハーネス'), h(`drainlab ${results.harnessVersion}`)],
  ];
  return `<dl class="facts">${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('\n')}</dl>`;
}

/** What the numbers do not settle: pairs the repetitions cannot tell apart, incomplete cells, risky specs. */
function caveats(results: ResultsFile, rows: VerdictRow[]): string {
  const blocks: string[] = [];
  const alike = distinguishVariants(results).filter((d) => !d.distinguishable && d.a !== d.b);
  if (alike.length > 0) {
    const rate = (variant: string, scenario: string) => {
      const row = rows.find((r) => r.variant === variant && r.scenario === scenario);
      return row === undefined || row.requests === 0
        ? ''
        : ` ${h(formatPercent(row.errorRate))} (${h(formatInterval(row.errorRateCi))})`;
    };
    const items = alike.map((d) => {
      const reason = UNDECIDED_REASONS[d.reason];
      const pair = `${h(d.scenario)}: <b>${h(d.a)}</b>${rate(d.a, d.scenario)} / <b>${h(d.b)}</b>${rate(d.b, d.scenario)}`;
      return `<li>${pair} — ${bi(h(reason.en), h(reason.ja))}</li>`;
    });
    blocks.push(
      `<p><b>${bi(
        `${alike.length} variant pair(s) cannot be told apart with ${results.repetitions} repetition(s).`,
        `${alike.length} 組のバリアントは ${results.repetitions} 回の繰り返しでは区別できません。`,
      )}</b> ${biCode(TOLD_APART)}</p><details><summary>${bi(
        'The pairs, with their error rates and 95 % intervals',
        '該当する組（エラー率と 95 % 区間）',
      )}</summary><ul>${items.join('')}</ul></details>`,
    );
  }
  // Each list of plain-text lines, under its bilingual heading, when it has any.
  const lists: [string, string, string[]][] = [
    [
      `Incomplete (verdict <code>incomplete</code>: ${codeHtml(VERDICT_MEANINGS.incomplete.en)}):`,
      `不完全なセル（判定 <code>incomplete</code>: ${codeHtml(VERDICT_MEANINGS.incomplete.ja)}）:`,
      describeIncomplete(results),
    ],
    ...describeCautions(results).map((c): [string, string, string[]] => [c.en, c.ja, c.lines]),
    ['Warnings (legal but risky settings):', '警告（有効だがリスクのある設定）:', results.warnings ?? []],
  ];
  for (const [en, ja, lines] of lists) {
    if (lines.length > 0) blocks.push(`<p>${bi(en, ja)}</p><ul>${lines.map((l) => `<li>${h(l)}</li>`).join('')}</ul>`);
  }
  return blocks.length === 0 ? '' : `<div class="caveats">${blocks.join('\n')}</div>`;
}

/** Each scenario with what it does (results.scenarioInfo), as the anchors the verdict table links to. */
function scenarioList(results: ResultsFile): string {
  const items = [...scenarioAnchors(results)].map(([name, anchor]) => {
    const about = scenarioSummary(results, name);
    const text = about === undefined ? bi('No description recorded.', '説明が記録されていません。') : biCode(about);
    return `<dt id="${h(anchor)}"><code>${h(name)}</code></dt><dd>${text}</dd>`;
  });
  return `<dl class="facts scenarios">${items.join('\n')}</dl>`;
}

/** How to read the verdict table: every column whose meaning is not obvious, and the three verdicts. */
function readingGuide(): string {
  const item = (en: string, ja: string, text: { en: string; ja: string }) =>
    `<dt>${bi(en, ja)}</dt><dd>${biCode(text)}</dd>`;
  const verdicts = VERDICTS.map((v) => `<dt>${verdictHtml(v)}</dt><dd>${biCode(VERDICT_MEANINGS[v])}</dd>`);
  return `<dl class="guide">
${item(RECOMMENDED_MARK, RECOMMENDED_MARK, COLUMN_MEANINGS.recommended)}
${item(`error rate (${INTERVAL_NAME.en})`, `エラー率（${INTERVAL_NAME.ja}）`, COLUMN_MEANINGS.errorRate)}
${item('p50 / p95 / p99 ms', 'p50 / p95 / p99 ms', COLUMN_MEANINGS.latency)}
${item('rollout s', 'ロールアウト 秒', TIME_DEFINITIONS.rollout)}
${item('settled s', '収束 秒', TIME_DEFINITIONS.settled)}
<dd class="wide">${biCode(TIME_DEFINITIONS.slow)}</dd>
${verdicts.join('\n')}
<dd class="wide">${biCode(ONE_FAILURE)}</dd>
</dl>`;
}

function causeGlossary(): string {
  const items = FAILURE_CAUSES.map((c) => `<dt><code>${h(c)}</code></dt><dd>${biText(CAUSE_EXPLANATIONS[c])}</dd>`);
  return `<dl>${items.join('\n')}</dl>`;
}

function banners(results: ResultsFile): string {
  const out: string[] = [];
  if (results.platform.emulated) {
    out.push(
      `<p class="banner">${bi(
        `EMULATED (${h(results.platform.name)} platform): real processes, signals and sockets; the Kubernetes control plane and kube-proxy are modelled.`,
        `エミュレーション結果（${h(results.platform.name)} プラットフォーム）: プロセス・シグナル・ソケットは本物で、Kubernetes のコントロールプレーンと kube-proxy はモデル化したものです。`,
      )}</p>`,
    );
  }
  const partial = results.cells.filter((c) => c.status !== 'complete').length;
  if (results.status !== 'complete' || partial > 0) {
    out.push(
      `<p class="banner bad">${bi(
        `Run ${h(results.status)}: ${partial} cell(s) incomplete; their numbers are partial and make no claim.`,
        `実行は ${h(results.status)} です。${partial} 個のセルが不完全で、その数値は途中までのものです（判定の根拠にはなりません）。`,
      )}</p>`,
    );
  }
  return out.join('\n');
}

/**
 * index.html: one self-contained page (inline CSS, small inline scripts, server-rendered SVG, no external resource)
 * rebuilt from results.json alone. Every string taken from the results goes through escapeHtml. Cells without a
 * stored timeline are drawn without request bars ("no timeline"); rebuildReport fills them from samples.bin first.
 */
export function renderHtmlReport(results: ResultsFile): string {
  const rows = summarizeVerdicts(results);
  const meaning = whatThisMeans(results);
  const maxBars = results.cells.length > MANY_CELLS ? 150 : 400;
  const cells = results.cells
    .map((cell, i) => {
      const timeline = cell.timeline === undefined ? null : coarsenTimeline(cell.timeline, maxBars);
      return renderCellSection(cell, cellAnchor(i), timeline, scenarioSummary(results, cell.scenario));
    })
    .join('\n');
  const variants = [...new Set([...results.variants, ...rows.map((r) => r.variant)])];
  const explanations = variants
    .map((v, i) =>
      renderVariantExplanation(
        v,
        rows.filter((r) => r.variant === v),
        results,
        `variant-${i + 1}`,
      ),
    )
    .join('\n');
  const variantToc = variants.map((v, i) => `<a href="#variant-${i + 1}">${h(v)}</a>`).join(' ');
  const cellToc = results.cells
    .map((c, i) => `<a href="#${cellAnchor(i)}">${h(c.variant)} · ${h(c.scenario)} · ${h(c.repetition)}</a>`)
    .join(' ');
  return `<!doctype html>
<html lang="en" class="lang-en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>drainlab report — ${h(results.runId)}</title>
<script>${LANG_BOOT_SCRIPT}</script>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header class="top"><div>
<h1>${bi('drainlab: how pod termination loses requests', 'drainlab: Pod の終了はどうリクエストを失わせるか')}</h1>
<p class="muted">${bi(
    'Measured race between the kubelet stopping a pod and routing stopping to send it new connections, and how preStop hooks and SIGTERM draining close it.',
    'kubelet による Pod の停止と、ルーティングが新しい接続の振り分けを止めるまでの競合を実測し、preStop フックと SIGTERM 時のドレインがそれをどう防ぐかを示します。',
  )}</p>
</div>${LANG_BUTTONS}</header>
${banners(results)}
<p class="meaning">${biText(meaning)}</p>
<h2>${bi('Verdict', '判定')}</h2>
${renderVerdictTable(rows, results)}
<p class="muted">${bi(
    'Click a header to sort, a row to open its timeline, a scenario to read what it does. Times are in seconds from the disruption (the scenario start), means over repetitions.',
    '見出しをクリックすると並べ替え、行をクリックするとそのタイムライン、シナリオ名をクリックするとその内容を表示します。時間は障害操作（シナリオ開始）からの秒数で、繰り返しの平均です。',
  )}</p>
${caveats(results, rows)}
<h3>${bi('How to read the table', '表の読み方')}</h3>
${readingGuide()}
<h3>${bi('Scenarios', 'シナリオ')}</h3>
${scenarioList(results)}
<h2 id="claims">${bi('The course’s claims, checked against this run', '講座の主張とこの実行の測定')}</h2>
${renderClaimsSection(results)}
<h2>${bi('Provenance', '実行条件')}</h2>
${provenance(results)}
${results.app || results.appManifest ? `<h2 id="your-app">${bi('Your app: did it lose requests, and what to change', 'あなたのアプリ: リクエストを失ったか、何を変えるべきか')}</h2>\n${renderAppSection(results)}` : ''}
<h2>${bi('Variants: what changes, what happened, why', 'バリアント: 何を変え、何が起き、なぜそうなるか')}</h2>
<nav class="toc">${variantToc}</nav>
${explanations}
<h2>${bi('Failure causes', '失敗の原因')}</h2>
${causeGlossary()}
<h2>${bi('Timelines per cell', 'セルごとのタイムライン')}</h2>
<p class="muted">${bi(
    'The race-condition diagram, drawn from measured data: requests per time bucket on top, one lane per pod below. The dashed blue line is the moment routing stopped sending new connections to that pod; failures left of it and after SIGTERM are the race lost. Hover any mark for its exact time.',
    '競合状態の図を実測データから描いたものです。上段は時間帯ごとのリクエスト数、下段は Pod ごとのレーンです。青の破線はルーティングがその Pod に新しい接続を振り分けなくなった時刻で、SIGTERM の後かつこの線より左で起きた失敗が、競合に負けた分です。各マークにカーソルを合わせると正確な時刻が表示されます。',
  )}</p>
<nav class="toc">${cellToc}</nav>
${cells}
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
