import { randomInt } from 'node:crypto';
import { InputError } from '../core/errors.ts';
import type { LoadProfile } from '../model/load-profile.ts';
import type { LoadSummary, RequestSample } from '../model/sample.ts';
import type { LoadGenerator, LoadRunOptions } from './load-generator.ts';
import { seededRandom } from './seeded-random.ts';
import { VirtualUser } from './virtual-user.ts';

/**
 * The built-in load generator, modelled on k6's constant-arrival-rate executor: an open model where request i is
 * scheduled at t0 + i/rate whatever the latency, run by virtual users that each own one connection; an arrival that
 * finds every VU busy at maxVUs is dropped and counted.
 */
export class BuiltinLoadGenerator implements LoadGenerator {
  readonly name = 'builtin';

  run(options: LoadRunOptions): Promise<LoadSummary> {
    const problems = validate(options);
    if (problems.length > 0) {
      return Promise.reject(new InputError(problems, 'Fix the load profile (see harness/model/load-profile.ts).'));
    }
    return new LoadRun(options, this.name).start();
  }
}

/** One run's state: the arrival schedule, the VU pool, and the exact counts. */
class LoadRun {
  private readonly intervalMs: number;
  private readonly nextWorkPath: () => string;
  private readonly all: VirtualUser[] = [];
  /** Free VUs, least recently used first (a ring of capacity maxVUs). */
  private readonly free: (VirtualUser | undefined)[];
  private freeHead = 0;
  private freeCount = 0;
  private t0 = 0;
  private endMs = 0;
  private scheduled = 0;
  private dropped = 0;
  private started = 0;
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private scheduling = true;
  private settled = false;
  private callbackError: { error: unknown } | undefined;
  private resolve: (summary: LoadSummary) => void = () => {};
  private reject: (error: unknown) => void = () => {};

  constructor(
    private readonly options: LoadRunOptions,
    private readonly engine: string,
  ) {
    this.intervalMs = 1000 / options.profile.rate;
    this.free = new Array<VirtualUser | undefined>(options.profile.maxVUs);
    this.nextWorkPath = workPaths(options.profile, options.seed ?? randomInt(2 ** 31));
  }

  start(): Promise<LoadSummary> {
    return new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      this.t0 = this.options.clock.now();
      this.endMs = this.t0 + this.options.maxDurationMs;
      if (this.options.stop.aborted) {
        this.stopScheduling();
        return;
      }
      this.options.stop.addEventListener('abort', this.onAbort, { once: true });
      this.options.onStarted?.();
      this.tick();
    });
  }

  private readonly onAbort = (): void => this.stopScheduling();

  /** Starts every arrival that is due (catching up after a late timer), then sleeps until the next one. */
  private readonly tick = (): void => {
    this.timer = undefined;
    if (!this.scheduling) return;
    const now = this.options.clock.now();
    for (;;) {
      // Computed from the index, never accumulated: a late timer cannot make the schedule drift.
      const at = this.t0 + this.scheduled * this.intervalMs;
      if (at >= this.endMs) {
        this.stopScheduling();
        return;
      }
      if (at > now) {
        this.timer = setTimeout(this.tick, Math.max(1, at - now));
        return;
      }
      this.arrive(at);
      if (!this.scheduling) return;
    }
  };

  private arrive(scheduledMs: number): void {
    this.scheduled++;
    let vu = this.takeFree();
    if (!vu) {
      if (this.all.length >= this.options.profile.maxVUs) {
        this.dropped++;
        return;
      }
      const { profile, target, clock } = this.options;
      vu = new VirtualUser({
        host: target.host,
        port: target.port,
        method: profile.method,
        body: profile.body,
        okStatus: profile.okStatus,
        keepAlive: profile.keepAlive,
        timeoutMs: profile.timeoutMs,
        clock,
        refusals: this.options.refusals,
        refusedWindowMs: this.options.refusedWindowMs,
      });
      this.all.push(vu);
    }
    this.started++;
    this.inFlight++;
    vu.send(scheduledMs, this.nextWorkPath(), this.onDone);
  }

  private readonly onDone = (sample: RequestSample, vu: VirtualUser): void => {
    this.inFlight--;
    this.putFree(vu);
    if (!this.callbackError) {
      try {
        this.options.onSample(sample);
      } catch (error) {
        // Keep counting the remaining requests so the totals stay exact, but start no more.
        this.callbackError = { error };
        this.stopScheduling();
      }
    }
    if (!this.scheduling && this.inFlight === 0) this.settle();
  };

  private stopScheduling(): void {
    this.scheduling = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.inFlight === 0) this.settle();
  }

  private settle(): void {
    if (this.settled) return;
    this.settled = true;
    this.options.stop.removeEventListener('abort', this.onAbort);
    for (const vu of this.all) vu.destroy();
    if (this.callbackError) {
      this.reject(this.callbackError.error);
      return;
    }
    this.resolve({
      scheduled: this.scheduled,
      dropped: this.dropped,
      started: this.started,
      vus: this.all.length,
      engine: this.engine,
    });
  }

  private takeFree(): VirtualUser | undefined {
    if (this.freeCount === 0) return undefined;
    const vu = this.free[this.freeHead];
    this.free[this.freeHead] = undefined;
    this.freeHead = (this.freeHead + 1) % this.free.length;
    this.freeCount--;
    return vu;
  }

  private putFree(vu: VirtualUser): void {
    this.free[(this.freeHead + this.freeCount) % this.free.length] = vu;
    this.freeCount++;
  }
}

/** Request paths `/work?workMs=N`, N uniform in [min, max] from the seeded PRNG; small ranges are built once. */
function workPaths(profile: LoadProfile, seed: number): () => string {
  const fixed = profile.path;
  if (fixed !== undefined) return () => fixed;
  const random = seededRandom(seed);
  const { min, max } = profile.workMs;
  const span = max - min + 1;
  if (span > 10_000) return () => `/work?workMs=${min + Math.floor(random() * span)}`;
  const paths = Array.from({ length: span }, (_, i) => `/work?workMs=${min + i}`);
  return () => paths[Math.floor(random() * span)] ?? `/work?workMs=${min}`;
}

function validate(options: LoadRunOptions): string[] {
  const { profile, target, maxDurationMs } = options;
  const problems: string[] = [];
  const positive = (value: number) => Number.isFinite(value) && value > 0;
  if (!positive(profile.rate)) problems.push(`load rate must be a positive number of requests/s, got ${profile.rate}`);
  if (!Number.isInteger(profile.maxVUs) || profile.maxVUs < 1) {
    problems.push(`load maxVUs must be an integer >= 1, got ${profile.maxVUs}`);
  }
  if (!positive(profile.timeoutMs)) problems.push(`load timeoutMs must be a positive number, got ${profile.timeoutMs}`);
  const { min, max } = profile.workMs;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || min > max) {
    problems.push(`load workMs must be integers with 0 <= min <= max, got min ${min}, max ${max}`);
  }
  if (profile.method !== 'POST' && profile.method !== 'GET') {
    problems.push(`load method must be POST or GET, got ${String(profile.method)}`);
  }
  if (!Number.isFinite(maxDurationMs) || maxDurationMs < 0) {
    problems.push(`maxDurationMs must be a finite number >= 0, got ${maxDurationMs}`);
  }
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) {
    problems.push(`target port must be an integer in 1..65535, got ${target.port}`);
  }
  return problems;
}
