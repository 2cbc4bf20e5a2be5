import { checkCourseClaims, type ClaimLink, type ClaimVerdict, type CourseClaim } from '../analysis/course-claims.ts';
import type { ResultsFile } from '../model/results.ts';
import { bi, biCode } from './bilingual-html.ts';
import { escapeHtml as h } from './escape.ts';
import { cellAnchor } from './html-verdict-table.ts';
import { CLAIM_VERDICT_TEXT } from './reading-guide.ts';

const VERDICT_CLASS: Record<ClaimVerdict, string> = {
  holds: 'claim-holds',
  nuance: 'claim-nuance',
  'does-not-hold': 'claim-fails',
  'not-measured': 'claim-open',
};

/** The id of a pod's row in its cell's pod table (html-cell-section.ts), so a claim can link to that moment. */
export function podRowAnchor(cellIndex: number, podIndex: number): string {
  return `${cellAnchor(cellIndex)}-pod-${podIndex + 1}`;
}

/** A link to the cell (and pod row) of a piece of evidence, with the moment in the timeline's seconds. */
function evidenceLink(target: ClaimLink, results: ResultsFile): string {
  const index = results.cells.findIndex((c) => c.id === target.cellId);
  if (index < 0) return '';
  const cell = results.cells[index]!;
  const podIndex = target.pod === undefined ? -1 : cell.pods.findIndex((p) => p.name === target.pod);
  const anchor = podIndex < 0 ? cellAnchor(index) : podRowAnchor(index, podIndex);
  const origin = cell.timeline?.originMs ?? cell.disruptionMs ?? 0;
  const at = target.atMs === undefined ? '' : ` @ ${((target.atMs - origin) / 1000).toFixed(2)} s`;
  const pod = podIndex < 0 ? '' : ` · ${h(target.pod!)}`;
  return ` <a class="evidence" href="#${h(anchor)}">${h(cell.variant)} · ${h(cell.scenario)} · ${bi('rep', '回目')} ${h(cell.repetition)}${pod}${h(at)}</a>`;
}

function claimHtml(claim: CourseClaim, results: ResultsFile): string {
  const verdict = CLAIM_VERDICT_TEXT[claim.verdict];
  const evidence = claim.evidence.map(
    (e) => `<li>${bi(h(e.en), h(e.ja))}${e.link ? evidenceLink(e.link, results) : ''}</li>`,
  );
  const measure = claim.measureWith
    ? `<p class="measure">${bi(
        `${claim.verdict === 'not-measured' ? 'To measure it' : 'To measure the rest'}: <code>npm run experiment -- ${h(claim.measureWith.flags)}</code> — ${h(claim.measureWith.en)}.`,
        `${claim.verdict === 'not-measured' ? '測定するには' : '残りを測定するには'}: <code>npm run experiment -- ${h(claim.measureWith.flags)}</code>（${h(claim.measureWith.ja)}）。`,
      )}</p>`
    : '';
  const none =
    evidence.length === 0
      ? `<p class="muted">${bi('No evidence in this run.', 'この実行には根拠となるデータがありません。')}</p>`
      : '';
  return `<li class="claim ${VERDICT_CLASS[claim.verdict]}" id="claim-${claim.number}">
<p class="claim-text"><span class="claim-verdict">${bi(h(verdict.en), h(verdict.ja))}</span> ${biCode(claim.claim)}</p>
${evidence.length > 0 ? `<ul class="evidence">${evidence.join('')}</ul>` : none}${measure}
</li>`;
}

/**
 * The report's "course claims" section (design §10): each sentence of the course page held against this run, with
 * its verdict, the evidence in numbers and a link to the cell and pod where to see it.
 */
export function renderClaimsSection(results: ResultsFile): string {
  const claims = checkCourseClaims(results);
  const counts = (['holds', 'nuance', 'does-not-hold', 'not-measured'] as const)
    .map((v) => ({ v, n: claims.filter((c) => c.verdict === v).length }))
    .filter((x) => x.n > 0);
  const tally = bi(
    counts.map((x) => `${x.n} ${h(CLAIM_VERDICT_TEXT[x.v].en)}`).join(' · '),
    counts.map((x) => `${h(CLAIM_VERDICT_TEXT[x.v].ja)} ${x.n}`).join('・'),
  );
  return `<p class="muted">${bi(
    'What the course page says about Pod shutdown, held against this run’s measurements (<code>npm run experiment -- --course</code> measures every claim). Times are seconds after the pod became Terminating unless the link says otherwise; each link opens the cell and the pod’s row in its table (the @ time is on that cell’s timeline).',
    'Pod の終了について講座ページが述べていることを、この実行の測定値と照らし合わせます（<code>npm run experiment -- --course</code> ですべての主張を測定できます）。特に断りがない限り時間は Pod が Terminating になってからの秒数です。各リンクはセルとその表の Pod の行を開きます（@ の時刻はそのセルのタイムライン上の時刻）。',
  )}</p>
${
  results.platform.emulated
    ? ''
    : `<p class="muted">${bi(
        'On a real cluster the kubelet reports neither the start and end of a preStop hook nor SIGKILL: a declared hook counts from Terminating until the app logged SIGTERM (which follows the hook’s end, or its cut at the grace period, which a FailedPreStopHook Event reports), and SIGKILL is an exit with code 137, at the moment the container status said so.',
        '実クラスターの kubelet は preStop フックの開始と終了も SIGKILL も報告しません。宣言されたフックは Terminating からアプリが SIGTERM をログに書くまでとし（SIGTERM はフックの終了、またはグレース期間での打ち切りの直後に届きます。打ち切りは FailedPreStopHook イベントが知らせます）、SIGKILL は終了コード 137 の終了を、コンテナの状態がそれを示した時刻で数えます。',
      )}</p>`
}
<p class="claim-tally">${tally}</p>
<ol class="claims">${claims.map((c) => claimHtml(c, results)).join('\n')}</ol>
<p>${bi(
    'Figures a course page can embed (per variant the measured termination sequence, per cell its timeline; SVG in each language with a Markdown snippet): <code>figures/</code> (<code>figures/README.md</code> lists them).',
    '講座ページに埋め込める図（バリアントごとの実測した終了シーケンスと、セルごとのタイムライン。言語別の SVG と Markdown スニペット）: <code>figures/</code>（一覧は <code>figures/README.md</code>）。',
  )}</p>`;
}
