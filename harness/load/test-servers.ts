import http from 'node:http';
import net from 'node:net';
import { DEFAULT_LOAD_PROFILE, type LoadProfile } from '../model/load-profile.ts';

/** A loopback server started by a test, with the bookkeeping the tests assert on. */
export interface TestServer {
  /** Port on 127.0.0.1. */
  port: number;
  /** TCP connections accepted so far. */
  connections: number;
  /** TCP connections currently open (server side). */
  open(): number;
  /** Destroys every connection and closes the listener. */
  close(): Promise<void>;
}

/** Test fixture: a keep-alive HTTP server; each connection gets an id (`c1`, `c2`, ...) for the handler. */
export async function startHttpServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse, connectionId: string) => void,
): Promise<TestServer> {
  const ids = new WeakMap<net.Socket, string>();
  const server = http.createServer((req, res) => handler(req, res, ids.get(req.socket) ?? '?'));
  const tracked = track(server);
  server.on('connection', (socket: net.Socket) => ids.set(socket, `c${tracked.connections}`));
  return listen(server, tracked);
}

/** Test fixture: a raw TCP server for misbehaving peers. */
export async function startNetServer(onConnection: (socket: net.Socket) => void): Promise<TestServer> {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    onConnection(socket);
  });
  return listen(server, track(server));
}

/** A loopback port with no listener (bound then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The default profile with test overrides. */
export function testProfile(overrides: Partial<LoadProfile>): LoadProfile {
  return { ...DEFAULT_LOAD_PROFILE, workMs: { min: 1, max: 5 }, ...overrides };
}

/** Polls `condition` every 20 ms for at most `ms`; returns whether it became true. */
export async function eventually(condition: () => boolean, ms = 2000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

function track(server: net.Server): { connections: number; sockets: Set<net.Socket> } {
  const state = { connections: 0, sockets: new Set<net.Socket>() };
  // prependListener: counted before the request/connection handlers look the id up.
  server.prependListener('connection', (socket: net.Socket) => {
    state.connections++;
    state.sockets.add(socket);
    socket.once('close', () => state.sockets.delete(socket));
  });
  return state;
}

async function listen(
  server: net.Server,
  state: { connections: number; sockets: Set<net.Socket> },
): Promise<TestServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    get connections() {
      return state.connections;
    },
    open: () => state.sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of state.sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
