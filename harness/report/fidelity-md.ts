import type { FidelityRow, FidelitySide, FidelityTimings } from '../analysis/fidelity.ts';
import type { ResultsFile } from '../model/results.ts';
import {
  NONE,
  describeLoadProfile,
  describeModelledPropagation,
  describePlatform,
  formatCauses,
  formatInterval,
  formatPercent,
} from './format.ts';

/** What the page says about where its numbers came from. */
export interface FidelitySources {
  local: ResultsFile;
  real: ResultsFile;
  /** Run folders as given on the command line, for each side. */
  localRuns: string[];
  realRuns: string[];
}

const ms = (v: number | null) => (v === null ? NONE : `${Math.round(v)}`);
const pair = (
  a: FidelitySide | null,
  b: FidelitySide | null,
  pick: (t: FidelityTimings) => number | null,
  f: (v: number | null) => string = ms,
) => `${a ? f(pick(a.timings)) : NONE} / ${b ? f(pick(b.timings)) : NONE}`;

function rate(side: FidelitySide | null): string {
  if (!side) return `${NONE} | ${NONE} | ${NONE} | ${NONE}`;
  return [
    `${side.repetitions}`,
    `${side.failed}/${side.requests} = ${formatPercent(side.errorRate)} (${formatInterval(side.ci)})`,
    `\`${side.verdict}\``,
    formatCauses(side.causes),
  ].join(' | ');
}

/**
 * The fidelity page: per variant × scenario the error rate with its 95 % Wilson interval, the verdict and the failure
 * causes on the emulator and on the real cluster, whether the verdicts agree, then the measured timings side by side.
 */
export function renderFidelityMarkdown(rows: readonly FidelityRow[], src: FidelitySources): string {
  const both = rows.filter((r) => r.agree !== null);
  const agreeing = both.filter((r) => r.agree).length;
  const lines = [
    '# Fidelity: the `local` emulator against a real cluster',
    '',
    `Made by \`npm run fidelity -- --local ${src.localRuns.join(',')} --real ${src.realRuns.join(',')}\` ` +
      `from runs started ${src.local.startedAt.slice(0, 10)} (local) and ${src.real.startedAt.slice(0, 10)} (real).`,
    '',
    `**Verdicts agree in ${agreeing} of ${both.length} variant × scenario pairs.**`,
    '',
    `- local: ${describePlatform(src.local.platform)}; modelled propagation: ${describeModelledPropagation(src.local.propagation, src.local.timeScale)}`,
    `- real: ${describePlatform(src.real.platform)}`,
    `- load (both): ${describeLoadProfile(src.real.loadProfile)}`,
    '',
    '## Error rates and verdicts',
    '',
    'Failed/requests pooled over the repetitions, the 95 % Wilson interval in brackets.',
    '',
    '| variant | scenario | local reps | local failed | local verdict | local causes | real reps | real failed | real verdict | real causes | agree |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.variant} | ${r.scenario} | ${rate(r.local)} | ${rate(r.real)} | ${r.agree === null ? NONE : r.agree ? 'yes' : '**no**'} |`,
    ),
    '',
    '## Timings (medians over the terminated pods; local / real)',
    '',
    'Milliseconds after the pod became Terminating (as the Pod watch saw it), except SIGTERM → exit (ms) and rollout',
    "(s). Real side: routing removed is read from kube-proxy's iptables rules every 50 ms where kube-proxy runs on",
    "the harness's machine (— elsewhere); SIGTERM is the app's own log line; the exit is when the kubelet reported",
    'it in the Pod status, which lags the process by a few hundred ms.',
    '',
    '| variant | scenario | endpoint not ready | endpoint removed | routing removed | SIGTERM | SIGTERM → exit | rollout (s) |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => {
      const s = (v: number | null) => (v === null ? NONE : v.toFixed(1));
      return [
        '',
        r.variant,
        r.scenario,
        pair(r.local, r.real, (t) => t.endpointNotReadyMs),
        pair(r.local, r.real, (t) => t.endpointRemovedMs),
        pair(r.local, r.real, (t) => t.routingRemovedMs),
        pair(r.local, r.real, (t) => t.sigtermMs),
        pair(r.local, r.real, (t) => t.sigtermToExitMs),
        pair(r.local, r.real, (t) => t.rolloutSeconds, s),
        '',
      ]
        .join(' | ')
        .trim();
    }),
    '',
  ];
  const differing = rows.filter((r) => r.agree === false);
  if (differing.length > 0) {
    lines.push('## Pairs whose verdicts differ', '');
    for (const r of differing) {
      lines.push(
        `- ${r.variant} × ${r.scenario}: local \`${r.local!.verdict}\` (${r.local!.failed}/${r.local!.requests}, ${formatCauses(r.local!.causes)}), ` +
          `real \`${r.real!.verdict}\` (${r.real!.failed}/${r.real!.requests}, ${formatCauses(r.real!.causes)})`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}
