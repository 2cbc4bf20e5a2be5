import type { CellResult, PodTimeline } from '../model/results.ts';
import { FAILURE_CAUSES } from '../model/sample.ts';
import { escapeHtml as h } from './escape.ts';
import { NONE, formatMs, formatPercent, formatSeconds } from './format.ts';

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

function row(cells: string[], tag = 'td'): string {
  return `<tr>${cells.map((c) => `<${tag}>${c}</${tag}>`).join('')}</tr>`;
}

function podTable(cell: CellResult, origin: number): string {
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
  const rows = cell.pods.map((p) =>
    row([
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
    ]),
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

/** One cell's section of index.html: what was measured, and every pod's lifecycle. */
export function renderCellSection(cell: CellResult, anchor: string): string {
  const origin = cell.disruptionMs ?? 0;
  const originText =
    cell.disruptionMs === null
      ? 'relative to the cell start (no disruption was recorded)'
      : 'relative to the disruption (scenario start)';
  const causes = FAILURE_CAUSES.map((c) => `${h(c)} ${cell.failuresByCause[c] ?? 0}`).join(' · ');
  const r = cell.requests;
  const status = cell.status === 'complete' ? '' : ` <span class="badge bad">${h(cell.status)}</span>`;
  return `<section class="cell" id="${h(anchor)}">
<h3>${h(cell.variant)} · ${h(cell.scenario)} · rep ${h(cell.repetition)}${status}</h3>
${cell.error === undefined ? '' : `<p class="error">Error: ${h(cell.error)}</p>`}
<dl class="facts">
<dt>Requests</dt><dd>${h(r.total)} (succeeded ${h(r.succeeded)}, dropped before start ${h(r.dropped)})</dd>
<dt>Failed</dt><dd class="${r.failed > 0 ? 'lost' : 'clean'}">${h(r.failed)} (${formatPercent(cell.errorRate)})</dd>
<dt>By cause</dt><dd>${causes}</dd>
<dt>Latency of successes (ms)</dt><dd>p50 ${formatMs(cell.latencyMs.p50)} · p95 ${formatMs(cell.latencyMs.p95)} · p99 ${formatMs(cell.latencyMs.p99)} · max ${formatMs(cell.latencyMs.max)}</dd>
<dt>Rollout / settled (s)</dt><dd>${formatSeconds(cell.rolloutSeconds)} / ${formatSeconds(cell.settledSeconds)}</dd>
<dt>Cell</dt><dd><code>${h(cell.id)}</code>, ${formatSeconds(cell.durationMs / 1000)} s, started ${h(isoTime(cell.startedAtEpochMs))}, load engine ${h(cell.load.engine)}, samples <code>${h(cell.samplesFile)}</code></dd>
</dl>
<h4>Pods (seconds ${originText})</h4>
${podTable(cell, origin)}
<h4>Propagation (ms after the pod became Terminating)</h4>
${propagationTable(cell)}
</section>`;
}
