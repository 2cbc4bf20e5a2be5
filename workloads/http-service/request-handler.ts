import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_WORK_MS, parseIntStrict } from './config.ts';
import type { ServiceConfig } from './config.ts';
import type { Logger } from './log.ts';

/** What the routes need to know about the service's state. */
export interface HandlerDeps {
  /** Validated configuration. */
  config: ServiceConfig;
  /** Lifecycle logger. */
  log: Logger;
  /** True while /readyz should answer 200. */
  isReady: () => boolean;
  /** True once the drain started: every response then carries `Connection: close`. */
  isDraining: () => boolean;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** Longest /prestop sleep a hook may ask for, before scaling. */
const MAX_PRESTOP_MS = 3_600_000;

/** The workload's routes: /work (and /), /healthz, /readyz, /prestop; everything else 404. */
export function createRequestHandler(deps: HandlerDeps): Handler {
  const { config, log } = deps;

  const send = (res: ServerResponse, status: number, body: Record<string, unknown>): void => {
    if (res.writableEnded || res.destroyed) return;
    const text = JSON.stringify({ pod: config.pod, ...body });
    res.setHeader('x-pod', config.pod);
    res.setHeader('content-type', 'application/json');
    res.setHeader('content-length', Buffer.byteLength(text));
    // Node closes the socket after a response that says `Connection: close`; the client then opens a new
    // connection, which routing sends to another pod.
    if (deps.isDraining()) res.setHeader('connection', 'close');
    res.writeHead(status);
    res.end(text);
  };

  /** Reads and discards the body, then answers after `delayMs` unless the client went away first. */
  const later = (req: IncomingMessage, res: ServerResponse, delayMs: number, answer: () => void): void => {
    let timer: NodeJS.Timeout | undefined;
    res.once('close', () => clearTimeout(timer));
    req.once('end', () => {
      timer = setTimeout(answer, delayMs);
    });
  };

  const queryInt = (url: URL, name: string, max: number): number | undefined | 'bad' => {
    const raw = url.searchParams.get(name);
    if (raw === null) return undefined;
    const value = parseIntStrict(raw);
    return value === undefined || value > max ? 'bad' : value;
  };

  return (req, res) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://workload.invalid');
    const method = req.method ?? 'GET';
    const isGet = method === 'GET' || method === 'HEAD';

    if ((url.pathname === '/work' || url.pathname === '/') && (isGet || method === 'POST')) {
      const asked = queryInt(url, 'workMs', MAX_WORK_MS);
      if (asked === 'bad') {
        send(res, 400, {
          error: `workMs must be an integer in 0..${MAX_WORK_MS}`,
          found: url.searchParams.get('workMs'),
        });
        return;
      }
      const { min, max } = config.work;
      const workMs = asked ?? min + Math.floor(Math.random() * (max - min + 1));
      later(req, res, workMs, () => send(res, 200, { workMs }));
    } else if (url.pathname === '/healthz' && isGet) {
      send(res, 200, { status: 'ok' });
    } else if (url.pathname === '/readyz' && isGet) {
      const ready = deps.isReady();
      send(res, ready ? 200 : 503, { ready });
    } else if (url.pathname === '/prestop' && isGet) {
      const asked = queryInt(url, 'sleepMs', MAX_PRESTOP_MS);
      if (asked === 'bad') {
        send(res, 400, {
          error: `sleepMs must be an integer in 0..${MAX_PRESTOP_MS}`,
          found: url.searchParams.get('sleepMs'),
        });
        return;
      }
      const sleepMs = (asked ?? 0) * config.timeScale;
      log('prestop-http', { sleepMs });
      later(req, res, sleepMs, () => send(res, 200, { sleptMs: sleepMs }));
    } else {
      send(res, 404, { error: 'not found', method, path: url.pathname });
    }
  };
}
