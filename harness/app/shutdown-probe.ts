import http from 'node:http';
import net from 'node:net';
import { sleep } from '../core/clock.ts';
import { InputError } from '../core/errors.ts';
import type { AppShutdownMeasurement } from '../model/app-result.ts';
import { PodLog } from '../platform/local/pod-log.ts';
import { PodProcess } from '../platform/local/pod-process.ts';
import { commandForPort, showCommand, type AppSpec } from './app-spec.ts';
import { allocatePort } from './free-port.ts';
import { listeningPorts } from './listening-ports.ts';

/** Where the probe runs and keeps the app's output. */
export interface ShutdownProbeOptions {
  /** The app. */
  spec: AppSpec;
  /** Folder for `probe.log` (the app's stdout and stderr); nothing is kept when absent. */
  logDir?: string;
  /** How the log is named to the user in messages (e.g. relative to the run folder). */
  logLabel?: string;
  /** Aborted on Ctrl-C: the probe stops at once (rejecting with the signal's reason) and kills the app. */
  signal?: AbortSignal;
}

const HOST = '127.0.0.1';
/** Connections that carry requests back to back while SIGTERM is sent. */
const REQUEST_LOOPS = 4;
/** How long the loops run before SIGTERM, so that requests are in flight. */
const LOAD_BEFORE_SIGTERM_MS = 400;
/** A new connection is tried this often after SIGTERM. */
const CONNECT_EVERY_MS = 50;
const POLL_MS = 100;
/** A process that listens, but not on its port, for this long is told so at once (not at the ready bound). */
const WRONG_PORT_GRACE_MS = 1_000;
const REQUEST_TIMEOUT_MS = 5_000;
const TAIL_LINES = 10;
/** Same as the kubelet's: a few host essentials, then the app's own env, then what drainlab decides. */
const INHERITED_ENV = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'];

interface Answer {
  status: number;
  error?: string;
}

/** One HTTP request; a status, or the error code when no response came. */
function ask(
  port: number,
  method: string,
  path: string,
  opts: { body?: string; agent?: http.Agent; timeoutMs?: number } = {},
): Promise<Answer> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = {};
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(opts.body);
    }
    const req = http.request({ host: HOST, port, method, path, headers, agent: opts.agent ?? false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      res.on('error', (e: NodeJS.ErrnoException) => resolve({ status: 0, error: e.code ?? e.message }));
    });
    req.setTimeout(opts.timeoutMs ?? REQUEST_TIMEOUT_MS, () =>
      req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })),
    );
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ status: 0, error: e.code ?? e.message }));
    req.end(opts.body);
  });
}

/** Tries one TCP connection: accepted or refused (or any other error code). */
function tryConnect(port: number): Promise<'accepted' | string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port });
    socket.setTimeout(1_000, () => socket.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

function appEnv(spec: AppSpec, port: number): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED_ENV) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...spec.env, POD_NAME: 'drainlab-probe', HOST, PORT: String(port), TIME_SCALE: '1' };
}

/**
 * Starts one instance of the app on a free port, waits until it is ready, checks the load's request, then sends
 * SIGTERM as a container's PID 1 gets it (PodProcess.terminateAsPid1) with requests in flight, and measures what it
 * does: exit code and time, whether new connections were still accepted, whether in-flight requests completed.
 * Bad input (command not found, exits at once, never ready, wrong port, 5xx) is an InputError naming what to change.
 * The process group is gone when this returns or throws.
 */
