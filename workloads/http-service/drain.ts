import { Server } from 'node:net';
import type { ConnectionTracker } from './connection-tracker.ts';
import type { Logger } from './log.ts';

/** What the drain needs from the service around it. */
export interface DrainDeps {
  /** The HTTP server; only its listening handle is closed. */
  server: Server;
  /** Open connections and their state. */
  connections: ConnectionTracker;
  /** Lifecycle logger. */
  log: Logger;
  /** Logs `exit` and ends the process. */
  exit: (code: number) => never;
  /** Monotonic milliseconds. */
  now: () => number;
  /** Deadline after which remaining sockets are destroyed (ms, already scaled). */
  timeoutMs: number;
  /** Quiet period after which an idle keep-alive socket is closed (ms, already scaled). */
  idleMs: number;
  /** Cleanup after the last connection closed and before exit 0, like flushing buffers (ms, already scaled). */
  cleanupMs: number;
}

/** Longest pause between two checks for idle sockets: bounds how late past `idleMs` one is closed. */
const MAX_IDLE_CHECK_MS = 200;

/**
 * Graceful shutdown: stop accepting, let busy sockets finish (their responses say `Connection: close`, see the
 * request handler), close idle keep-alive sockets once they have been quiet for `idleMs`, clean up for `cleanupMs`
 * once none is left and exit 0, or exit 1 at the deadline.
 */
export class Drain {
  readonly #deps: DrainDeps;
  #startedAt: number | undefined;
  #requestsServed = 0;
  #idleClosed = 0;

  constructor(deps: DrainDeps) {
    this.#deps = deps;
  }

  /** True once the drain started: responses must carry `Connection: close`, readiness is false. */
  get active(): boolean {
    return this.#startedAt !== undefined;
  }

  /** Counts a response finished during the drain (reported in `drain-done`). */
  responseFinished(): void {
    if (this.active) this.#requestsServed++;
  }

  /** Starts the drain; later calls do nothing. */
  start(): void {
    const { server, connections, log, now, timeoutMs, idleMs } = this.#deps;
    if (this.#startedAt !== undefined) return;
    const startedAt = now();
    this.#startedAt = startedAt;
    // http.Server.close() would also close idle keep-alive sockets at once (Node >= 19), racing a client that is
    // sending on one right now. Close the listening handle only; sockets are handled below.
    Server.prototype.close.call(server);
    log('drain-start', { connections: connections.size, inFlight: connections.inFlight, timeoutMs, idleMs });

    connections.onEmpty(() => this.#finish());
    if (connections.size === 0) {
      this.#finish();
      return;
    }
    const checkEvery = Math.min(MAX_IDLE_CHECK_MS, Math.max(10, idleMs / 5));
    setInterval(() => {
      this.#idleClosed += connections.closeIdle(idleMs, startedAt);
    }, checkEvery);
    setTimeout(() => {
      log('drain-timeout', {
        connections: connections.size,
        inFlight: connections.inFlight,
        ...this.#counts(),
      });
      connections.destroyAll();
      this.#deps.exit(1);
    }, timeoutMs);
  }

  #finish(): void {
    this.#deps.log('drain-done', this.#counts());
    if (this.#deps.cleanupMs <= 0) this.#deps.exit(0);
    else setTimeout(() => this.#deps.exit(0), this.#deps.cleanupMs);
  }

  #counts(): { requestsServed: number; idleSocketsClosed: number; durationMs: number } {
    return {
      requestsServed: this.#requestsServed,
      idleSocketsClosed: this.#idleClosed,
      durationMs: this.#deps.now() - (this.#startedAt ?? this.#deps.now()),
    };
  }
}
