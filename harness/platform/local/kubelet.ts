import type { V1Container, V1HTTPGetAction, V1PodSpec } from '@kubernetes/client-node';
import type { Clock } from '../../core/clock.ts';
import { HarnessError } from '../../core/errors.ts';
import {
  APP_LOG_MESSAGES,
  type AppLogMessage,
  type EventBody,
  type EventSink,
  type EventSource,
  type LifecycleEvent,
} from '../../model/events.ts';
import type { PodObject, PodStatus } from './objects.ts';
import { commandForPort } from '../../app/app-spec.ts';
import { allocatePort } from '../../app/free-port.ts';
import { PodLog } from './pod-log.ts';
import { PodProcess, type ProcessExit } from './pod-process.ts';
import { preStopHandlerKind, runPreStop } from './prestop-hook.ts';
import { ReadinessProber } from './readiness-prober.ts';
import { DEFAULT_GRACE_SECONDS } from './pod-api.ts';
import type { Store, WatchEvent } from './store.ts';

/** What the emulated kubelet needs. */
export interface KubeletOptions {
  /** The emulated API server whose Pods this kubelet runs. */
  store: Store;
  /** The cell's clock: every event and status timestamp comes from it. */
  clock: Clock;
  /** Where the kubelet's (and the apps') lifecycle events go. */
  events: EventSink;
  /** Multiplies every duration from the spec (grace period, probe timings, preStop sleep). */
  timeScale: number;
  /** Delay before the kubelet notices a new pod or a deletion (ms, already scaled). */
  noticeDelayMs: number;
  /** Maps a container image to the command that runs it (throws a clear error for an unknown image). */
  resolveImage: (image: string, container: V1Container) => PodCommand;
  /** Called when a pod's process has exited (the kube-proxy then resets its pinned connections). */
  onPodExit?: (pod: string) => void;
  /**
   * Called when a pod cannot be started (unknown image, unmodelled spec field, spawn failure; the pod stays
   * Pending) or its process exits without having been deleted (a crash). Default: print the error on stderr.
   */
  onError?: (error: HarnessError) => void;
}

/** How the kubelet runs a container: the process, and for a user's app how it is addressed and signalled. */
export interface PodCommand {
  /** Executable. */
  command: string;
  /** Arguments; for an app, every `{port}` becomes the pod's port. */
  args: string[];
  /**
   * A user's app: the kubelet picks a free loopback port, passes it in PORT and `{port}`, and knows the pod's address
   * itself (no `listening` log line); SIGTERM goes to PID 1 only, and only when it catches it
   * (PodProcess.terminateAsPid1); stdout and stderr go to `<logDir>/<pod>.log`.
   */
  app?: { logDir?: string };
}

/** Lines the workload logs about itself that become `app-log` events. */
const APP_MESSAGES: ReadonlySet<string> = new Set(APP_LOG_MESSAGES);
/** The kubelet always leaves a container this long between SIGTERM and SIGKILL (minimumGracePeriodInSeconds). */
const MIN_KILL_WINDOW_SECONDS = 2;
/** The pod worker never terminates with less than this grace (pod_workers.go calculateEffectiveGracePeriod). */
const MIN_EFFECTIVE_GRACE_SECONDS = 1;
/** How long stop() waits for killed processes to be reaped. */
const STOP_WAIT_MS = 5_000;
/** Host environment a pod inherits; everything else comes from its spec, like in a container. */
const INHERITED_ENV = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'];
const POD_HOST = '127.0.0.1';
const STDERR_TAIL_LINES = 20;

/** A cancellable timer that may re-arm itself, so the current timeout lives in a box. */
interface Timer {
  timeout: NodeJS.Timeout | undefined;
}

interface PodWorker {
  name: string;
  spec: V1PodSpec;
  phase: 'waiting' | 'starting' | 'running' | 'exited';
  startTimer?: Timer;
  starting?: Promise<void>;
  /** Grace period from the deletion request, once one was seen. */
  graceSeconds?: number;
  deletionNoticed: boolean;
  process?: PodProcess;
  env: Record<string, string>;
  address?: { host: string; port: number };
  prober?: ReadinessProber;
  ready: boolean;
  hookAbort?: AbortController;
  stderrTail: string[];
  /** Set for a user's app (PodCommand.app). */
  app?: { log?: PodLog };
}

