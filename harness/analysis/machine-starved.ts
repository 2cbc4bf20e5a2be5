import type { CellResult, ResultsFile } from '../model/results.ts';

/**
 * When a cell's measurements stop being the variant's: the harness's event loop (which runs the emulated kubelet,
 * kube-proxy and the load generator on `local`, and the watches and k6 on a cluster) was held up this long. Measured
 * here: an idle 2-core machine gives p99 ~12 ms and max ~20 ms; with eight CPU-bound processes beside a quick run,
 * p99 53 ms and max 132 ms, and the verdicts and failure causes were still those of a quiet run. Past these bounds
 * a stall is of the order of kube-proxy's 1 s sync and half the 2 s request timeout.
 */
export const STARVED_P99_MS = 100;
export const STARVED_MAX_MS = 500;

/** Whether the machine was too short of CPU during the cell for its numbers to be the variant's alone. */
export function wasStarved(cell: Pick<CellResult, 'harnessDelayMs'>): boolean {
  const delay = cell.harnessDelayMs;
  return delay !== undefined && (delay.p99 >= STARVED_P99_MS || delay.max >= STARVED_MAX_MS);
}

/** One line per cell run on a machine short of CPU, with what to change; empty when none was. */
export function describeStarvation(results: ResultsFile): string[] {
  return results.cells.filter(wasStarved).map((cell) => {
    const { p99, max } = cell.harnessDelayMs!;
    return (
      `${cell.id}: the machine was short of CPU (the harness was held up to ${max} ms, p99 ${p99} ms), so timeouts ` +
      'and late signals in this cell may be the machine’s, not the variant’s; close other programs or use ' +
      '--parallel 1, and run again'
    );
  });
}
