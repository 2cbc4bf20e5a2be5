import { request } from 'node:http';
import type { Agent, IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/** What a test request to the workload got back. */
export interface HttpResult {
  /** HTTP status. */
  status: number;
  /** Response headers (lower-case names). */
  headers: IncomingHttpHeaders;
  /** Parsed JSON body. */
  body: Record<string, unknown>;
  /** True when the agent sent it on a kept-alive socket. */
  reusedSocket: boolean;
  /** The socket it went over. */
  socket: Socket;
  /** performance.now() when the response ended. */
  endedAtMs: number;
}

/** Options of one test request. */
export interface HttpRequestOptions {
  /** Port on 127.0.0.1. */
  port: number;
  /** Path with query; default `/work`. */
  path?: string;
  /** Default GET. */
  method?: string;
  /** Agent to use (keep-alive tests), or false for a fresh connection. */
  agent?: Agent | false;
  /** Request body. */
  body?: string;
  /** Fails the request after this long; default 10 s. */
  timeoutMs?: number;
}

/** Sends one HTTP request to the workload on loopback and reads the JSON response. */
export function httpRequest(opts: HttpRequestOptions): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: opts.port,
        path: opts.path ?? '/work',
        method: opts.method ?? 'GET',
        agent: opts.agent ?? false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('error', reject);
        res.on('end', () => {
          try {
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>,
              reusedSocket: req.reusedSocket,
              socket: req.socket as Socket,
              endedAtMs: performance.now(),
            });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      },
    );
    req.setTimeout(opts.timeoutMs ?? 10_000, () => {
      req.destroy(new Error(`request ${opts.path ?? '/work'} timed out after ${opts.timeoutMs ?? 10_000} ms`));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
