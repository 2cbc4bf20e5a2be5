import type { AppShutdownMeasurement } from '../../model/app-result.ts';

/** A measured shutdown for tests: an app that exits at once on SIGTERM (143), cutting its requests, with `over` applied. */
export function measuredShutdown(over: Partial<AppShutdownMeasurement> = {}): AppShutdownMeasurement {
  return {
    port: 40000,
    readyAfterMs: 400,
    requestStatus: 200,
    sigterm: 'caught',
    exit: { code: 143, signal: null, afterMs: 8 },
    killed: false,
    boundSeconds: 35,
    newConnections: { attempts: 1, accepted: 0, lastAcceptedMs: null, firstRefusedMs: 3 },
    inFlight: { total: 4, completed: 0, failed: 4 },
    behaviour: 'exits-at-once',
    ...over,
  };
}
