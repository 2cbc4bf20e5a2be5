import { describeLoadShortfall } from '../analysis/load-shortfall.ts';
import { summarizeVerdicts } from '../analysis/verdicts.ts';
import type { ResultsFile } from '../model/results.ts';
import { escapeMarkdownCell as cell } from './escape.ts';
import { whatThisMeans } from './what-this-means.ts';
import {
  describeLoadProfile,
  describePlatform,
  describeTimeScale,
  formatCauses,
  formatInterval,
  formatMs,
  formatPercent,
  formatSeconds,
} from './format.ts';

const VERDICT_LABEL = {
  'no-loss': '✅ no loss',
  'loses-requests': '❌ loses requests',
  incomplete: '⚠️ incomplete',
} as const;

/** summary.md: the verdict table and provenance in GitHub-flavoured Markdown, for CI job summaries and PRs. */
export function renderSummaryMarkdown(results: ResultsFile): string {
  const rows = summarizeVerdicts(results);
  const recommended = results.variants.filter((v) => results.variantInfo[v]?.expectedSafe === true);
  const lines = [
    `# drainlab results — ${cell(results.runId)}`,
    '',
    `**What this means:** ${cell(whatThisMeans(results).en)}`,
    '',
    `- Platform: ${cell(describePlatform(results.platform))}` +
      (results.platform.emulated ? ' — **emulated**: real processes and sockets, modelled control plane' : ''),
    `- Time scale: ${cell(describeTimeScale(results.timeScale))}`,
    `- Load profile: ${cell(describeLoadProfile(results.loadProfile))}`,
    `- Repetitions: ${cell(results.repetitions)}; run status: ${cell(results.status)}; started ${cell(results.startedAt)}`,
    recommended.length > 0
      ? `- Recommended (expected to lose no request): ${recommended.map((v) => `**${cell(v)}** ★`).join(', ')}`
      : '- Recommended: none of the variants run is expected to be safe',
    '',
    '| variant | scenario | reps | requests | failed | error rate (95 % CI) | causes | p50 / p99 ms | rollout s | verdict |',
    '|---|---|--:|--:|--:|---|---|---|--:|---|',
  ];
  for (const row of rows) {
    const name = row.expectedSafe ? `**${cell(row.variant)}** ★` : cell(row.variant);
    lines.push(
      '| ' +
        [
          name,
          cell(row.scenario),
          row.repetitions,
          row.requests,
          row.failed,
          `${formatPercent(row.errorRate)} (${formatInterval(row.errorRateCi)})`,
          formatCauses(row.failuresByCause),
          `${formatMs(row.p50Ms)} / ${formatMs(row.p99Ms)}`,
          formatSeconds(row.rolloutSeconds),
          VERDICT_LABEL[row.verdict],
        ].join(' | ') +
        ' |',
    );
  }
  lines.push('', '★ = recommended variant. Error-rate intervals are 95 % Wilson intervals over all repetitions.', '');
  const shortfall = describeLoadShortfall(results);
  if (shortfall.length > 0) {
    lines.push('**The load generator fell short of the asked rate:**', '', ...shortfall.map((l) => `- ${cell(l)}`), '');
  }
  return lines.join('\n');
}
