import type { CellResult, ResultsFile } from '../model/results.ts';
import { wilsonInterval } from '../analysis/stats.ts';
import { cellVerdict } from '../analysis/verdicts.ts';
import { escapeXml as x } from './escape.ts';
import { formatCauses, formatInterval, formatMs, formatPercent, formatSeconds } from './format.ts';
import { INTERVAL_NAME, RECOMMENDED_MARK } from './reading-guide.ts';

interface CaseOutcome {
  /** `failure` = the measurement contradicts the expectation; `error` = the cell did not run to the end. */
  kind: 'pass' | 'failure' | 'error';
  type: string;
  message: string;
}

function outcomeOf(cell: CellResult, expectedSafe: boolean): CaseOutcome {
  if (cell.status !== 'complete') {
    return {
      kind: 'error',
      type: cell.status,
      message: `cell ${cell.status}: ${cell.error ?? 'no reason recorded'}; verdict incomplete (no claim is made)`,
    };
  }
  if (cell.requests.total === 0) {
    // A clean result without a single request proves nothing; never let it pass a gate.
    return {
      kind: 'failure',
      type: 'incomplete',
      message: 'incomplete: no request was measured in this cell, so no claim is made',
    };
  }
  if (expectedSafe && cell.requests.failed > 0) {
    return {
      kind: 'failure',
      type: 'loses-requests',
      message:
        `loses-requests: ${RECOMMENDED_MARK} ${cell.variant} is the recommended variant, expected no-loss; ` +
        `${cell.requests.failed} of ${cell.requests.total} requests failed (${rateText(cell)}; ` +
        `${formatCauses(cell.failuresByCause)})`,
    };
  }
  return { kind: 'pass', type: '', message: '' };
}

/** The error rate with its interval, as in the report: `0.25 %, 95 % interval 0.043–1.38 %`. */
function rateText(cell: CellResult): string {
  const interval = formatInterval(wilsonInterval(cell.requests.failed, cell.requests.total));
  return `${formatPercent(cell.errorRate)}, ${INTERVAL_NAME.en} ${interval}`;
}

/** What the cell measured, in the report's words, for the test case's output. */
function cellSummary(cell: CellResult, expectedSafe: boolean): string {
  const verdict = cellVerdict(cell);
  const role = expectedSafe
    ? ` (${RECOMMENDED_MARK} recommended variant: expected no-loss)`
    : verdict === 'loses-requests'
      ? ' (expected for this variant: what the lab shows)'
      : '';
  return (
    `verdict ${verdict}${role}; requests ${cell.requests.total}, failed ${cell.requests.failed} ` +
    `(${rateText(cell)}), causes: ${formatCauses(cell.failuresByCause)}; ` +
    `latency of successes p50 / p95 / p99 ${formatMs(cell.latencyMs.p50)} / ${formatMs(cell.latencyMs.p95)} / ` +
    `${formatMs(cell.latencyMs.p99)} ms; rollout ${formatSeconds(cell.rolloutSeconds)} s, ` +
    `settled ${formatSeconds(cell.settledSeconds)} s after the disruption`
  );
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/**
 * junit.xml for CI: a testsuite per scenario, a testcase per cell. Only variants marked expectedSafe can fail by
 * losing requests (the others are expected to lose some: that is what the lab shows); any variant errors when its
 * cell failed or was interrupted, and fails when it measured no request at all. Failure types and messages use the
 * verdict words of the report (`loses-requests`, `incomplete`), so a CI test reporter and the report agree.
 */
export function renderJUnit(results: ResultsFile): string {
  const scenarios = [...new Set([...results.scenarios, ...results.cells.map((c) => c.scenario)])];
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let totalMs = 0;

  for (const scenario of scenarios) {
    const cells = results.cells.filter((c) => c.scenario === scenario);
    const cases: string[] = [];
    let suiteFailures = 0;
    let suiteErrors = 0;
    let suiteMs = 0;
    for (const cell of cells) {
      const expectedSafe = results.variantInfo[cell.variant]?.expectedSafe === true;
      const outcome = outcomeOf(cell, expectedSafe);
      suiteMs += Math.max(0, cell.durationMs);
      const head =
        `    <testcase name="${x(`${cell.variant} rep ${cell.repetition}`)}" ` +
        `classname="${x(`drainlab.${scenario}`)}" time="${seconds(cell.durationMs)}">`;
      const out = `      <system-out>${x(cellSummary(cell, expectedSafe))}</system-out>`;
      const body: string[] = [];
      if (outcome.kind !== 'pass') {
        suiteFailures += outcome.kind === 'failure' ? 1 : 0;
        suiteErrors += outcome.kind === 'error' ? 1 : 0;
        body.push(
          `      <${outcome.kind} message="${x(outcome.message)}" type="${x(outcome.type)}">${x(outcome.message)}</${outcome.kind}>`,
        );
      }
      cases.push([head, ...body, out, '    </testcase>'].join('\n'));
    }
    tests += cells.length;
    failures += suiteFailures;
    errors += suiteErrors;
    totalMs += suiteMs;
    suites.push(
      [
        `  <testsuite name="${x(scenario)}" tests="${cells.length}" failures="${suiteFailures}" ` +
          `errors="${suiteErrors}" skipped="0" time="${seconds(suiteMs)}">`,
        ...cases,
        '  </testsuite>',
      ].join('\n'),
    );
  }

  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${x(`drainlab ${results.runId}`)}" tests="${tests}" failures="${failures}" ` +
      `errors="${errors}" time="${seconds(totalMs)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
