import type { V1Probe } from '@kubernetes/client-node';
import { get, type ClientRequest } from 'node:http';
import { performance } from 'node:perf_hooks';

/** Kubernetes defaults for the fields a probe may leave out. */
const DEFAULTS = {
  initialDelaySeconds: 0,
  periodSeconds: 10,
  timeoutSeconds: 1,
  successThreshold: 1,
  failureThreshold: 3,
};

/** What one readiness prober probes and whom it tells. */
export interface ReadinessProberOptions {
  /** The container's readinessProbe; only `httpGet` is modelled (the kubelet checks that before). */
  probe: V1Probe;
  /** Where to probe right now (pod host and actual listening port); undefined until the pod listens (a failure). */
  target: () => { host: string; port: number } | undefined;
  /** Multiplies every duration of the probe. */
  timeScale: number;
  /** Called on every change of the verdict, starting from not ready. */
  onChange: (ready: boolean) => void;
}

/**
 * The kubelet's readiness worker for one container: ticks every periodSeconds from the start, skipping ticks inside
 * initialDelaySeconds (a ticker: a probe that overruns skips ticks, it does not stack them), and flips the verdict
 * after successThreshold consecutive successes or failureThreshold consecutive failures. A response 200–399 is a
 * success; anything else, a refused connection or no answer within timeoutSeconds is a failure.
 */
export class ReadinessProber {
  private readonly periodMs: number;
  private readonly timeoutMs: number;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: ClientRequest | undefined;
  private stopped = false;
  private isReady = false;
  private successes = 0;
  private failures = 0;

  constructor(private readonly options: ReadinessProberOptions) {
    this.periodMs = this.field('periodSeconds') * 1000 * options.timeScale;
    this.timeoutMs = this.field('timeoutSeconds') * 1000 * options.timeScale;
  }

  /** The current verdict. */
  get ready(): boolean {
    return this.isReady;
  }

  /** Starts probing; call when the container starts. */
  start(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => void this.tick(), this.firstProbeMs());
  }

  /**
   * The kubelet's worker ticks every periodSeconds from the container start and skips ticks while the container has
   * run less than initialDelaySeconds (prober/worker.go doProbe), so the first probe is the first tick at or after
   * the delay: initialDelay 3 with period 2 probes first at 4 s, not 3 s.
   */
  private firstProbeMs(): number {
    const delay = this.field('initialDelaySeconds');
    const period = this.field('periodSeconds');
    const first = delay > 0 && period > 0 ? Math.ceil(delay / period) * period : delay;
    return first * 1000 * this.options.timeScale;
  }

  /** Stops probing for good and abandons a probe in flight (no more onChange calls). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.inFlight?.destroy();
  }

  private field(name: keyof typeof DEFAULTS): number {
    return this.options.probe[name] ?? DEFAULTS[name];
  }

  private async tick(): Promise<void> {
    const startedAt = performance.now();
    const ok = await this.probeOnce();
    if (this.stopped) return;
    this.record(ok);
    const elapsed = performance.now() - startedAt;
    const wait = this.periodMs <= 0 ? 0 : this.periodMs - (elapsed % this.periodMs);
    this.timer = setTimeout(() => void this.tick(), wait);
  }

  private record(ok: boolean): void {
    if (ok) {
      this.successes++;
      this.failures = 0;
      if (!this.isReady && this.successes >= this.field('successThreshold')) this.flip(true);
    } else {
      this.failures++;
      this.successes = 0;
      if (this.isReady && this.failures >= this.field('failureThreshold')) this.flip(false);
    }
  }

  private flip(ready: boolean): void {
    this.isReady = ready;
    this.options.onChange(ready);
  }

  private probeOnce(): Promise<boolean> {
    const target = this.options.target();
    const { path = '/', httpHeaders = [] } = this.options.probe.httpGet ?? { port: 0 };
    const headers = Object.fromEntries(httpHeaders.map((h) => [h.name, h.value]));
    if (target === undefined) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => request.destroy(), this.timeoutMs);
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.inFlight = undefined;
        resolve(ok);
      };
      const request = get({ ...target, path, headers, agent: false }, (response) => {
        const status = response.statusCode ?? 0;
        response.resume();
        response.once('end', () => done(status >= 200 && status < 400));
        response.once('error', () => done(false));
        response.once('close', () => {
          if (!response.complete) done(false);
        });
      });
      request.once('error', () => done(false));
      this.inFlight = request;
    });
  }
}
