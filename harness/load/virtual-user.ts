import net from 'node:net';
import type { Clock } from '../core/clock.ts';
import type { RequestSample } from '../model/sample.ts';
import type { RefusalOracle } from '../platform/platform.ts';
import { classifyFailure, classifyStatus } from './classify-failure.ts';
import { HttpResponseParser } from './http-response-parser.ts';

/** What every virtual user of one run shares. */
export interface VirtualUserConfig {
  /** Where requests go. */
  host: string;
  /** Port of the target. */
  port: number;
  /** HTTP method. */
  method: 'POST' | 'GET';
  /** The status that counts as success; absent: 200. */
  okStatus?: number | undefined;
  /** Request body; absent: POST_BODY with POST, none with GET. */
  body?: string | undefined;
  /** Keep the VU's one connection open between requests. */
  keepAlive: boolean;
  /** Deadline from start to the end of the response (ms). */
  timeoutMs: number;
  /** Clock for every recorded time. */
  clock: Clock;
  /** Ground truth about refusals from an emulated network, when there is one. */
  refusals?: RefusalOracle | undefined;
  /** Without an oracle: how soon after connecting a reset or EOF counts as refused (ms). */
  refusedWindowMs?: number | undefined;
}

/** Called exactly once per request sent, with its outcome and the VU that is free again. */
export type SampleDone = (sample: RequestSample, vu: VirtualUser) => void;

export const POST_BODY = '{"measured":true}';

/**
 * One k6-style virtual user: one request at a time over one TCP connection of its own, so a refused or reset
 * connection is seen by exactly the requests that used it, never hidden by a shared pool. No retries, ever.
 * It speaks just enough HTTP/1.1 itself (node:http cost ~65 µs of CPU per request, capping the rate one core holds):
 * the request bytes are built once but for the path, and HttpResponseParser reads the answer.
 */
export class VirtualUser {
  /** Everything of the request but its path: the request line's start and the rest after the path. */
  private readonly requestStart: string;
  private readonly requestEnd: string;
  private readonly parser = new HttpResponseParser();
  private socket: net.Socket | undefined;
  /** The socket carried an earlier request (the next one on it is `reused`). */
  private socketUsed = false;
  // The request in flight, if any.
  private done: SampleDone | undefined;
  private scheduledMs = 0;
  private startMs = 0;
  private reused = false;
  private responseBytes = 0;
  private connectedMs: number | undefined;
  private localPort: number | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly config: VirtualUserConfig) {
    this.requestStart = `${config.method} `;
    const port = config.port === 80 ? '' : `:${config.port}`;
    const lines = [` HTTP/1.1`, `Host: ${config.host}${port}`];
    const body = config.body ?? (config.method === 'POST' ? POST_BODY : undefined);
    if (body !== undefined) {
      lines.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`);
    }
    lines.push(`Connection: ${config.keepAlive ? 'keep-alive' : 'close'}`, '', '');
    // latin1 on the wire (see send): a body beyond it is sent as its UTF-8 bytes.
    this.requestEnd = lines.join('\r\n') + (body === undefined ? '' : Buffer.from(body).toString('latin1'));
  }

  /** Sends one request to `path`; `done` receives the sample once the response ended, failed or timed out. */
  send(scheduledMs: number, path: string, done: SampleDone): void {
    this.done = done;
    this.scheduledMs = scheduledMs;
    this.startMs = this.config.clock.now();
    this.responseBytes = 0;
    this.connectedMs = undefined;
    this.localPort = undefined;
    this.parser.reset();
    this.timer = setTimeout(this.onTimeout, this.config.timeoutMs);
    let socket = this.socket;
    this.reused = socket !== undefined && this.socketUsed;
    try {
      if (!socket) socket = this.dial();
      socket.write(this.requestStart + path + this.requestEnd, 'latin1');
    } catch (err) {
      this.fail(err, false);
    }
  }

  /** Closes the VU's connection, idle or not (a request in flight then fails as a hang-up, as with node:http). */
  destroy(): void {
    this.socket?.destroy();
  }

  private dial(): net.Socket {
    const socket = net.connect({ host: this.config.host, port: this.config.port, noDelay: true });
    this.socket = socket;
    this.socketUsed = false;
    // Events of a socket this VU has since dropped are ignored (its failure was already reported).
    socket.on('connect', () => {
      if (socket !== this.socket || !this.done) return;
      this.connectedMs = this.config.clock.now();
      this.localPort = socket.localPort;
    });
    socket.on('data', (chunk: Buffer) => {
      if (socket !== this.socket) return;
      if (!this.done) {
        // Bytes nobody asked for: the connection's state is unknown, so it is not reused.
        this.drop();
        return;
      }
      this.responseBytes += chunk.length;
      let complete: boolean;
      try {
        complete = this.parser.execute(chunk);
      } catch (err) {
        this.fail(err, false);
        return;
      }
      if (complete) this.succeed(false);
    });
    socket.on('end', () => {
      if (socket !== this.socket) return;
      if (!this.done) this.drop();
      else if (this.parser.finishAtEof()) this.succeed(true);
      else this.fail(this.parser.headComplete ? ABORTED : HANG_UP, false);
    });
    socket.on('error', (err) => {
      if (socket !== this.socket) return;
      if (this.done) this.fail(err, false);
      else this.drop();
    });
    socket.on('close', () => {
      if (socket !== this.socket) return;
      // A close with neither response end nor error (e.g. destroy()) still ends the request, as an EOF.
      if (this.done) this.fail(HANG_UP, false);
      else this.socket = undefined;
    });
    return socket;
  }

  private readonly onTimeout = (): void => {
    this.timer = undefined;
    // Destroying the socket makes the next request dial a new one.
    this.fail(undefined, true);
  };

  private succeed(ended: boolean): void {
    const { parser } = this;
    if (this.config.keepAlive && parser.keepAlive && !ended && parser.extraBytes === 0) this.socketUsed = true;
    else this.drop();
    this.finish(parser.status, classifyStatus(parser.status, this.config.okStatus));
  }

  private fail(err: unknown, timedOut: boolean): void {
    if (!this.done) return;
    const oracle = this.config.refusals;
    const fresh = !this.reused;
    const cause = classifyFailure({
      refusedByNetwork: oracle && fresh && this.localPort !== undefined ? oracle.wasRefused(this.localPort) : undefined,
      timedOut,
      code: errorCode(err),
      reused: this.reused,
      responseBytes: this.responseBytes,
      connectedForMs: this.connectedMs === undefined ? undefined : this.config.clock.now() - this.connectedMs,
      refusedWindowMs: this.config.refusedWindowMs,
    });
    this.drop();
    this.finish(this.parser.status, cause);
  }

  /** Forgets the socket (its late events are ignored) and closes it. */
  private drop(): void {
    const socket = this.socket;
    this.socket = undefined;
    socket?.destroy();
  }

  private finish(status: number, cause: RequestSample['cause']): void {
    const done = this.done;
    if (!done) return;
    this.done = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const clock = this.config.clock;
    const sample: RequestSample = {
      scheduledMs: this.scheduledMs,
      startMs: this.startMs,
      durationMs: clock.now() - this.startMs,
      status,
      cause,
      pod: this.parser.pod,
      reused: this.reused,
    };
    done(sample, this);
  }
}

// Node's codes for an EOF before the response (a "socket hang up") and for a body cut short ("aborted").
const ABORTED = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
const HANG_UP = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
