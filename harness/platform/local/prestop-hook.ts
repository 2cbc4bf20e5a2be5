import type { V1LifecycleHandler } from '@kubernetes/client-node';
import { get } from 'node:http';
import { sleep } from '../../core/clock.ts';
import type { PreStopOutcome } from '../../model/events.ts';
import { PodProcess } from './pod-process.ts';

/** The three preStop handlers the kubelet runs (tcpSocket is deprecated and not modelled). */
export type PreStopHandlerKind = 'exec' | 'httpGet' | 'sleep';

/** What a preStop hook runs against. */
export interface PreStopContext {
  /** Where the pod listens (host and actual port), for httpGet; undefined when it never listened. */
  address: { host: string; port: number } | undefined;
  /** Multiplies `sleep.seconds` and the N of an exec `sleep N`. */
  timeScale: number;
  /** Environment of an exec command (the container's). */
  env: Record<string, string>;
  /** Aborted at the grace deadline or when the kubelet stops: the hook is abandoned and its process killed. */
  signal: AbortSignal;
  /** Called with the process group id of an exec command once it runs. */
  onExecStarted?: (pid: number) => void;
}

/** How long a killed exec process may take to disappear before we stop waiting for it. */
const KILL_WAIT_MS = 2_000;
const SLEEP_COMMANDS = new Set(['sleep', '/bin/sleep', '/usr/bin/sleep']);

/** Which handler a preStop hook uses, or undefined when it sets none the kubelet models. */
export function preStopHandlerKind(handler: V1LifecycleHandler): PreStopHandlerKind | undefined {
  if (handler.exec) return 'exec';
  if (handler.httpGet) return 'httpGet';
  if (handler.sleep) return 'sleep';
  return undefined;
}

/**
 * An exec command with time compression applied: `sleep N` (bare, /bin or /usr/bin) becomes `sleep N×timeScale`,
 * because the seconds it waits are a modelled duration. Any other command runs unchanged, and so does a sleep inside
 * a shell (`sh -c "sleep 5"`): rewrite it as a plain `sleep N` to have it scaled.
 */
export function scaledExecCommand(command: readonly string[], timeScale: number): string[] {
  const [program, seconds, ...rest] = command;
  if (
    timeScale === 1 ||
    program === undefined ||
    !SLEEP_COMMANDS.has(program) ||
    seconds === undefined ||
    rest.length > 0 ||
    !/^\d+(\.\d+)?$/.test(seconds)
  ) {
    return [...command];
  }
  const scaled = Number(seconds) * timeScale;
  return [program, String(Number(scaled.toFixed(3)))];
}

/**
 * Runs one preStop hook to its end: `completed`, `failed` (non-zero exit, HTTP status ≥ 400, connection error —
 * the kubelet then still sends SIGTERM), or `abandoned` when `signal` aborts first.
 */
export async function runPreStop(handler: V1LifecycleHandler, context: PreStopContext): Promise<PreStopOutcome> {
  if (context.signal.aborted) return 'abandoned';
  if (handler.sleep) {
    return sleep(handler.sleep.seconds * 1000 * context.timeScale, context.signal).then(
      () => 'completed' as const,
      () => 'abandoned' as const,
    );
  }
  if (handler.exec) return runExec(handler.exec.command ?? [], context);
  if (handler.httpGet) {
    const { path = '/', httpHeaders = [] } = handler.httpGet;
    return runHttpGet(path, Object.fromEntries(httpHeaders.map((h) => [h.name, h.value])), context);
  }
  return 'failed';
}

async function runExec(command: readonly string[], context: PreStopContext): Promise<PreStopOutcome> {
  const [program, ...args] = scaledExecCommand(command, context.timeScale);
  if (program === undefined) return 'failed';
  let hook: PodProcess;
  try {
    hook = await PodProcess.start({ command: program, args, env: context.env });
  } catch {
    return 'failed';
  }
  context.onExecStarted?.(hook.pid);
  let onAbort = () => {};
  const aborted = new Promise<'abort'>((resolve) => {
    onAbort = () => resolve('abort');
    if (context.signal.aborted) onAbort();
    else context.signal.addEventListener('abort', onAbort, { once: true });
  });
  const ended = await Promise.race([hook.exited, aborted]);
  context.signal.removeEventListener('abort', onAbort);
  if (ended !== 'abort') return ended.exitCode === 0 ? 'completed' : 'failed';
  hook.signal('SIGKILL');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([hook.exited, new Promise((resolve) => (timer = setTimeout(resolve, KILL_WAIT_MS)))]);
  clearTimeout(timer);
  return 'abandoned';
}

function runHttpGet(path: string, headers: Record<string, string>, context: PreStopContext): Promise<PreStopOutcome> {
  const address = context.address;
  if (address === undefined) return Promise.resolve('failed');
  return new Promise((resolve) => {
    const failed = () => resolve(context.signal.aborted ? 'abandoned' : 'failed');
    const request = get({ ...address, path, headers, agent: false, signal: context.signal }, (response) => {
      const status = response.statusCode ?? 0;
      response.resume();
      response.once('end', () => resolve(status >= 200 && status < 400 ? 'completed' : 'failed'));
      response.once('error', failed);
      response.once('close', () => {
        if (!response.complete) failed();
      });
    });
    request.once('error', failed);
  });
}