/**
 * The emulated kubelet (design §3, §5): runs each Pod as a real process group of the workload, probes its
 * readiness, and on deletion runs preStop, SIGTERM, and SIGKILL at the end of the grace period, exactly in the
 * kubelet's order. A process that exits without being deleted is reported Failed and not restarted.
 */
export class Kubelet {
  private readonly workers = new Map<string, PodWorker>();
  private readonly timers = new Set<Timer>();
  private readonly hooks = new Set<Promise<unknown>>();
  private unwatch: (() => void) | undefined;
  private stopped = false;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: KubeletOptions) {}

  /** Begins watching pods (and handles the ones already there). */
  start(): void {
    if (this.unwatch || this.stopped) return;
    this.unwatch = this.options.store.watch('Pod', (event) => this.onPodEvent(event));
    for (const pod of this.options.store.list('Pod')) this.onPodEvent({ type: 'ADDED', object: pod });
  }

  /** SIGKILLs every process group it started and waits until they are gone; idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  /** PIDs (process group ids) of live pod processes, for tests and crash cleanup. */
  livePids(): number[] {
    return [...this.workers.values()].flatMap((w) => (w.process?.alive ? [w.process.pid] : []));
  }

  private async shutdown(): Promise<void> {
    this.stopped = true;
    this.unwatch?.();
    for (const timer of this.timers) clearTimeout(timer.timeout);
    this.timers.clear();
    const workers = [...this.workers.values()];
    for (const worker of workers) {
      worker.prober?.stop();
      worker.hookAbort?.abort();
    }
    await Promise.allSettled(workers.map((w) => w.starting));
    const processes = workers.flatMap((w) => (w.process?.alive ? [w.process] : []));
    for (const child of processes) child.signal('SIGKILL');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...processes.map((p) => p.exited), ...this.hooks]),
      new Promise((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS))),
    ]);
    clearTimeout(timer);
    for (const worker of workers) worker.app?.log?.close();
    this.workers.clear();
  }

  private onPodEvent(event: WatchEvent<'Pod'>): void {
    if (this.stopped) return;
    const pod = event.object;
    const name = pod.metadata.name;
    let worker = this.workers.get(name);
    if (event.type === 'DELETED') {
      if (worker) this.onPodRemoved(worker, pod);
      return;
    }
    if (!worker) {
      if (pod.status.container !== 'waiting') return; // not a pod for this kubelet to start
      const created: PodWorker = {
        name,
        spec: pod.spec,
        phase: 'waiting',
        deletionNoticed: false,
        env: {},
        ready: false,
        stderrTail: [],
      };
      worker = created;
      this.workers.set(name, created);
      created.startTimer = this.after(pod.metadata.creationMs, () => void this.startPod(created));
    }
    if (pod.metadata.deletionMs !== undefined && worker.graceSeconds === undefined) {
      this.requestTermination(worker, pod, pod.metadata.deletionMs);
    }
  }

  /** Someone removed the object while its process may still run (a force delete): kill it all the same. */
  private onPodRemoved(worker: PodWorker, pod: PodObject): void {
    if (worker.graceSeconds === undefined) this.requestTermination(worker, pod, this.options.clock.now());
  }

  private requestTermination(worker: PodWorker, pod: PodObject, requestedMs: number): void {
    worker.graceSeconds =
      pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
    this.after(requestedMs, () => this.noticeDeletion(worker));
  }

  private async startPod(worker: PodWorker): Promise<void> {
    worker.startTimer = undefined;
    if (this.stopped || worker.phase !== 'waiting' || worker.deletionNoticed) return;
    const current = this.options.store.get('Pod', worker.name);
    if (!current) {
      this.workers.delete(worker.name); // removed before the kubelet got to it
      return;
    }
    if (current.metadata.deletionMs !== undefined) return; // already Terminating when first seen: never started
    const container = worker.spec.containers[0];
    let command: PodCommand;
    try {
      const problems = unmodelledFields(worker.spec);
      if (problems.length > 0 || container === undefined) {
        throw new HarnessError('unmodelled-pod-spec', problems.join('; '), {
          hint: 'remove or change these fields in the variant, or run it with --platform kind',
        });
      }
      command = this.options.resolveImage(container.image ?? '', container);
      worker.env = podEnv(container, worker.name, this.options.timeScale);
    } catch (error) {
      this.report(worker.name, error);
      return;
    }
    worker.phase = 'starting';
    worker.starting = this.spawn(worker, command).then(
      (child) => this.onStarted(worker, container, child),
      (error: unknown) => {
        worker.phase = 'exited';
        this.report(worker.name, error);
        if (worker.deletionNoticed) this.finish(worker);
      },
    );
    await worker.starting;
  }

  /** Starts the process; for a user's app first picks its port and opens its log. */
  private async spawn(worker: PodWorker, command: PodCommand): Promise<PodProcess> {
    if (!command.app) {
      return PodProcess.start({ ...command, env: worker.env, onStderrLine: (line) => this.onStderrLine(worker, line) });
    }
    const port = await allocatePort(POD_HOST);
    const log = command.app.logDir === undefined ? undefined : new PodLog(command.app.logDir, worker.name);
    worker.app = { log };
    worker.env = { ...worker.env, PORT: String(port) };
    const address = { host: POD_HOST, port };
    worker.address = address;
    this.writeStatus(worker.name, (status) => {
      status.address = address;
    });
    const onLine = (line: string) => {
      log?.write(line);
      worker.stderrTail.push(line);
      if (worker.stderrTail.length > STDERR_TAIL_LINES) worker.stderrTail.shift();
    };
    return PodProcess.start({
      command: command.command,
      args: commandForPort(command.args, port),
      env: worker.env,
      onStderrLine: onLine,
      onStdoutLine: onLine,
    });
  }

  private onStarted(worker: PodWorker, container: V1Container, child: PodProcess): void {
    worker.process = child;
    worker.phase = 'running';
    void child.exited.then((exit) => this.onExit(worker, exit));
    if (this.stopped) return; // stop() kills it
    this.emit({ kind: 'pod-started', pod: worker.name, pid: child.pid });
    const probe = container.readinessProbe;
    this.writeStatus(worker.name, (status) => {
      status.phase = 'Running';
      status.container = 'running';
    });
    if (probe) {
      const prober = new ReadinessProber({
        probe,
        target: () => worker.address,
        timeScale: this.options.timeScale,
        onChange: (ready) => this.setReady(worker, ready),
      });
      worker.prober = prober;
      prober.start();
    } else {
      // Without a probe Kubernetes counts a container ready as soon as it runs, listening or not.
      this.setReady(worker, true);
    }
    if (worker.deletionNoticed) void this.terminate(worker);
  }

  private noticeDeletion(worker: PodWorker): void {
    if (this.stopped || worker.deletionNoticed) return;
    worker.deletionNoticed = true;
    if (worker.phase === 'starting') return; // onStarted terminates it
    if (worker.process?.alive) {
      void this.terminate(worker);
      return;
    }
    if (worker.startTimer) this.cancel(worker.startTimer);
    this.finish(worker);
  }

  /** preStop (bounded by the grace period), SIGTERM, then SIGKILL when the rest of the grace period is over. */
  private async terminate(worker: PodWorker): Promise<void> {
    const child = worker.process!;
    const { clock, timeScale } = this.options;
    // A grace period of 0 still runs preStop for up to 1 s, then SIGTERM and SIGKILL 2 s later, like the kubelet.
    const graceSeconds = Math.max(worker.graceSeconds ?? DEFAULT_GRACE_SECONDS, MIN_EFFECTIVE_GRACE_SECONDS);
    const graceMs = graceSeconds * 1000 * timeScale;
    const startedAt = clock.now();
    const preStop = worker.spec.containers[0]?.lifecycle?.preStop;
    const handler = preStop && preStopHandlerKind(preStop);
    if (preStop && handler && graceMs > 0 && child.alive) {
      this.emit({ kind: 'prestop-start', pod: worker.name, handler });
      const abort = new AbortController();
      worker.hookAbort = abort;
      const deadline = this.later(graceMs, () => abort.abort());
      const context = { address: worker.address, timeScale, env: worker.env, signal: abort.signal };
      const hook = runPreStop(preStop, context);
      this.hooks.add(hook);
      const outcome = await hook;
      this.hooks.delete(hook);
      this.cancel(deadline);
      worker.hookAbort = undefined;
      if (this.stopped) return;
      this.emit({ kind: 'prestop-end', pod: worker.name, outcome });
    }
    if (child.alive) {
      const killAfterMs = Math.max(graceMs - (clock.now() - startedAt), MIN_KILL_WINDOW_SECONDS * 1000 * timeScale);
      this.emit({ kind: 'sigterm-sent', pod: worker.name });
      // A user's app gets SIGTERM as a container's PID 1 would (not at all when it has no handler for it).
      if (worker.app) child.terminateAsPid1();
      else child.signal('SIGTERM');
      const killTimer = this.later(killAfterMs, () => {
        if (!child.alive) return;
        this.emit({ kind: 'sigkill-sent', pod: worker.name });
        child.signal('SIGKILL');
      });
      await child.exited;
      this.cancel(killTimer);
    }
    if (!this.stopped) this.finish(worker);
  }

  private onExit(worker: PodWorker, exit: ProcessExit): void {
    worker.prober?.stop();
    worker.app?.log?.close();
    worker.phase = 'exited';
    if (this.stopped) return;
    const { exitCode, signal } = exit;
    this.emit({ kind: 'pod-exited', pod: worker.name, exitCode, signal });
    const deleted = worker.deletionNoticed;
    this.writeStatus(worker.name, (status) => {
      status.container = 'terminated';
      status.exitCode = exitCode;
      status.phase = deleted && exitCode === 0 ? 'Succeeded' : 'Failed';
    });
    this.setReady(worker, false);
    this.options.onPodExit?.(worker.name);
    if (!deleted) {
      const what = worker.app ? 'output' : 'stderr';
      const tail = worker.stderrTail.length > 0 ? `; last ${what} lines:\n${worker.stderrTail.join('\n')}` : '';
      this.report(
        worker.name,
        new HarnessError('pod-crashed', `the process exited by itself with code ${exitCode}${tail}`, {
          hint: worker.app?.log
            ? `the pod is left Failed and not restarted; its whole output is in ${worker.app.log.file}`
            : 'the pod is left Failed and not restarted; check the workload configuration in the variant',
        }),
      );
    }
  }

  /** The kubelet reports the containers gone; the API then removes the Pod object. */
  private finish(worker: PodWorker): void {
    this.workers.delete(worker.name);
    if (this.options.store.remove('Pod', worker.name)) this.emit({ kind: 'pod-deleted', pod: worker.name }, 'api');
  }

  private setReady(worker: PodWorker, ready: boolean): void {
    if (this.stopped || worker.ready === ready) return;
    if (ready && worker.phase === 'exited') return;
    worker.ready = ready;
    const now = this.options.clock.now();
    this.writeStatus(worker.name, (status) => {
      status.ready = ready;
      status.readySinceMs = now;
    });
    this.emit({ kind: ready ? 'pod-ready' : 'pod-not-ready', pod: worker.name }, 'kubelet', now);
  }

  private onStderrLine(worker: PodWorker, line: string): void {
    if (this.stopped) return;
    const t = this.options.clock.now();
    const parsed = parseLogLine(line);
    if (parsed === undefined || !APP_MESSAGES.has(parsed.msg)) {
      worker.stderrTail.push(line);
      if (worker.stderrTail.length > STDERR_TAIL_LINES) worker.stderrTail.shift();
      return;
    }
    const { t: appEpochMs, msg, pod: _pod, ...rest } = parsed;
    const detail = { ...rest, ...(typeof appEpochMs === 'number' ? { appEpochMs } : {}) };
    if (msg === 'listening' && typeof rest.port === 'number') {
      const host = typeof rest.host === 'string' && rest.host !== '0.0.0.0' ? rest.host : POD_HOST;
      const address = { host, port: rest.port };
      worker.address = address;
      this.writeStatus(worker.name, (status) => {
        status.address = address;
      });
    }
    this.options.events({ kind: 'app-log', pod: worker.name, msg: msg as AppLogMessage, detail, t, source: 'app' });
  }

  private writeStatus(pod: string, change: (status: PodStatus) => void): void {
    if (!this.stopped) this.options.store.mutate('Pod', pod, (object) => change(object.status));
  }

  private emit(body: EventBody, source: EventSource = 'kubelet', t = this.options.clock.now()): void {
    this.options.events({ ...body, t, source } as LifecycleEvent);
  }

  private report(pod: string, error: unknown): void {
    const found = error instanceof HarnessError ? error : undefined;
    const message = error instanceof Error ? error.message : String(error);
    const wrapped = new HarnessError(found?.code ?? 'pod-start-failed', `pod ${pod}: ${message}`, {
      hint: found?.hint,
      exitCode: found?.exitCode,
      cause: error,
    });
    if (this.options.onError) this.options.onError(wrapped);
    else console.error(`kubelet: ${wrapped.message}${wrapped.hint ? `\n  hint: ${wrapped.hint}` : ''}`);
  }

  /** Runs `fn` when the cell clock reaches `eventMs` + the notice delay (at once when that has passed). */
  private after(eventMs: number, fn: () => void): Timer {
    return this.later(eventMs + this.options.noticeDelayMs - this.options.clock.now(), fn);
  }

  /**
   * Runs `fn` after `ms` on the cell clock. libuv timers count from the loop's cached time and may fire a few ms
   * early; re-arming for the rest keeps every deadline (grace period, SIGKILL) from ever being early.
   */
  private later(ms: number, fn: () => void): Timer {
    const dueAt = this.options.clock.now() + ms;
    const handle: Timer = { timeout: undefined };
    const arm = (wait: number) => {
      handle.timeout = setTimeout(
        () => {
          const rest = dueAt - this.options.clock.now();
          if (rest > 0) return arm(Math.ceil(rest));
          this.timers.delete(handle);
          fn();
        },
        Math.max(0, wait),
      );
    };
    arm(ms);
    this.timers.add(handle);
    return handle;
  }

  private cancel(timer: Timer): void {
    clearTimeout(timer.timeout);
    this.timers.delete(timer);
  }
}

