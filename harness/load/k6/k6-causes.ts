import type { FailureCause } from '../../model/sample.ts';

/**
 * k6 error codes (`error_code` tag / `res.error_code`) mapped onto the harness's failure causes. Source: the k6
 * docs, "JavaScript API › Error codes" (https://grafana.com/docs/k6/latest/javascript-api/error-codes/):
 *
 * | code | k6 meaning                        | cause     | why                                                      |
 * | ---- | --------------------------------- | --------- | -------------------------------------------------------- |
 * | 1000 | generic error (incl. EOF)         | reset     | Go reports a peer closing mid-request as EOF             |
 * | 1050 | HTTP request timed out            | timeout   | the script's short `timeout` ran out                     |
 * | 1201 | broken pipe on write              | reset     | the peer closed the connection while we were sending     |
 * | 1211 | TCP dial timeout                  | timeout   | no answer to the SYN                                     |
 * | 1212 | TCP dial: connection refused      | refused   | routed to a pod whose listener is closed or gone         |
 * | 1220 | connection reset by peer          | reset     | the process died or dropped the socket                   |
 * | 1500–1599 | HTTP 5xx response (1000 + status) | http-5xx | a response arrived, with a server error             |
 * | 1400–1499 | HTTP 4xx response (1000 + status) | other    | a response arrived, not a termination effect        |
 * | any other code (DNS 11xx, TLS 13xx, HTTP/2 14xx, ...)    | other     | not a termination effect                                 |
 *
 * Without an error code: status 200 is a success, 5xx is `http-5xx`, anything else (incl. 0) is `other`.
 */
export const K6_ERROR_CAUSES: Readonly<Record<number, FailureCause>> = {
  1000: 'reset',
  1050: 'timeout',
  1201: 'reset',
  1211: 'timeout',
  1212: 'refused',
  1220: 'reset',
};

/** The cause of one k6 request from its error code (0 = none) and HTTP status (0 = no response). */
export function k6Cause(errorCode: number, status: number): FailureCause | null {
  if (errorCode >= 1500 && errorCode <= 1599) return 'http-5xx';
  if (errorCode !== 0) return K6_ERROR_CAUSES[errorCode] ?? (status >= 500 && status <= 599 ? 'http-5xx' : 'other');
  if (status === 200) return null;
  if (status >= 500 && status <= 599) return 'http-5xx';
  return 'other';
}
