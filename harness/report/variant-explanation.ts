import { summarizeShutdowns, type ShutdownFacts } from '../analysis/shutdown-facts.ts';
import { FAILURE_MECHANISMS } from '../analysis/request-timeline.ts';
import type { VerdictRow } from '../analysis/verdicts.ts';
import type { ResultsFile } from '../model/results.ts';
import { FAILURE_CAUSES, type FailureCause } from '../model/sample.ts';
import { lineDiff } from '../variants/manifest-diff.ts';
import { bi, biCode } from './bilingual-html.ts';
import { escapeHtml as h } from './escape.ts';
import { formatPercent, formatSeconds } from './format.ts';
import { RECOMMENDED_MARK } from './reading-guide.ts';
import { MECHANISM_EXPLANATIONS, MECHANISM_LABELS } from './mechanism-text.ts';

const CAUSE_JA: Record<FailureCause, string> = {
  refused: '接続拒否',
  reset: 'リセット',
  timeout: 'タイムアウト',
  'http-5xx': 'HTTP 5xx',
  other: 'その他',
};

const int = (n: number) => n.toLocaleString('en-US');

/** The manifest without the generated-file header comments, as lines. */
function manifestLines(yaml: string): string[] {
  const all = yaml.replace(/\n$/, '').split('\n');
  const first = all.findIndex((line) => !line.startsWith('#'));
  return first < 0 ? [] : all.slice(first);
}

/** Changed lines with two lines of context, `⋯` where unchanged lines were left out; coloured by class. */
export function renderManifestDiff(baseYaml: string, variantYaml: string, baseName = 'baseline'): string {
  const diff = lineDiff(manifestLines(baseYaml), manifestLines(variantYaml));
  const changed = diff.map((line) => !line.startsWith('  '));
  if (!changed.includes(true))
    return `<p class="muted">${bi(`Same manifest as ${h(baseName)}.`, `${h(baseName)} と同じマニフェストです。`)}</p>`;
  const keep = diff.map((_, i) => changed.slice(Math.max(0, i - 2), i + 3).includes(true));
  const out: string[] = [];
  diff.forEach((line, i) => {
    if (!keep[i]) {
      if (keep[i - 1] === true) out.push('<span class="gap">⋯</span>');
      return;
    }
    const cls = line.startsWith('+ ') ? 'add' : line.startsWith('- ') ? 'del' : 'ctx';
    out.push(`<span class="${cls}">${h(line)}</span>`);
  });
  return `<pre class="diff">${out.join('\n')}</pre>`;
}

function causesText(row: VerdictRow): { en: string; ja: string } {
  const present = FAILURE_CAUSES.filter((c) => row.failuresByCause[c] > 0);
  return {
    en: present.map((c) => `${c} ${int(row.failuresByCause[c])}`).join(', '),
    ja: present.map((c) => `${CAUSE_JA[c]} ${int(row.failuresByCause[c])} 件`).join('、'),
  };
}

function sigtermSentence(f: ShutdownFacts): { en: string; ja: string } | null {
  if (f.sigtermMinusRoutingMs === null) return null;
  const s = (Math.abs(f.sigtermMinusRoutingMs) / 1000).toFixed(2);
  const of = f.podsWithBoth === 1 ? 'one pod' : `median of ${f.podsWithBoth} pods`;
  const ofJa = f.podsWithBoth === 1 ? '1 Pod' : `${f.podsWithBoth} Pod の中央値`;
  return f.sigtermMinusRoutingMs < 0
    ? {
        en: `SIGTERM arrived ${s} s before routing stopped sending new connections to the pod (${of}).`,
        ja: `SIGTERM は、ルーティングがその Pod への新しい接続の振り分けを止める ${s} 秒前に届いていました（${ofJa}）。`,
      }
    : {
        en: `SIGTERM arrived ${s} s after routing had stopped sending new connections to the pod (${of}).`,
        ja: `SIGTERM は、ルーティングがその Pod への新しい接続の振り分けを止めた ${s} 秒後に届きました（${ofJa}）。`,
      };
}

function exitSentence(f: ShutdownFacts): { en: string; ja: string } | null {
  const codes = Object.entries(f.exitCodes);
  if (codes.length === 0) return null;
  const list = codes.map(([code, n]) => `${code} ×${n}`).join(', ');
  const kill = f.sigkilled > 0;
  return {
    en: `Exit codes of the stopped pods: ${list}${kill ? `; ${f.sigkilled} pod(s) were killed with SIGKILL` : ''}.`,
    ja: `停止した Pod の終了コード: ${list}${kill ? `。うち ${f.sigkilled} 個は SIGKILL で強制終了されました` : ''}。`,
  };
}

/**
 * Rollout against settled: the gap is how long old Pods were still shutting down after the Deployment called the
 * rollout complete, which is where a variant that ignores SIGTERM is slow.
 */
function timesSentence(row: VerdictRow): { en: string; ja: string } | null {
  if (row.rolloutSeconds === null || row.settledSeconds === null) return null;
  const rollout = formatSeconds(row.rolloutSeconds);
  const settled = formatSeconds(row.settledSeconds);
  const mean = row.repetitions > 1 ? { en: ' (means)', ja: '（平均）' } : { en: '', ja: '' };
  return {
    en: `The rollout was complete after ${rollout} s; it settled (every stopped Pod gone) after ${settled} s${mean.en}.`,
    ja: `ロールアウト完了まで ${rollout} 秒、収束（停止した Pod がすべて消える）まで ${settled} 秒でした${mean.ja}。`,
  };
}

