import { distinguishVariants } from '../analysis/distinguish.ts';
import { describeCautions } from '../analysis/cautions.ts';
import { summarizeVerdicts, type Verdict } from '../analysis/verdicts.ts';
import { describeIncomplete } from '../runner/describe-incomplete.ts';
import type { ResultsFile } from '../model/results.ts';
import { escapeMarkdownCell as cell } from './escape.ts';
import { whatThisMeans } from './what-this-means.ts';
import { appSummaryLines } from './app-text.ts';
import { checkCourseClaims, type ClaimVerdict } from '../analysis/course-claims.ts';
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
  CLAIM_VERDICT_TEXT,
} from './reading-guide.ts';

/** The verdict words as the console prints them, with a sign that survives a quick glance. */
const VERDICT_LABEL: Record<Verdict, string> = {
  'no-loss': '✅ no-loss',
  'loses-requests': '❌ loses-requests',
  incomplete: '⚠️ incomplete',
};

const CLAIM_SIGN: Record<ClaimVerdict, string> = {
  holds: '✅',
  nuance: '🟡',
  'does-not-hold': '❌',
  'not-measured': '⚪',
};

/** The course claims (design §10) in a collapsed list: the verdict, the evidence, what would measure the rest. */
function claimLines(results: ResultsFile): string[] {
  const claims = checkCourseClaims(results);
  const lines = ['<details><summary>The course’s claims, checked against this run</summary>', ''];
  for (const c of claims) {
    lines.push(`${c.number}. ${CLAIM_SIGN[c.verdict]} **${CLAIM_VERDICT_TEXT[c.verdict].en}** — ${cell(c.claim.en)}`);
    for (const e of c.evidence) lines.push(`   - ${cell(e.en)}${e.link ? ` (cell ${cell(e.link.cellId)})` : ''}`);
    if (c.measureWith)
      lines.push(`   - To measure: \`npm run experiment -- ${c.measureWith.flags}\` (${cell(c.measureWith.en)})`);
  }
  lines.push('', '</details>', '');
  return lines;
}

/** How to read the table, collapsed so a CI job summary stays short. */
function readingGuide(): string[] {
  return [
    '<details><summary>How to read this table</summary>',
    '',
    `- ${RECOMMENDED_MARK} = ${COLUMN_MEANINGS.recommended.en}`,
    `- error rate (${INTERVAL_NAME.en}): ${COLUMN_MEANINGS.errorRate.en}`,
    `- p50 / p95 / p99 ms: ${COLUMN_MEANINGS.latency.en}`,
    `- rollout s: ${TIME_DEFINITIONS.rollout.en}`,
    `- settled s: ${TIME_DEFINITIONS.settled.en}`,
    `- ${TIME_DEFINITIONS.slow.en}`,
    ...VERDICTS.map((v) => `- \`${v}\`: ${VERDICT_MEANINGS[v].en}`),
    `- ${ONE_FAILURE.en}`,
    '',
    '</details>',
    '',
  ];
}

/** The GitHub-hosted runner image, when the run recorded one: a nightly's numbers can move with the image. */
function runnerImageLine(machine: ResultsFile['machine']): string[] {
  const image = machine.runnerImage;
  return image ? [`- Runner image: ${cell(image.imageOS)} ${cell(image.imageVersion)} (GitHub-hosted)`] : [];
}

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
    ...runnerImageLine(results.machine),
    `- Time scale: ${cell(describeTimeScale(results.timeScale))}`,
    `- Load profile: ${cell(describeLoadProfile(results.loadProfile))}`,
    `- Repetitions: ${cell(results.repetitions)}; run status: ${cell(results.status)}; started ${cell(results.startedAt)}`,
    recommended.length > 0
      ? `- Recommended (expected to lose no request): ${recommended.map((v) => `**${cell(v)}** ${RECOMMENDED_MARK}`).join(', ')}`
      : '- Recommended: none of the variants run is expected to be safe',
    '',
    `| variant | scenario | reps | requests | failed | error rate (${INTERVAL_NAME.en}) | causes | p50 / p95 / p99 ms | rollout s | settled s | verdict |`,
    '|---|---|--:|--:|--:|---|---|---|--:|--:|---|',
  ];
  for (const row of rows) {
    const name = row.expectedSafe ? `**${cell(row.variant)}** ${RECOMMENDED_MARK}` : cell(row.variant);
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
          `${formatMs(row.p50Ms)} / ${formatMs(row.p95Ms)} / ${formatMs(row.p99Ms)}`,
          formatSeconds(row.rolloutSeconds),
          formatSeconds(row.settledSeconds),
          VERDICT_LABEL[row.verdict],
        ].join(' | ') +
        ' |',
    );
  }
  lines.push('', `${RECOMMENDED_MARK} = recommended variant. Times are seconds from the disruption.`, '');
  lines.push(...appSummaryLines(results));
  lines.push(...readingGuide());
  lines.push(...claimLines(results));
  const scenarios = [...new Set([...results.scenarios, ...rows.map((r) => r.scenario)])];
  lines.push(
    '**Scenarios:**',
    '',
    ...scenarios.map(
      (s) => `- ${cell(s)}: ${cell((results.scenarioInfo ?? {})[s]?.summary.en ?? 'no description recorded')}`,
    ),
    '',
  );
  const alike = distinguishVariants(results).filter((d) => !d.distinguishable && d.a !== d.b);
  if (alike.length > 0) {
    lines.push(
      `**${alike.length} variant pair(s) cannot be told apart with ${results.repetitions} repetition(s).** ${TOLD_APART.en}`,
      '',
      ...alike.map(
        (d) => `- ${cell(d.scenario)}: ${cell(d.a)} / ${cell(d.b)}: ${cell(UNDECIDED_REASONS[d.reason].en)}`,
      ),
      '',
    );
  }
  const incomplete = describeIncomplete(results);
  if (incomplete.length > 0) {
    lines.push(
      `**Incomplete** (verdict \`incomplete\`: ${VERDICT_MEANINGS.incomplete.en}):`,
      '',
      ...incomplete.map((l) => `- ${cell(l)}`),
      '',
    );
  }
  for (const caution of describeCautions(results)) {
    lines.push(`**${caution.en}**`, '', ...caution.lines.map((l) => `- ${cell(l)}`), '');
  }
  return lines.join('\n');
}
