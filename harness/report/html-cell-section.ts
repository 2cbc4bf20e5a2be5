import type { CellResult, PodTimeline, RequestTimeline } from '../model/results.ts';
import { FAILURE_CAUSES } from '../model/sample.ts';
import type { Bilingual } from '../variants/variant.ts';
import { bi, biText } from './bilingual-html.ts';
import { escapeHtml as h } from './escape.ts';
import { NONE, formatMs, formatPercent, formatSeconds } from './format.ts';
import { renderTimelineSvg } from './svg-timeline.ts';

/** A time on the cell clock as seconds relative to `originMs`, two decimals. */
function rel(ms: number | null, originMs: number): string {
  return ms === null ? NONE : ((ms - originMs) / 1000).toFixed(2);
}

function isoTime(epochMs: number): string {
  const date = new Date(epochMs);
  return Number.isNaN(date.getTime()) ? NONE : date.toISOString();
}

function exitText(pod: PodTimeline): string {
  if (pod.exitCode === null) return NONE;
  return pod.exitSignal === null ? String(pod.exitCode) : `${pod.exitCode} (${pod.exitSignal})`;
}

function row(cells: string[], tag = 'td', id?: string): string {
  return `<tr${id === undefined ? '' : ` id="${h(id)}"`}>${cells.map((c) => `<${tag}>${c}</${tag}>`).join('')}</tr>`;
}

