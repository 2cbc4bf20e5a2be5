import http from 'node:http';
import type { Socket } from 'node:net';
import type { Clock } from '../core/clock.ts';
import type { RequestSample } from '../model/sample.ts';
import type { RefusalOracle } from '../platform/platform.ts';
import { classifyFailure, classifyStatus } from './classify-failure.ts';

/** What every virtual user of one run shares. */
export interface VirtualUserConfig {
  /** Where requests go. */
  host: string;
  /** Port of the target. */
  port: number;
  /** HTTP method. */
  method: 'POST' | 'GET';
  /** Keep the VU's one connection open between requests. */
  keepAlive: boolean;
  /** Deadline from start to the end of the response (ms). */
  timeoutMs: number;
  /** Clock for every recorded time. */
  clock: Clock;
  /** Ground truth about refusals from an emulated network, when there is one. */
  refusals?: RefusalOracle | undefined;
}

/** Called exactly once per request sent, with its outcome and the VU that is free again. */
export type SampleDone = (sample: RequestSample, vu: VirtualUser) => void;

const POST_BODY = Buffer.from('{"measured":true}');

/**
 * One k6-style virtual user: one request at a time over one connection of its own (an agent with a single socket),
 * so a refused or reset connection is seen by exactly the requests that used it, never hidden by a shared pool.
 * No retries, ever.
 */
export class VirtualUser {
  private readonly agent: http.Agent;
  private readonly headers: http.OutgoingHttpHeaders;
  private readonly body: Buffer | undefined;

  constructor(private readonly config: VirtualUserConfig) {
    this.agent = new http.Agent({ keepAlive: config.keepAlive, maxSockets: 1, maxFreeSockets: 1 });
    this.body = config.method === 'POST' ? POST_BODY : undefined;
    const headers: http.OutgoingHttpHeaders = {};
    if (this.body) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = this.body.length;
    }
    if (!config.keepAlive) headers.connection = 'close';
    this.headers = headers;
  }

  /** Sends one request to `path`; `done` receives the sample once the response ended, failed or timed out. */
  send(scheduledMs: number, path: string, done: SampleDone): void {
    const { clock, timeoutMs } = this.config;
    const startMs = clock.now();
    let finished = false;
    let socket: Socket | undefined;
    let bytesBefore = 0;
    let connectedMs: number | undefined;
    let localPort: number | undefined;
    let response: http.IncomingMessage | undefined;
    let req: http.ClientRequest | undefined;

    const finish = (status: number, cause: RequestSample['cause']) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      const sample: RequestSample = {
        scheduledMs,
        startMs,
        durationMs: clock.now() - startMs,
        status,
        cause,
        pod: podOf(response),
        reused: req?.reusedSocket ?? false,
      };
      done(sample, this);
    };
    const fail = (err: unknown, timedOut: boolean) => {
      if (finished) return;
      const fresh = !(req?.reusedSocket ?? false);
      const oracle = this.config.refusals;
      const cause = classifyFailure({
        refusedByNetwork: oracle && fresh && localPort !== undefined ? oracle.wasRefused(localPort) : undefined,
        timedOut,
        code: errorCode(err),
        reused: req?.reusedSocket ?? false,
        responseBytes: socket ? socket.bytesRead - bytesBefore : 0,
        connectedForMs: connectedMs === undefined ? undefined : clock.now() - connectedMs,
      });
      finish(response?.statusCode ?? 0, cause);
    };

    const timer = setTimeout(() => {
      fail(undefined, true);
      // Destroying the request destroys the VU's socket; the agent dials a new one for the next request.
      req?.destroy();
    }, timeoutMs);

    try {
      req = http.request(
        {
          agent: this.agent,
          host: this.config.host,
          port: this.config.port,
          method: this.config.method,
          path,
          headers: this.headers,
        },
        (res) => {
          response = res;
          res.on('error', (err) => fail(err, false));
          res.on('aborted', () => fail(ABORTED, false));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            finish(status, classifyStatus(status));
          });
          res.resume();
        },
      );
    } catch (err) {
      fail(err, false);
      return;
    }
    req.on('socket', (s: Socket) => {
      socket = s;
      bytesBefore = s.bytesRead;
      if (s.connecting) {
        s.once('connect', () => {
          connectedMs = clock.now();
          localPort = s.localPort;
        });
      } else if (!req?.reusedSocket) {
        connectedMs = clock.now();
        localPort = s.localPort;
      }
    });
    req.on('error', (err) => fail(err, false));
    // A close with neither response end nor error (should not happen) still ends the request, as an EOF.
    req.on('close', () => fail(HANG_UP, false));
    req.end(this.body);
  }

  /** Closes the VU's connection, idle or not. */
  destroy(): void {
    this.agent.destroy();
  }
}

const ABORTED = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
const HANG_UP = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function podOf(res: http.IncomingMessage | undefined): string | null {
  const pod = res?.headers['x-pod'];
  return typeof pod === 'string' ? pod : null;
}
