import type { CompareRow } from '../analysis/compare-runs.ts';
import type { ResultsFile } from '../model/results.ts';
import { bi } from './bilingual-html.ts';
import { escapeHtml as h } from './escape.ts';
import { describePlatform, formatInterval, formatPercent } from './format.ts';
import { LANG_BOOT_SCRIPT, LANG_BUTTONS, PAGE_SCRIPT, PAGE_STYLE } from './page-assets.ts';

/** What each change means, in both languages. */
export const CHANGE_LABELS = {
  worse: { en: 'worse (beyond the intervals)', ja: '悪化（区間を超える差）' },
  better: { en: 'better (beyond the intervals)', ja: '改善（区間を超える差）' },
  'within-intervals': { en: 'no clear change', ja: '明確な変化なし' },
  added: { en: 'new in this run', ja: '今回のみ' },
  removed: { en: 'only in the other run', ja: '比較対象のみ' },
} as const;

function side(s: CompareRow['then']): string {
  if (s === null) return '<td>—</td><td>—</td>';
  return `<td data-v="${s.errorRate}">${formatPercent(s.errorRate)} <small class="muted">${formatInterval(s.ci)}</small></td><td data-v="${s.failed}">${s.failed} / ${s.requests}</td>`;
}

function runLine(label: string, r: ResultsFile): string {
  return `<li>${label}: <code>${h(r.runId)}</code> — ${h(r.startedAt)}, ${h(describePlatform(r.platform))}, ×${h(r.timeScale)}, ${h(r.loadProfile.rate)} req/s, ${h(r.repetitions)} rep(s), ${h(r.status)}</li>`;
}

/** compare.html: the error rate of each variant × scenario then (other run) and now (this run), self-contained. */
export function renderCompareHtml(then: ResultsFile, now: ResultsFile, rows: CompareRow[]): string {
  const body = rows.map((r) => {
    const label = CHANGE_LABELS[r.change];
    const cls = r.change === 'worse' ? 'change-worse' : r.change === 'better' ? 'change-better' : '';
    return `<tr><td class="text">${h(r.variant)}</td><td class="text">${h(r.scenario)}</td>${side(r.then)}${side(r.now)}<td class="text ${cls}" data-v="${r.change}">${bi(h(label.en), h(label.ja))}</td></tr>`;
  });
  const th = (en: string, ja: string, text = false) => `<th class="sortable${text ? ' text' : ''}">${bi(en, ja)}</th>`;
  return `<!doctype html>
<html lang="en" class="lang-en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>drainlab compare — ${h(then.runId)} → ${h(now.runId)}</title>
<script>${LANG_BOOT_SCRIPT}</script><style>${PAGE_STYLE}</style></head>
<body>
<header class="top"><h1>${bi('drainlab: what changed between two runs', 'drainlab: 2 つの実行の比較')}</h1>${LANG_BUTTONS}</header>
<ul>${runLine('other run (--compare) / 比較対象', then)}${runLine('this run / 今回', now)}</ul>
<div class="scroll"><table class="sortable"><thead><tr>${th('variant', 'バリアント', true)}${th('scenario', 'シナリオ', true)}${th('error rate, other run', '比較対象のエラー率')}${th('failed, other run', '比較対象の失敗')}${th('error rate, this run', '今回のエラー率')}${th('failed, this run', '今回の失敗')}${th('change', '変化', true)}</tr></thead>
<tbody>${body.join('\n')}</tbody></table></div>
<p class="muted">${bi(
    'A change counts only when the two 95 % intervals (Wilson) do not overlap; otherwise the difference may be chance.',
    '2 つの 95 % 区間（Wilson）が重ならない場合だけを変化とみなします。重なる場合、その差は偶然の範囲かもしれません。',
  )}</p>
<script>${PAGE_SCRIPT}</script>
</body></html>
`;
}
