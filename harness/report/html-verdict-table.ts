import type { Verdict, VerdictRow } from '../analysis/verdicts.ts';
import type { ResultsFile } from '../model/results.ts';
import { FAILURE_CAUSES } from '../model/sample.ts';
import type { Bilingual } from '../variants/variant.ts';
import { bi, biTitle } from './bilingual-html.ts';
import { escapeHtml as h } from './escape.ts';
import { formatInterval, formatMs, formatPercent, formatSeconds } from './format.ts';
import { INTERVAL_NAME, RECOMMENDED_MARK, VERDICT_GLOSS_JA } from './reading-guide.ts';

/**
 * A verdict as every output shows it: the word the console prints, coloured; Japanese adds a short gloss so the
 * same word can be found in the explanation.
 */
export function verdictHtml(verdict: Verdict): string {
  return `<span class="${h(verdict)}">${bi(h(verdict), `${h(verdict)} <small>（${h(VERDICT_GLOSS_JA[verdict])}）</small>`)}</span>`;
}

/** The scenarios the report describes, in results order (plus any that only occur in cells), each with its anchor. */
export function scenarioAnchors(results: ResultsFile): Map<string, string> {
  const names = [...new Set([...results.scenarios, ...results.cells.map((c) => c.scenario)])];
  return new Map(names.map((name, i) => [name, `scenario-${i + 1}`]));
}

/** What a scenario does, from results.scenarioInfo; undefined when not recorded (a hand-made results file may lack it). */
export function scenarioSummary(results: ResultsFile, scenario: string): Bilingual | undefined {
  return (results.scenarioInfo ?? {})[scenario]?.summary;
}

/** Anchor of the cell at `index` in results.cells. */
export function cellAnchor(index: number): string {
  return `cell-${index + 1}`;
}

function td(html: string, sortValue: string | number | null, cls = ''): string {
  const v = sortValue === null ? '' : String(sortValue);
  return `<td${cls === '' ? '' : ` class="${cls}"`} data-v="${h(v)}">${html}</td>`;
}

/**
 * The variant × scenario table: pooled requests and failures, error rate with its 95 % interval (Wilson), latency,
 * rollout and settled time, and the verdict. Sortable by clicking a header (inline script); each row links to its
 * cells (the variant name opens the first repetition, the numbers in "reps" each one).
 */
export function renderVerdictTable(rows: VerdictRow[], results: ResultsFile): string {
  // Labels are constant HTML (no data), so they may carry a <br>.
  const sortable = (en: string, ja: string, text = false) =>
    `<th class="sortable${text ? ' text' : ''}" scope="col">${bi(en, ja)}</th>`;
  const head = [
    sortable('variant', 'バリアント', true),
    sortable('scenario', 'シナリオ', true),
    sortable('reps', '回数'),
    sortable('requests', 'リクエスト数'),
    sortable('failed', '失敗'),
    sortable(`error rate (${INTERVAL_NAME.en})`, `エラー率<br>（${INTERVAL_NAME.ja}）`),
    `<th class="text" scope="col">${bi('by cause', '原因別')}</th>`,
    sortable('p50 ms', 'p50 ms'),
    sortable('p95 ms', 'p95 ms'),
    sortable('p99 ms', 'p99 ms'),
    sortable('rollout s', 'ロールアウト<br>秒'),
    sortable('settled s', '収束 秒'),
    sortable('verdict', '判定', true),
  ];
  const anchors = scenarioAnchors(results);
  const body = rows.map((r) => {
    const indexes = results.cells.flatMap((c, i) => (c.variant === r.variant && c.scenario === r.scenario ? [i] : []));
    const first = indexes[0];
    const name = `${r.expectedSafe ? `${RECOMMENDED_MARK} ` : ''}${h(r.variant)}`;
    const link = first === undefined ? name : `<a href="#${cellAnchor(first)}">${name}</a>`;
    const reps =
      indexes.length <= 1
        ? String(r.repetitions)
        : indexes.map((i, k) => `<a href="#${cellAnchor(i)}">${k + 1}</a>`).join(' ');
    const causes = FAILURE_CAUSES.filter((c) => r.failuresByCause[c] > 0)
      .map((c) => `${h(c)} ${r.failuresByCause[c]}`)
      .join(', ');
    const rateClass = r.requests > 0 && r.failed === 0 ? 'zero' : r.failed > 0 ? 'lost' : '';
    const about = scenarioSummary(results, r.scenario);
    const anchor = anchors.get(r.scenario);
    const title = about === undefined ? '' : ` title="${biTitle(about.en, about.ja)}"`;
    const scenario = anchor === undefined ? h(r.scenario) : `<a href="#${h(anchor)}"${title}>${h(r.scenario)}</a>`;
    const safeButLost =
      r.expectedSafe && r.failed > 0 ? ` <span class="badge bad">${bi('expected 0', '想定は 0')}</span>` : '';
    const cells = [
      td(link, r.variant, 'text variant'),
      td(scenario, r.scenario, 'text'),
      td(reps, r.repetitions),
      td(r.requests.toLocaleString('en-US'), r.requests),
      td(String(r.failed), r.failed, rateClass),
      td(
        `${formatPercent(r.errorRate)} <small class="ci">${formatInterval(r.errorRateCi)}</small>`,
        r.errorRate,
        rateClass,
      ),
      td(causes === '' ? '—' : causes, causes, 'text causes'),
      td(formatMs(r.p50Ms), r.p50Ms),
      td(formatMs(r.p95Ms), r.p95Ms),
      td(formatMs(r.p99Ms), r.p99Ms),
      td(formatSeconds(r.rolloutSeconds), r.rolloutSeconds),
      td(formatSeconds(r.settledSeconds), r.settledSeconds),
      td(`${verdictHtml(r.verdict)}${safeButLost}`, r.verdict, 'text verdict'),
    ];
    const cls = r.expectedSafe ? ' class="recommended"' : '';
    const href = first === undefined ? '' : ` data-href="#${cellAnchor(first)}"`;
    return `<tr${cls}${href}>${cells.join('')}</tr>`;
  });
  return `<div class="scroll"><table class="sortable verdicts"><thead><tr>${head.join('')}</tr></thead>
<tbody>${body.join('\n')}</tbody></table></div>`;
}
