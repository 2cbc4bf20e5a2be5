import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ServiceConfig } from './config.ts';
import { ConnectionTracker } from './connection-tracker.ts';
import { Drain } from './drain.ts';
import { createLogger, writeStderrLine } from './log.ts';
import { createRequestHandler } from './request-handler.ts';

/** Starts the HTTP service and installs its SIGTERM behaviour; the process ends only through it (or a signal). */
export function startService(config: ServiceConfig): void {
  const log = createLogger(config.pod);
  const now = (): number => performance.now();
  const exit = (code: number): never => {
    log('exit', { code });
    process.exit(code);
  };

  // headersTimeout must stay above keepAliveTimeout (else a quiet client's next request can be cut), and
  // requestTimeout at least as high as headersTimeout (Node rejects the opposite).
  const headersTimeout = config.keepAliveTimeoutMs + 1_000;
  const server = createServer({ headersTimeout, requestTimeout: Math.max(300_000, headersTimeout) });
  server.keepAliveTimeout = config.keepAliveTimeoutMs;

  const connections = new ConnectionTracker(now);
  const drain = new Drain({
    server,
    connections,
    log,
    exit,
    now,
    timeoutMs: config.drainTimeoutMs,
    idleMs: config.drainIdleMs,
    cleanupMs: config.cleanupMs,
  });
  let readyAt = Infinity;
  const handle = createRequestHandler({
    config,
    log,
    isReady: () => !drain.active && now() >= readyAt,
    isDraining: () => drain.active,
  });

  server.on('connection', (socket) => connections.add(socket));
  server.on('request', (req, res) => {
    const socket = req.socket;
    connections.requestStarted(socket);
    res.once('finish', () => drain.responseFinished());
    res.once('close', () => connections.requestEnded(socket));
    handle(req, res);
  });
  server.on('error', (error) => {
    writeStderrLine(`workload: cannot listen on ${config.host}:${config.port}: ${error.message}`);
    exit(1);
  });

  switch (config.mode) {
    case 'exit':
      // An explicit handler (not Node's default) so that this also exits as PID 1 in a container.
      process.on('SIGTERM', () => {
        log('sigterm', { mode: config.mode });
        exit(143);
      });
      break;
    case 'drain':
      process.on('SIGTERM', () => {
        log('sigterm', { mode: config.mode, ...(drain.active ? { repeated: true } : {}) });
        drain.start();
      });
      break;
    case 'ignore':
      process.on('SIGTERM', () => log('sigterm', { mode: config.mode }));
      break;
    case 'none':
      break;
  }

  server.listen(config.port, config.host, () => {
    readyAt = now() + config.readyDelayMs;
    const { port } = server.address() as AddressInfo;
    log('listening', { port, host: config.host, pid: process.pid, mode: config.mode, timeScale: config.timeScale });
  });
}