function podTable(cell: CellResult, origin: number, anchor: string): string {
  const head = [
    'pod',
    'generation',
    'created',
    'ready',
    'terminating',
    'preStop start',
    'preStop end',
    'SIGTERM',
    'drain done',
    'SIGKILL',
    'exit',
    'endpoint removed',
    'routing removed',
  ];
  // Each row has an id (podRowAnchor in html-claims.ts) so the course claims can link to a pod's moment.
  const rows = cell.pods.map((p, i) =>
    row(
      [
        `<code>${h(p.name)}</code>`,
        h(p.generation),
        rel(p.createdMs, origin),
        rel(p.readyMs, origin),
        rel(p.terminatingMs, origin),
        rel(p.preStopStartMs, origin),
        p.preStopOutcome === null
          ? rel(p.preStopEndMs, origin)
          : `${rel(p.preStopEndMs, origin)} (${h(p.preStopOutcome)})`,
        rel(p.sigtermMs, origin),
        rel(p.drainDoneMs, origin),
        rel(p.sigkillMs, origin),
        h(exitText(p)),
        rel(p.endpointRemovedMs, origin),
        rel(p.routingRemovedMs, origin),
      ],
      'td',
      `${anchor}-pod-${i + 1}`,
    ),
  );
  if (rows.length === 0) return '<p class="muted">No pod events were recorded.</p>';
  return `<div class="scroll"><table class="pods"><thead>${row(head, 'th')}</thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function propagationTable(cell: CellResult): string {
  if (cell.propagation.length === 0) return '<p class="muted">No pod became Terminating.</p>';
  const head = ['pod', 'endpoint not ready', 'endpoint removed', 'routing removed', 'SIGTERM sent'];
  const rows = cell.propagation.map((p) =>
    row([
      `<code>${h(p.pod)}</code>`,
      formatMs(p.endpointNotReadyMs),
      formatMs(p.endpointRemovedMs),
      formatMs(p.routingRemovedMs),
      formatMs(p.sigtermMs),
    ]),
  );
  return `<div class="scroll"><table><thead>${row(head, 'th')}</thead><tbody>${rows.join('')}</tbody></table></div>`;
}

const STATUS_TEXT = {
  complete: { en: 'complete', ja: '完了' },
  interrupted: { en: 'interrupted: partial data', ja: '中断: データは途中まで' },
  failed: { en: 'failed: partial data', ja: '失敗: データは途中まで' },
} as const;

/**
 * One cell's section of index.html: what was measured, the timeline (requests per bucket above, one lane per pod
 * below), and every pod's lifecycle as tables. `timeline` is what to draw (null: "no timeline").
 */
export function renderCellSection(
  cell: CellResult,
  anchor: string,
  timeline: RequestTimeline | null,
  scenarioSummary?: Bilingual,
): string {
  const origin = timeline?.originMs ?? cell.disruptionMs ?? 0;
  const originText =
    cell.disruptionMs === null
      ? bi('relative to the cell start (no disruption was recorded)', 'セル開始からの相対時刻（障害操作の記録なし）')
      : bi('relative to the disruption (scenario start)', '障害操作（シナリオ開始）からの相対時刻');
  const causes = FAILURE_CAUSES.map((c) => `${h(c)} ${cell.failuresByCause[c] ?? 0}`).join(' · ');
  const r = cell.requests;
  const statusText = STATUS_TEXT[cell.status] ?? { en: String(cell.status), ja: String(cell.status) };
  const status =
    cell.status === 'complete'
      ? ''
      : ` <span class="badge bad">${h(cell.status)}</span> <span class="badge warn">${bi(h(statusText.en), h(statusText.ja))}</span>`;
  const noTimeline =
    timeline === null
      ? `<p class="muted">${bi(
          'No timeline: results.json has none for this cell and its samples file was not found.',
          'タイムラインなし: results.json にこのセルのデータがなく、サンプルファイルも見つかりませんでした。',
        )}</p>`
      : '';
  return `<section class="cell" id="${h(anchor)}">
<h3>${h(cell.variant)} · ${h(cell.scenario)} · ${bi('rep', '回目')} ${h(cell.repetition)}${status}</h3>
${scenarioSummary === undefined ? '' : `<div class="muted">${biText(scenarioSummary, 'p')}</div>`}
${cell.error === undefined ? '' : `<p class="error">${bi('Error:', 'エラー:')} ${h(cell.error)}</p>`}
<dl class="facts">
<dt>${bi('Requests', 'リクエスト')}</dt><dd>${h(r.total)} (${bi('succeeded', '成功')} ${h(r.succeeded)}, ${bi('dropped before start', '開始前に破棄')} ${h(r.dropped)})</dd>
<dt>${bi('Failed', '失敗')}</dt><dd class="${r.failed > 0 ? 'loses-requests' : 'no-loss'}">${h(r.failed)} (${formatPercent(cell.errorRate)}) — ${causes}</dd>
<dt>${bi('Latency of successes (ms)', '成功したリクエストのレイテンシ (ms)')}</dt><dd>p50 ${formatMs(cell.latencyMs.p50)} · p95 ${formatMs(cell.latencyMs.p95)} · p99 ${formatMs(cell.latencyMs.p99)} · max ${formatMs(cell.latencyMs.max)}</dd>
<dt>${bi('Rollout / settled (s)', 'ロールアウト / 収束 (秒)')}</dt><dd>${formatSeconds(cell.rolloutSeconds)} / ${formatSeconds(cell.settledSeconds)}</dd>
</dl>
${noTimeline}${renderTimelineSvg(cell, timeline)}
<details><summary>${bi('Pods and propagation (tables)', 'Pod と伝播の詳細（表）')}</summary>
<h4>${bi('Pods: seconds', 'Pod: 秒')} ${originText}</h4>
${podTable(cell, origin, anchor)}
<h4>${bi('Propagation (ms after the pod became Terminating)', '伝播（Pod が Terminating になってからの ms）')}</h4>
${propagationTable(cell)}
<p class="muted">${bi('Cell', 'セル')} <code>${h(cell.id)}</code>, ${formatSeconds(cell.durationMs / 1000)} s, ${bi('started', '開始')} ${h(isoTime(cell.startedAtEpochMs))}, ${bi('load engine', '負荷生成')} ${h(cell.load.engine)}, ${bi('samples', 'サンプル')} <code>${h(cell.samplesFile)}</code></p>
</details>
</section>`;
}
