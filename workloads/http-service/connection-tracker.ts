import type { Socket } from 'node:net';

interface ConnectionState {
  /** Requests received on this socket whose response has not finished (or been cut) yet. */
  inFlight: number;
  /** Monotonic ms of the last request start or response end. */
  lastActivity: number;
}

/**
 * Every open client connection and whether it is busy. The drain needs this because it closes only the listener
 * and then decides per socket when closing is safe (busy: never; idle: only after a quiet period).
 */
export class ConnectionTracker {
  readonly #connections = new Map<Socket, ConnectionState>();
  readonly #now: () => number;
  #onEmpty: (() => void) | undefined;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Number of open connections. */
  get size(): number {
    return this.#connections.size;
  }

  /** Number of requests in flight over all connections. */
  get inFlight(): number {
    let sum = 0;
    for (const state of this.#connections.values()) sum += state.inFlight;
    return sum;
  }

  /** Starts tracking a freshly accepted socket; it is forgotten when it closes. */
  add(socket: Socket): void {
    this.#connections.set(socket, { inFlight: 0, lastActivity: this.#now() });
    socket.once('close', () => {
      this.#connections.delete(socket);
      if (this.#connections.size === 0) this.#onEmpty?.();
    });
  }

  /** Records that a request arrived on `socket`. */
  requestStarted(socket: Socket): void {
    const state = this.#connections.get(socket);
    if (state === undefined) return;
    state.inFlight++;
    state.lastActivity = this.#now();
  }

  /** Records that a response on `socket` finished or was cut. */
  requestEnded(socket: Socket): void {
    const state = this.#connections.get(socket);
    if (state === undefined) return;
    state.inFlight = Math.max(0, state.inFlight - 1);
    state.lastActivity = this.#now();
  }

  /** Calls `callback` each time the last connection closes. */
  onEmpty(callback: () => void): void {
    this.#onEmpty = callback;
  }

  /**
   * Destroys every socket with no request in flight and no activity for `idleMs`, counting idleness from
   * `notBefore` at the earliest (the drain start: a socket idle for a minute may still be in use right now).
   * Returns how many it closed.
   */
  closeIdle(idleMs: number, notBefore: number): number {
    const now = this.#now();
    let closed = 0;
    for (const [socket, state] of this.#connections) {
      if (state.inFlight > 0 || now - Math.max(state.lastActivity, notBefore) < idleMs) continue;
      socket.destroy();
      closed++;
    }
    return closed;
  }

  /** Destroys every socket, busy or not. */
  destroyAll(): void {
    for (const socket of this.#connections.keys()) socket.destroy();
  }
}
