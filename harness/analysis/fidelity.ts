import type { CellResult, ResultsFile } from '../model/results.ts';
import type { FailureCause } from '../model/sample.ts';
import { sigtermSeenMs } from './pod-timelines.ts';
import { mean, median } from './stats.ts';
import { summarizeVerdicts, type Verdict } from './verdicts.ts';

/** Medians over every pod that was terminated in the pair's cells (ms after it became Terminating), null when none. */
export interface FidelityTimings {
  /** Terminating → its endpoint not ready in the EndpointSlice. */
  endpointNotReadyMs: number | null;
  /** Terminating → its endpoint removed from the EndpointSlice. */
  endpointRemovedMs: number | null;
  /** Terminating → kube-proxy stopped routing to it (real: only where its iptables rules are on this host). */
  routingRemovedMs: number | null;
  /** Terminating → SIGTERM (the kubelet's on local; the app's own log line on a real cluster). */
  sigtermMs: number | null;
  /** SIGTERM → the container exited (for a process that ignores SIGTERM: the SIGKILL at the grace period). */
  sigtermToExitMs: number | null;
  /** Mean rollout time of the pair's cells (s). */
  rolloutSeconds: number | null;
}

/** One platform's numbers for a variant × scenario. */
export interface FidelitySide {
  repetitions: number;
  requests: number;
  failed: number;
  errorRate: number;
  ci: { low: number; high: number };
  verdict: Verdict;
  causes: Record<FailureCause, number>;
  timings: FidelityTimings;
}

/** A variant × scenario on the emulator and on the real cluster. */
export interface FidelityRow {
  variant: string;
  scenario: string;
  local: FidelitySide | null;
  real: FidelitySide | null;
  /** Both verdicts present and equal; null when a side did not measure the pair. */
  agree: boolean | null;
}

/**
 * Several runs of one platform as one: their cells together (repetitions counted per pair, not per run), their
 * variants and scenarios in first-seen order. The first run's header (platform, versions, load) is kept.
 */
export function mergeRuns(runs: readonly ResultsFile[]): ResultsFile {
  if (runs.length === 0) throw new Error('mergeRuns needs at least one run');
  const first = runs[0]!;
  const union = (pick: (r: ResultsFile) => string[]) => [...new Set(runs.flatMap(pick))];
  return {
    ...first,
    variants: union((r) => r.variants),
    scenarios: union((r) => r.scenarios),
    variantInfo: Object.assign({}, ...runs.map((r) => r.variantInfo)) as ResultsFile['variantInfo'],
    scenarioInfo: Object.assign({}, ...runs.map((r) => r.scenarioInfo)) as ResultsFile['scenarioInfo'],
    cells: runs.flatMap((r) => r.cells),
    // Pairs were measured a different number of times in different runs: each pair is judged on the cells it has.
    repetitions: 1,
  };
}

function pairTimings(cells: readonly CellResult[]): FidelityTimings {
  const values = (pick: (p: CellResult['propagation'][number]) => number | null) =>
    cells.flatMap((c) => c.propagation.map(pick)).filter((v): v is number => v !== null);
  const exits = cells.flatMap((c) =>
    c.pods.flatMap((p) => {
      const sigterm = sigtermSeenMs(p);
      return p.terminatingMs !== null && sigterm !== null && p.exitedMs !== null ? [p.exitedMs - sigterm] : [];
    }),
  );
  const rollouts = cells.map((c) => c.rolloutSeconds).filter((v): v is number => v !== null);
  return {
    endpointNotReadyMs: median(values((p) => p.endpointNotReadyMs)),
    endpointRemovedMs: median(values((p) => p.endpointRemovedMs)),
    routingRemovedMs: median(values((p) => p.routingRemovedMs)),
    sigtermMs: median(values((p) => p.sigtermMs)),
    sigtermToExitMs: median(exits),
    rolloutSeconds: mean(rollouts),
  };
}

function sides(results: ResultsFile): Map<string, FidelitySide> {
  const out = new Map<string, FidelitySide>();
  for (const row of summarizeVerdicts(results)) {
    if (row.repetitions === 0) continue;
    const cells = results.cells.filter((c) => c.variant === row.variant && c.scenario === row.scenario);
    out.set(JSON.stringify([row.variant, row.scenario]), {
      repetitions: row.repetitions,
      requests: row.requests,
      failed: row.failed,
      errorRate: row.errorRate,
      ci: row.errorRateCi,
      verdict: row.verdict,
      causes: row.failuresByCause,
      timings: pairTimings(cells),
    });
  }
  return out;
}

/** Every pair either side measured, in the local run's order, then the real run's extra pairs. */
export function fidelityRows(local: ResultsFile, real: ResultsFile): FidelityRow[] {
  const l = sides(local);
  const r = sides(real);
  const keys = [...new Set([...l.keys(), ...r.keys()])];
  return keys.map((key) => {
    const [variant, scenario] = JSON.parse(key) as [string, string];
    const a = l.get(key) ?? null;
    const b = r.get(key) ?? null;
    return { variant, scenario, local: a, real: b, agree: a && b ? a.verdict === b.verdict : null };
  });
}
