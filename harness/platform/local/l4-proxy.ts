import net from 'node:net';

/** One pod a new connection can be sent to. */
export interface Backend {
  /** Pod name; connections are tracked under it. */
  pod: string;
  /** Where the pod listens. */
  host: string;
  /** The pod's container port. */
  port: number;
}

export interface L4ProxyOptions {
  /** Uniform randomness in [0, 1) for backend choice (seed it for reproducible runs). */
  random?: () => number;
}

/** One proxied connection: the client side and the pod side, pinned to `pod` for its whole life. */
interface Pair {
  pod: string;
  client: net.Socket;
  upstream: net.Socket;
}

/**
 * A TCP proxy with iptables-like semantics: the backend is chosen at random at connection setup among the backends
 * of that moment, and the connection stays on it (conntrack) whatever the backend list becomes later.
 */
export class L4Proxy {
  private readonly server: net.Server;
  private readonly random: () => number;
  private readonly byPod = new Map<string, Set<Pair>>();
  private backends: readonly Backend[] = [];
  /** Client ports whose connection was refused (no endpoint, or the pod refused), with when; see wasRefused(). */
  private readonly refused = new Map<number, number>();

  constructor(options: L4ProxyOptions = {}) {
    this.random = options.random ?? Math.random;
    // allowHalfOpen: a client's FIN must reach the pod as a FIN while the response can still flow back.
    this.server = net.createServer({ allowHalfOpen: true, noDelay: true }, (client) => this.accept(client));
  }

  /** Listens on 127.0.0.1 with an OS-chosen port. */
  listen(): Promise<{ host: string; port: number }> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.server.off('error', reject);
        const address = this.server.address() as net.AddressInfo;
        resolve({ host: address.address, port: address.port });
      });
    });
  }

  /** Replaces the backends new connections are spread over; established connections are not touched. */
  setBackends(backends: readonly Backend[]): void {
    this.backends = [...backends];
  }

  /** Resets both sides of every connection pinned to `pod`. */
  resetPod(pod: string): void {
    for (const pair of [...(this.byPod.get(pod) ?? [])]) {
      reset(pair.client);
      reset(pair.upstream);
    }
  }

  /**
   * True (once) when the connection from client port `port` was refused here. A real cluster lets the pod's kernel
   * refuse the SYN; this proxy has already accepted the client's TCP connection when it learns the pod refused, so
   * it can only reset it, and a client cannot tell that reset from a pod dying mid-request. The emulator knows which
   * it was, and tells the load generator.
   */
  wasRefused(port: number): boolean {
    const found = this.refused.delete(port);
    return found;
  }

  /** Open connections pinned to `pod`, or to any pod when omitted. */
  connections(pod?: string): number {
    if (pod !== undefined) return this.byPod.get(pod)?.size ?? 0;
    let total = 0;
    for (const set of this.byPod.values()) total += set.size;
    return total;
  }

  /** Stops listening and destroys every connection; resolves once the listener is closed. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server.listening) {
        this.destroyAll();
        resolve();
        return;
      }
      this.server.close(() => resolve());
      this.destroyAll();
    });
  }

  private destroyAll(): void {
    for (const set of this.byPod.values()) {
      for (const pair of set) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
    }
  }

  private accept(client: net.Socket): void {
    const backend = this.pick();
    if (!backend) {
      // No endpoint at all: the rule rejects the connection, which the client sees as a reset before any byte.
      client.on('error', ignore);
      this.noteRefused(client);
      reset(client);
      return;
    }
    const upstream = net.connect({ host: backend.host, port: backend.port, allowHalfOpen: true, noDelay: true });
    const pair: Pair = { pod: backend.pod, client, upstream };
    let set = this.byPod.get(pair.pod);
    if (!set) {
      set = new Set();
      this.byPod.set(pair.pod, set);
    }
    set.add(pair);
    // Before connect: refused (listener closed, process gone). After: the pod reset or died. Either way, reset.
    upstream.on('error', () => {
      if (!connected) this.noteRefused(client);
      reset(client);
    });
    let connected = false;
    upstream.once('connect', () => (connected = true));
    client.on('error', () => upstream.destroy());
    // The client side closes last in every path (normal close, reset, error), so it is the one place to forget.
    client.once('close', () => {
      upstream.destroy();
      set.delete(pair);
      if (set.size === 0 && this.byPod.get(pair.pod) === set) this.byPod.delete(pair.pod);
    });
    // pipe() ends the other side on 'end' (FIN both ways, half-close kept) and applies backpressure.
    client.pipe(upstream);
    upstream.pipe(client);
  }

  private noteRefused(client: net.Socket): void {
    if (client.remotePort === undefined) return;
    const now = Date.now();
    this.refused.set(client.remotePort, now);
    // Ports are reused; a refusal nobody asked about within a minute is stale.
    if (this.refused.size > 4096) {
      for (const [port, at] of this.refused) if (now - at > 60_000) this.refused.delete(port);
    }
  }

  private pick(): Backend | undefined {
    const n = this.backends.length;
    if (n === 0) return undefined;
    return this.backends[Math.min(n - 1, Math.floor(this.random() * n))];
  }
}

function ignore(): void {}

/** Sends a RST (or just destroys a socket that never connected); safe on a socket that is already gone. */
function reset(socket: net.Socket): void {
  if (socket.destroyed) return;
  if (socket.connecting || socket.pending) socket.destroy();
  else socket.resetAndDestroy();
}
