import { summarizeVerdicts, type VerdictRow } from '../analysis/verdicts.ts';
import type { ResultsFile } from '../model/results.ts';
import { FAILURE_CAUSES } from '../model/sample.ts';
import { CAUSE_EXPLANATIONS } from './cause-text.ts';
import { escapeHtml as h } from './escape.ts';
import {
  describeLoadProfile,
  describePlatform,
  describeTimeScale,
  formatInterval,
  formatMs,
  formatPercent,
  formatSeconds,
} from './format.ts';
import { renderCellSection } from './html-cell-section.ts';

const STYLE = `
:root { color-scheme: light dark; --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --muted: #6e7781; --rec: #dafbe1; }
@media (prefers-color-scheme: dark) { :root { --rec: #12361f; } }
body { font: 15px/1.5 system-ui, sans-serif; max-width: 1200px; margin: 0 auto; padding: 1rem 1.5rem 4rem; }
h1 { margin-bottom: 0.2rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #8884; } h4 { margin-bottom: 0.3rem; }
.banner { border: 2px solid var(--warn); color: var(--warn); padding: 0.5rem 1rem; font-weight: 700; }
.muted { color: var(--muted); }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #8885; padding: 0.2rem 0.5rem; text-align: right; white-space: nowrap; }
th { background: #8882; } td:first-child, th:first-child, td.text { text-align: left; }
tr.recommended td { background: var(--rec); } tr.recommended td:first-child { font-weight: 700; }
.scroll { overflow-x: auto; }
.no-loss, .clean { color: var(--ok); font-weight: 600; } .loses-requests, .lost, .error { color: var(--bad); font-weight: 600; }
.incomplete { color: var(--warn); font-weight: 600; }
.badge { font-size: 0.8em; padding: 0.1rem 0.4rem; border-radius: 0.3rem; border: 1px solid currentColor; }
.badge.bad { color: var(--bad); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 1rem; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
section.cell { border-top: 1px dashed #8886; margin-top: 1.5rem; }
pre { background: #8881; padding: 0.5rem; overflow-x: auto; font-size: 0.85em; }
`;

const VERDICT_TEXT = { 'no-loss': 'no loss', 'loses-requests': 'loses requests', incomplete: 'incomplete' } as const;

function provenance(results: ResultsFile): string {
  const m = results.machine;
  const p = results.propagation;
  const facts: [string, string][] = [
    ['Run', `${results.runId} — status ${results.status}`],
    ['Platform', describePlatform(results.platform)],
    ['Time scale', describeTimeScale(results.timeScale)],
    [
      'Propagation model',
      `kubelet notice ${p.kubeletNoticeSeconds} s, EndpointSlice controller ${p.endpointsControllerSeconds} s, ` +
        `kube-proxy watch ${p.proxyWatchSeconds} s, minSyncPeriod ${p.proxyMinSyncSeconds} s`,
    ],
    ['Load profile', describeLoadProfile(results.loadProfile)],
    ['Repetitions', String(results.repetitions)],
    ['Machine', `${m.os} ${m.arch}, ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}`],
    ['Date', `${results.startedAt} → ${results.finishedAt ?? 'not finished'}`],
    ['Harness', `drainlab ${results.harnessVersion}`],
  ];
  return `<dl class="facts">${facts.map(([k, v]) => `<dt>${h(k)}</dt><dd>${h(v)}</dd>`).join('\n')}</dl>`;
}

function verdictTable(rows: VerdictRow[]): string {
  const head = [
    'variant',
    'scenario',
    'reps',
    'requests',
    'failed',
    'error rate',
    '95 % CI',
    ...FAILURE_CAUSES,
    'p50 ms',
    'p99 ms',
    'rollout s',
    'settled s',
    'reps with failures',
    'verdict',
  ];
  const body = rows.map((r) => {
    const cells = [
      r.expectedSafe ? `★ ${h(r.variant)}` : h(r.variant),
      h(r.scenario),
      h(r.repetitions),
      h(r.requests),
      h(r.failed),
      formatPercent(r.errorRate),
      formatInterval(r.errorRateCi),
      ...FAILURE_CAUSES.map((c) => h(r.failuresByCause[c])),
      formatMs(r.p50Ms),
      formatMs(r.p99Ms),
      formatSeconds(r.rolloutSeconds),
      formatSeconds(r.settledSeconds),
      `${h(r.repetitionsWithFailures)} / ${h(r.repetitions)}`,
      `<span class="${r.verdict}">${VERDICT_TEXT[r.verdict]}</span>`,
    ];
    return `<tr${r.expectedSafe ? ' class="recommended"' : ''}>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  return `<div class="scroll"><table><thead><tr>${head.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead>
<tbody>${body.join('\n')}</tbody></table></div>`;
}

function causeGlossary(): string {
  const items = FAILURE_CAUSES.map((c) => {
    const text = CAUSE_EXPLANATIONS[c];
    return `<dt><code>${h(c)}</code></dt><dd>${h(text.en)}<br><span lang="ja">${h(text.ja)}</span></dd>`;
  });
  return `<dl>${items.join('\n')}</dl>`;
}

function variantNotes(results: ResultsFile): string {
  const items = results.variants.map((name) => {
    const info = results.variantInfo[name];
    if (info === undefined) return `<h3>${h(name)}</h3><p class="muted">No description recorded.</p>`;
    return `<h3>${info.expectedSafe ? '★ ' : ''}${h(name)}</h3>
<p>${h(info.summary.en)}<br><span lang="ja">${h(info.summary.ja)}</span></p>
<p><strong>Expected:</strong> ${h(info.expectation.en)}<br><span lang="ja">${h(info.expectation.ja)}</span></p>
<details><summary>Manifest</summary><pre>${h(info.manifestYaml)}</pre></details>`;
  });
  return items.join('\n');
}

/**
 * index.html: one self-contained page (inline CSS, no script, no external resource) rebuilt from results.json
 * alone. Every string taken from the results goes through escapeHtml; numbers go through the shared formatters.
 */
export function renderHtmlReport(results: ResultsFile): string {
  const rows = summarizeVerdicts(results);
  const emulated = results.platform.emulated
    ? `<p class="banner">EMULATED (${h(results.platform.name)} platform): real processes, signals and sockets; ` +
      `the Kubernetes control plane and kube-proxy are modelled. / エミュレーション結果（実プロセス・実ソケット、` +
      `コントロールプレーンはモデル化）</p>`
    : '';
  const cells = results.cells.map((cell, i) => renderCellSection(cell, `cell-${i + 1}`)).join('\n');
  const toc = results.cells
    .map((c, i) => `<li><a href="#cell-${i + 1}">${h(c.variant)} · ${h(c.scenario)} · rep ${h(c.repetition)}</a></li>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>drainlab report — ${h(results.runId)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>drainlab report</h1>
<p class="muted">How pod termination loses requests, and how preStop hooks and SIGTERM draining prevent it.</p>
${emulated}
<h2>Provenance</h2>
${provenance(results)}
<h2>Verdict</h2>
${verdictTable(rows)}
<p class="muted">★ = recommended variant (expected to lose no request). Error rates are pooled over repetitions with a
95 % Wilson interval; latency is the median over repetitions of each cell's percentile of successful requests;
rollout and settled are means.</p>
<h2>Failure causes / 失敗の原因</h2>
${causeGlossary()}
<h2>Variants</h2>
${variantNotes(results)}
<h2>Cells</h2>
<ul>${toc}</ul>
${cells}
</body>
</html>
`;
}