/** One scenario's "what happened" line, with the numbers of this run. */
function happenedItem(row: VerdictRow, results: ResultsFile): string {
  const cells = results.cells.filter((c) => c.variant === row.variant && c.scenario === row.scenario);
  const facts = summarizeShutdowns(cells);
  const reps = row.repetitions === 1 ? '1 repetition' : `${row.repetitions} repetitions`;
  const causes = causesText(row);
  const lost =
    row.failed === 0
      ? {
          en: `no request failed out of ${int(row.requests)}.`,
          ja: `${int(row.requests)} 件のリクエストのうち、失敗は 0 件でした。`,
        }
      : {
          en: `${int(row.failed)} of ${int(row.requests)} requests failed (${formatPercent(row.errorRate)}: ${causes.en}).`,
          ja: `${int(row.requests)} 件中 ${int(row.failed)} 件のリクエストが失敗しました（${formatPercent(row.errorRate)}。内訳は${causes.ja}）。`,
        };
  const sentences = [sigtermSentence(facts), exitSentence(facts), timesSentence(row)].filter((s) => s !== null);
  const en = `<b>${h(row.scenario)}</b> (${reps}): ${h(lost.en)} ${sentences.map((s) => h(s.en)).join(' ')}`;
  const ja = `<b>${h(row.scenario)}</b>（${row.repetitions} 回）: ${h(lost.ja)}${sentences.map((s) => h(s.ja)).join('')}`;
  return `<li>${bi(en, ja)}</li>`;
}

/** The mechanisms behind this variant's failures, with counts, each explained. */
function whyList(rows: VerdictRow[], results: ResultsFile): string {
  const cells = results.cells.filter((c) => rows.some((r) => r.variant === c.variant && r.scenario === c.scenario));
  const facts = summarizeShutdowns(cells);
  const present = FAILURE_MECHANISMS.filter((m) => facts.mechanisms[m] > 0);
  const failed = rows.reduce((sum, r) => sum + r.failed, 0);
  if (failed === 0) {
    return `<p>${bi(
      'No request failed in any scenario, so there is no loss to explain; the expectation below says why.',
      'どのシナリオでもリクエストは失われなかったため、説明すべき損失はありません。その理由は下の「想定」のとおりです。',
    )}</p>`;
  }
  if (present.length === 0) {
    return `<p class="muted">${bi(
      'This results file carries no per-mechanism counts (written by an older harness); see the failure causes above.',
      'この結果ファイルには仕組み別の集計がありません（古いハーネスで記録）。上の失敗原因の説明を参照してください。',
    )}</p>`;
  }
  const items = present.map((m) => {
    const label = MECHANISM_LABELS[m];
    const text = MECHANISM_EXPLANATIONS[m];
    const n = int(facts.mechanisms[m]);
    return `<li>${bi(`<b>${h(label.en)}</b> (${n}): ${h(text.en)}`, `<b>${h(label.ja)}</b>（${n} 件）: ${h(text.ja)}`)}</li>`;
  });
  return `<ul>${items.join('')}</ul>`;
}

/**
 * One variant's explanation: what it changes (its manifest diff against baseline), what happened in this run (the
 * numbers of each scenario), and why (the mechanism of each kind of loss that occurred), in both languages.
 */
export function renderVariantExplanation(
  variant: string,
  rows: VerdictRow[],
  results: ResultsFile,
  anchor: string,
): string {
  const info = results.variantInfo[variant];
  // An app run compares its variants with the app as given; any other run with the catalog's baseline.
  const baseName = results.app || results.appManifest ? 'app-as-is' : 'baseline';
  const base = results.variantInfo[baseName];
  const star = info?.expectedSafe === true ? `${RECOMMENDED_MARK} ` : '';
  const what =
    info === undefined
      ? `<p class="muted">${bi('No description recorded.', '説明が記録されていません。')}</p>`
      : `${biCode(info.summary, 'p')}${
          variant === baseName || base === undefined
            ? `<p class="muted">${bi('This is the reference the other variants are compared with.', '他のバリアントを比べる基準の構成です。')}</p>`
            : renderManifestDiff(base.manifestYaml, info.manifestYaml, baseName)
        }<details><summary>${bi('Full manifest', 'マニフェスト全体')}</summary><pre>${h(info.manifestYaml)}</pre></details>`;
  const expectation =
    info === undefined ? '' : `<p class="expect"><b>${bi('Expected:', '想定:')}</b> ${biCode(info.expectation)}</p>`;
  return `<section class="variant" id="${h(anchor)}">
<h3>${star}${h(variant)}</h3>
<h4>${bi('What it changes', '何を変えるか')}</h4>
${what}
<h4>${bi('What happened in this run', 'この実行で起きたこと')}</h4>
<ul>${rows.map((row) => happenedItem(row, results)).join('')}</ul>
<h4>${bi('Why', 'なぜそうなるか')}</h4>
${whyList(rows, results)}
${expectation}
</section>`;
}