export async function probeAppShutdown(options: ShutdownProbeOptions): Promise<AppShutdownMeasurement> {
  const { spec } = options;
  const port = await allocatePort(HOST);
  const argv = commandForPort(spec.command, port);
  const shown = showCommand(spec.command);
  const log = options.logDir === undefined ? undefined : new PodLog(options.logDir, 'probe');
  const label = options.logLabel ?? log?.file;
  const tail: string[] = [];
  const onLine = (line: string) => {
    log?.write(line);
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
  };
  const seeLog = label === undefined ? '' : ` (its output: ${label})`;
  const lastLines = () => (tail.length === 0 ? 'it printed nothing' : `its last lines:\n    ${tail.join('\n    ')}`);

  let child: PodProcess;
  try {
    child = await PodProcess.start({
      command: argv[0]!,
      args: argv.slice(1),
      env: appEnv(spec, port),
      onStderrLine: onLine,
      onStdoutLine: onLine,
    });
  } catch (error) {
    log?.close();
    const code = (error as { cause?: NodeJS.ErrnoException }).cause?.code;
    const why =
      code === 'ENOENT'
        ? `command "${argv[0]}" was not found`
        : code === 'EACCES'
          ? `"${argv[0]}" is not executable`
          : `could not start "${argv[0]}": ${(error as Error).message}`;
    throw new InputError([
      `your app's command (--app-command or app.command) ${shown}: ${why}; give a program on PATH or a path to it ` +
        `(relative to ${process.cwd()})`,
    ]);
  }
  try {
    const readyAfterMs = await waitReady();
    const answer = await ask(port, spec.request.method, spec.request.path, { body: spec.request.body });
    if (answer.status === 0 || answer.status >= 500) {
      const got = answer.status === 0 ? `no answer (${answer.error})` : `HTTP ${answer.status}`;
      throw new InputError([
        `your app answers the load's request ${spec.request.method} ${spec.request.path} with ${got} right after ` +
          `it became ready${seeLog}; the load's request must succeed before a rollout can lose it: fix the app or ` +
          'choose another request with --app-request (and --app-body)',
      ]);
    }
    return await measureShutdown(answer.status, readyAfterMs);
  } finally {
    child.signal('SIGKILL');
    await Promise.race([child.exited, sleep(5_000)]);
    log?.close();
  }

  /** Polls the readiness path until 2xx; throws on exit, on another port, or at the bound. */
  async function waitReady(): Promise<number> {
    const started = Date.now();
    const boundMs = spec.readyTimeoutSeconds * 1000;
    let last: Answer | undefined;
    let wrongPortSince: number | undefined;
    for (;;) {
      if (!child.alive) {
        const exit = await child.exited;
        throw new InputError([
          `your app exited with code ${exit.exitCode}${exit.signal ? ` (${exit.signal})` : ''}, ` +
            `${((Date.now() - started) / 1000).toFixed(1)} s after it started, before it answered on port ${port}${seeLog}; ` +
            `${lastLines()}\n  fix the app's command (--app-command or app.command) so that it keeps running and serves on {port} or $PORT`,
        ]);
      }
      last = await ask(port, 'GET', spec.readinessPath, { timeoutMs: 1_000 });
      if (last.status >= 200 && last.status < 300) return Date.now() - started;
      if (last.status === 0 && last.error === 'ECONNREFUSED') {
        const ports = listeningPorts(child.pid).filter((p) => p !== port);
        if (ports.length > 0) {
          wrongPortSince ??= Date.now();
          if (Date.now() - wrongPortSince >= WRONG_PORT_GRACE_MS) {
            throw new InputError([
              `your app listens on port ${ports.join(', ')}, not on the port drainlab gave it (${port})${seeLog}; ` +
                'make it listen on the port in $PORT, or put {port} in its command where the port goes',
            ]);
          }
        }
      }
      if (Date.now() - started > boundMs) {
        const found =
          last.status >= 500
            ? `its readiness path ${spec.readinessPath} answers HTTP ${last.status}`
            : last.status > 0
              ? `its readiness path ${spec.readinessPath} answers HTTP ${last.status}, not 2xx`
              : listeningPorts(child.pid).length === 0
                ? `nothing listens on port ${port} (nor on any other port)`
                : `port ${port} gives ${last.error}`;
        throw new InputError([
          `your app did not become ready within ${spec.readyTimeoutSeconds} s: ${found}${seeLog}; ` +
            `make ${spec.readinessPath} answer 2xx once it serves (or set --app-ready to its health path, ` +
            '--app-ready-timeout for a slow start)',
        ]);
      }
      await sleep(POLL_MS, options.signal);
    }
  }

  /** SIGTERM with requests in flight and connection attempts; SIGKILL at the bound. */
  async function measureShutdown(requestStatus: number, readyAfterMs: number): Promise<AppShutdownMeasurement> {
    let stop = false;
    const inFlightAtSigterm = new Set<Promise<Answer>>();
    const pending = new Set<Promise<Answer>>();
    const agents = Array.from({ length: REQUEST_LOOPS }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
    const loops = agents.map(async (agent) => {
      while (!stop) {
        const request = ask(port, spec.request.method, spec.request.path, { body: spec.request.body, agent });
        pending.add(request);
        await request;
        pending.delete(request);
      }
    });
    await sleep(LOAD_BEFORE_SIGTERM_MS, options.signal);
    for (const p of pending) inFlightAtSigterm.add(p);
    stop = true;
    const sigtermAt = Date.now();
    const delivered = child.terminateAsPid1();
    const boundMs = spec.shutdownBoundSeconds * 1000;
    const exitedAt = Promise.race([
      child.exited.then(() => Date.now()),
      sleep(boundMs, options.signal).then(() => undefined),
    ]);
    const connects = {
      attempts: 0,
      accepted: 0,
      lastAcceptedMs: null as number | null,
      firstRefusedMs: null as number | null,
    };
    const connecting = (async () => {
      while (child.alive && Date.now() - sigtermAt < boundMs) {
        const at = Date.now() - sigtermAt;
        const outcome = await tryConnect(port);
        connects.attempts++;
        if (outcome === 'accepted') {
          connects.accepted++;
          connects.lastAcceptedMs = at;
        } else if (connects.firstRefusedMs === null) connects.firstRefusedMs = at;
        await sleep(CONNECT_EVERY_MS);
      }
    })();
    const answers = await Promise.all([...inFlightAtSigterm]);
    const endedAt = await exitedAt;
    const killed = endedAt === undefined;
    if (killed) child.signal('SIGKILL');
    const exit = await child.exited;
    const afterMs = (endedAt ?? Date.now()) - sigtermAt;
    await connecting;
    await Promise.allSettled(loops);
    for (const agent of agents) agent.destroy();
    const completed = answers.filter((a) => a.status > 0).length;
    const failed = answers.length - completed;
    return {
      port,
      readyAfterMs,
      requestStatus,
      sigterm: delivered === 'not-caught' ? 'not-caught' : 'caught',
      exit: { code: exit.exitCode, signal: exit.signal, afterMs },
      killed,
      boundSeconds: spec.shutdownBoundSeconds,
      newConnections: connects,
      inFlight: { total: answers.length, completed, failed },
      behaviour: killed ? 'ignores-sigterm' : failed > 0 ? 'exits-at-once' : 'drains',
    };
  }
}
