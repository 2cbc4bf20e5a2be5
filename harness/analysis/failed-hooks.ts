import type { ResultsFile } from '../model/results.ts';

/**
 * One line per cell in which a preStop hook failed (an exec whose command the image lacks, an httpGet refused): the
 * kubelet then goes straight on to SIGTERM, so the variant behaved as if it had no preStop and its numbers are not
 * the variant's as written. Empty when every hook ran.
 */
export function describeFailedHooks(results: ResultsFile): string[] {
  return results.cells.flatMap((cell) => {
    const failed = cell.pods.filter((p) => p.preStopOutcome === 'failed');
    if (failed.length === 0) return [];
    const reasons = new Set(
      cell.events.flatMap((e) => (e.kind === 'prestop-end' && e.outcome === 'failed' && e.reason ? [e.reason] : [])),
    );
    const why = reasons.size > 0 ? ` (${[...reasons][0]})` : '';
    return [
      `${cell.id}: the preStop hook failed in ${failed.length} pod(s)${why}, so they got SIGTERM without the hook's ` +
        "delay: check that the image has the hook's command, or use the built-in sleep handler (preStop.sleep)",
    ];
  });
}
