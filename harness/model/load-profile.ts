/** The load the generator sends during a cell (a parameter with sane defaults, design §4). */
export interface LoadProfile {
  /** Constant arrival rate, requests per second (open model). */
  rate: number;
  /**
   * Minimum seconds of load after the disruption starts. The cell keeps load running until the disruption has
   * settled plus the cool-down, whichever is later.
   */
  durationSeconds: number;
  /** Seconds of steady load before the disruption starts. */
  warmupSeconds: number;
  /** Seconds of load after the disruption settled. */
  cooldownSeconds: number;
  /** Reuse connections per virtual user (HTTP keep-alive), as a browser or k6 does. */
  keepAlive: boolean;
  /** HTTP method of the measured requests; POST by default because clients silently retry idempotent GETs. */
  method: 'POST' | 'GET';
  /** Per-request timeout in milliseconds. */
  timeoutMs: number;
  /** Server-side work per request in milliseconds: a random service time in [min, max]. */
  workMs: { min: number; max: number };
  /** Upper bound on virtual users = on requests in flight; requests beyond it are dropped and counted. */
  maxVUs: number;
  /** The request path of your own app (`--app-request`); absent: drainlab's `/work?workMs=N` (workMs applies). */
  path?: string;
  /** The request body of your own app (`--app-body`); absent: a small JSON body with POST, none with GET. */
  body?: string;
  /** The status a successful request gets (your app's answer to its request before the run); absent: 200. */
  okStatus?: number;
}

export const DEFAULT_LOAD_PROFILE: LoadProfile = {
  rate: 100,
  durationSeconds: 10,
  warmupSeconds: 3,
  cooldownSeconds: 2,
  keepAlive: true,
  method: 'POST',
  timeoutMs: 2000,
  workMs: { min: 20, max: 80 },
  maxVUs: 100,
};