type LogLine = Record<string, unknown> & { msg: string };

function parseLogLine(line: string): LogLine | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value === 'object' && value !== null && typeof (value as { msg?: unknown }).msg === 'string') {
      return value as LogLine;
    }
  } catch {
    // not a log line of ours
  }
  return undefined;
}

/** A container's environment: a few host essentials, its spec env, then what the emulator itself decides. */
function podEnv(container: V1Container, pod: string, timeScale: number): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED_ENV) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  for (const variable of container.env ?? []) {
    const fromName = variable.valueFrom?.fieldRef?.fieldPath === 'metadata.name';
    env[variable.name] = fromName ? pod : (variable.value ?? '');
  }
  // Every pod shares the loopback interface, so the pod "IP" is 127.0.0.1 and the port is the OS's choice.
  return { ...env, POD_NAME: pod, HOST: POD_HOST, PORT: '0', TIME_SCALE: String(timeScale) };
}

/**
 * What in a pod spec this kubelet cannot act on, one line per field. LocalPlatform rejects every unmodelled field of
 * a variant up front (spec-support.ts); this is the kubelet's own guard for the fields it interprets itself.
 */
export function unmodelledFields(spec: V1PodSpec): string[] {
  const problems: string[] = [];
  const bad = (field: string, why: string) => problems.push(`${field}: ${why}`);
  const [container, ...others] = spec.containers;
  if (container === undefined || others.length > 0) {
    bad('spec.containers', `the local platform runs exactly one container per pod, found ${spec.containers.length}`);
  }
  if (container === undefined) return problems;
  const at = 'spec.containers[0]';
  (container.env ?? []).forEach((variable, i) => {
    if (variable.valueFrom && variable.valueFrom.fieldRef?.fieldPath !== 'metadata.name') {
      bad(`${at}.env[${i}].valueFrom`, 'only fieldRef metadata.name is modelled');
    }
  });
  for (const kind of ['livenessProbe', 'startupProbe'] as const) {
    if (container[kind]) bad(`${at}.${kind}`, 'not modelled');
  }
  const probe = container.readinessProbe;
  if (probe && !probe.httpGet) bad(`${at}.readinessProbe`, 'only httpGet readiness probes are modelled');
  if (probe?.httpGet) portProblem(probe.httpGet, container, `${at}.readinessProbe.httpGet.port`, bad);
  const preStop = container.lifecycle?.preStop;
  if (preStop && !preStopHandlerKind(preStop)) bad(`${at}.lifecycle.preStop`, 'expected exec, httpGet or sleep');
  if (preStop?.httpGet) portProblem(preStop.httpGet, container, `${at}.lifecycle.preStop.httpGet.port`, bad);
  return problems;
}

/** The emulated pod listens on one port, so an httpGet must name one of the container's ports (number or name). */
function portProblem(
  action: V1HTTPGetAction,
  container: V1Container,
  field: string,
  bad: (field: string, why: string) => void,
): void {
  const ports = container.ports ?? [];
  const port = action.port;
  if (typeof port === 'string') {
    if (!ports.some((p) => p.name === port))
      bad(field, `named port "${port}" is not declared in spec.containers[0].ports`);
  } else if (ports.length > 0 && !ports.some((p) => p.containerPort === port)) {
    const declared = ports.map((p) => p.containerPort).join(', ');
    bad(field, `port ${port} is not a declared containerPort (${declared})`);
  }
}
