import type { ResultsFile } from '../model/results.ts';

/**
 * Cells where the load generator could not send the asked rate: arrivals that found every virtual user busy were
 * dropped (counted, never sent). Their error rates are of fewer requests than planned, and the disruption may have
 * been hit less hard. One line per such cell; empty when every arrival was sent.
 */
export function describeLoadShortfall(results: ResultsFile): string[] {
  const maxVUs = results.loadProfile.maxVUs;
  return results.cells
    .filter((cell) => cell.requests.dropped > 0)
    .map((cell) => {
      const scheduled = cell.requests.total + cell.requests.dropped;
      return (
        `${cell.id}: ${cell.requests.dropped} of ${scheduled} arrivals dropped because all ${maxVUs} virtual users ` +
        'were busy; raise --max-vus or lower --rate'
      );
    });
}
