import type { FailureCause } from '../model/sample.ts';

/**
 * On a fresh connection, a reset or EOF with no response byte this soon after the connection was established is a
 * refusal: the emulated kube-proxy accepts every TCP connection and resets it at once when the chosen pod's listener
 * is closed, where a real iptables rule would have let the pod's kernel refuse the SYN (k6 error 1212). Later than
 * this, the request had reached a live process that then died or dropped it mid-request, which is a reset. Well under
 * the shortest realistic service time, and well over one proxy round of loopback dial + reset.
 */
export const REFUSED_WINDOW_MS = 10;

/** What the client saw of a failed request; everything the classification needs and nothing else. */
export interface FailureFacts {
  /** True when the generator's own deadline (the profile's timeoutMs) ran out. */
  timedOut: boolean;
  /** Node's error code (`err.code`), e.g. `ECONNREFUSED`; undefined when the error had none. */
  code: string | undefined;
  /** True when the connection had carried an earlier request (kept alive). */
  reused: boolean;
  /** Bytes of the response received before the failure. */
  responseBytes: number;
  /** Time from the connection being established to the failure (ms); undefined when it never connected. */
  connectedForMs: number | undefined;
  /** What the (emulated) network knows: was this connection refused? Undefined when nobody knows. */
  refusedByNetwork?: boolean;
  /** The window that decides without such knowledge (ms); REFUSED_WINDOW_MS when absent. */
  refusedWindowMs?: number;
}

// Node reports an EOF without a response as ECONNRESET "socket hang up", and a body cut short as "aborted".
const RESET_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_STREAM_DESTROYED',
]);

/** The cause of a request that produced no complete response (network-level failure). */
export function classifyFailure(facts: FailureFacts): FailureCause {
  if (facts.timedOut || facts.code === 'ETIMEDOUT') return 'timeout';
  if (facts.code === 'ECONNREFUSED') return 'refused';
  if (facts.code === undefined || !RESET_CODES.has(facts.code)) return 'other';
  if (facts.reused || facts.responseBytes > 0) return 'reset';
  if (facts.refusedByNetwork !== undefined) return facts.refusedByNetwork ? 'refused' : 'reset';
  // Reset while still connecting, or right after on a fresh connection: nothing ever reached a live server.
  const window = facts.refusedWindowMs ?? REFUSED_WINDOW_MS;
  if (facts.connectedForMs === undefined || facts.connectedForMs <= window) return 'refused';
  return 'reset';
}

/** The cause of a complete response, null when it counts as a success (exactly 200, as k6 expectedStatuses). */
export function classifyStatus(status: number, okStatus = 200): FailureCause | null {
  if (status === okStatus) return null;
  if (status >= 500 && status <= 599) return 'http-5xx';
  return 'other';
}
