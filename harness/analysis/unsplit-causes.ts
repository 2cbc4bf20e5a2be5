import type { ResultsFile } from '../model/results.ts';

/**
 * One line per cell whose `refused` and `reset` counts cannot be told apart: k6 on the emulated platform. The
 * emulated proxy accepts every connection and resets one it cannot route (a real kernel refuses the SYN instead);
 * the built-in generator asks the proxy which client ports it refused, but k6 reports no client port, so a refusal
 * reaches the results as `reset`. Empty for the built-in generator and for real clusters.
 */
export function describeUnsplitCauses(results: ResultsFile): string[] {
  if (!results.platform.emulated) return [];
  return results.cells
    .filter((cell) => cell.load.engine.startsWith('k6') && cell.failuresByCause.reset > 0)
    .map(
      (cell) =>
        `${cell.id}: its ${cell.failuresByCause.reset} reset(s) may include refused connections: through the emulated ` +
        'proxy a refusal reaches k6 as a reset, and k6 reports no client port to tell them apart ' +
        '(the built-in generator, --load builtin, does)',
    );
}
