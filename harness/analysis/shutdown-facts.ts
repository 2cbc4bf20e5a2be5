import type { CellResult, FailureMechanism } from '../model/results.ts';
import { FAILURE_MECHANISMS } from './request-timeline.ts';
import { median } from './stats.ts';

/** What the terminated pods of some cells did, for the report's "what happened" text. */
export interface ShutdownFacts {
  /** Pods that became Terminating. */
  terminatedPods: number;
  /**
   * Median over those pods of (SIGTERM sent − routing stopped sending new connections), ms: negative means SIGTERM
   * came first (the race is lost), null when no pod had both.
   */
  sigtermMinusRoutingMs: number | null;
  /** Pods counted in the median. */
  podsWithBoth: number;
  /** How many terminated pods exited with each code (`143`, `0`, ...); `?` when the exit was not seen. */
  exitCodes: Record<string, number>;
  /** Pods that were sent SIGKILL. */
  sigkilled: number;
  /** Failed requests per mechanism, summed over the cells that carry a timeline. */
  mechanisms: Record<FailureMechanism, number>;
  /** Cells whose results carry no mechanism counts (written before timelines existed). */
  cellsWithoutMechanisms: number;
}

/** Sums the shutdown facts of `cells` (normally the repetitions of one variant × scenario). Pure. */
export function summarizeShutdowns(cells: readonly CellResult[]): ShutdownFacts {
  const mechanisms = Object.fromEntries(FAILURE_MECHANISMS.map((m) => [m, 0])) as Record<FailureMechanism, number>;
  const gaps: number[] = [];
  const exitCodes: Record<string, number> = {};
  let terminatedPods = 0;
  let sigkilled = 0;
  let cellsWithoutMechanisms = 0;
  for (const cell of cells) {
    for (const pod of cell.pods) {
      if (pod.terminatingMs === null) continue;
      terminatedPods++;
      if (pod.sigtermMs !== null && pod.routingRemovedMs !== null) gaps.push(pod.sigtermMs - pod.routingRemovedMs);
      const code = pod.exitCode === null ? '?' : String(pod.exitCode);
      exitCodes[code] = (exitCodes[code] ?? 0) + 1;
      if (pod.sigkillMs !== null) sigkilled++;
    }
    if (cell.timeline === undefined) {
      cellsWithoutMechanisms++;
      continue;
    }
    for (const m of FAILURE_MECHANISMS) mechanisms[m] += cell.timeline.mechanisms[m] ?? 0;
  }
  return {
    terminatedPods,
    sigtermMinusRoutingMs: median(gaps),
    podsWithBoth: gaps.length,
    exitCodes,
    sigkilled,
    mechanisms,
    cellsWithoutMechanisms,
  };
}
