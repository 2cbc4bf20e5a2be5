import { hostname } from 'node:os';

/** What the service does on SIGTERM (design §3 "Node.js"). `none` installs no handler at all. */
export type ShutdownMode = 'exit' | 'drain' | 'ignore' | 'none';

const SHUTDOWN_MODES: readonly ShutdownMode[] = ['exit', 'drain', 'ignore', 'none'];

/** Longest service time a request may ask for, in ms (env WORK_MS and query `workMs`). */
export const MAX_WORK_MS = 60_000;

/** Upper bound for every other duration: catches a value typed in seconds times 1000 twice. */
const MAX_DURATION_MS = 3_600_000;

/** A service time: fixed when min === max, otherwise uniform random in [min, max]. */
export interface WorkRange {
  /** Shortest service time in ms. */
  min: number;
  /** Longest service time in ms. */
  max: number;
}

/** The validated configuration of the workload. Durations here are already multiplied by TIME_SCALE. */
export interface ServiceConfig {
  /** Sent back in header `x-pod` and in every log line. */
  pod: string;
  /** Address to listen on. */
  host: string;
  /** Port to listen on; 0 lets the OS choose (the `listening` log line says which). */
  port: number;
  /** Behaviour on SIGTERM. */
  mode: ShutdownMode;
  /** Drain deadline (scaled). */
  drainTimeoutMs: number;
  /** How long a keep-alive socket must sit idle during the drain before the server closes it (scaled). */
  drainIdleMs: number;
  /** After the last connection closed, time spent on cleanup (flushing, closing pools) before exit 0 (scaled). */
  cleanupMs: number;
  /** server.keepAliveTimeout (not scaled: it is a steady-state setting). */
  keepAliveTimeoutMs: number;
  /** Default service time of /work (not scaled). */
  work: WorkRange;
  /** /readyz answers 503 for this long after listening (scaled). */
  readyDelayMs: number;
  /** Factor applied to drain, idle, cleanup, ready-delay and /prestop durations. */
  timeScale: number;
}

/** Either a configuration or every problem found, one line each. */
export type ConfigResult = { ok: true; config: ServiceConfig } | { ok: false; problems: string[] };

type Env = Record<string, string | undefined>;

/** Reads the configuration from environment variables, reporting every bad value at once. */
export function parseConfig(env: Env): ConfigResult {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const bad = (name: string, expected: string): void => {
    problems.push(`invalid ${name}=${JSON.stringify(env[name])}: expected ${expected}; fix it or unset it`);
  };
  const integer = (name: string, fallback: number, max: number, expected?: string): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const value = parseIntStrict(raw);
    if (value === undefined || value > max) {
      bad(name, expected ?? `an integer number of milliseconds in 0..${max}`);
      return fallback;
    }
    return value;
  };

  const mode = (text('SHUTDOWN_MODE') ?? 'drain') as ShutdownMode;
  if (!SHUTDOWN_MODES.includes(mode)) bad('SHUTDOWN_MODE', `one of ${SHUTDOWN_MODES.join(', ')}`);

  const timeScaleRaw = text('TIME_SCALE');
  let timeScale = 1;
  if (timeScaleRaw !== undefined) {
    const value = /^\d*\.?\d+(e[-+]?\d+)?$/i.test(timeScaleRaw) ? Number(timeScaleRaw) : NaN;
    if (Number.isFinite(value) && value > 0) timeScale = value;
    else bad('TIME_SCALE', 'a number greater than 0 (1 = real time, 0.1 = ten times faster)');
  }

  const work = parseWorkRange(text('WORK_MS'));
  if (work === undefined) bad('WORK_MS', `N or MIN-MAX, integers in 0..${MAX_WORK_MS} with MIN <= MAX`);

  const config: ServiceConfig = {
    pod: text('POD_NAME') ?? hostname(),
    host: text('HOST') ?? '0.0.0.0',
    port: integer('PORT', 8080, 65_535, 'a TCP port in 0..65535 (0 = any free port)'),
    mode,
    drainTimeoutMs: integer('DRAIN_TIMEOUT_MS', 20_000, MAX_DURATION_MS) * timeScale,
    drainIdleMs: integer('DRAIN_IDLE_MS', 1_000, MAX_DURATION_MS) * timeScale,
    cleanupMs: integer('SHUTDOWN_CLEANUP_MS', 0, MAX_DURATION_MS) * timeScale,
    keepAliveTimeoutMs: integer('KEEP_ALIVE_TIMEOUT_MS', 65_000, MAX_DURATION_MS),
    work: work ?? { min: 0, max: 0 },
    readyDelayMs: integer('READY_DELAY_MS', 0, MAX_DURATION_MS) * timeScale,
    timeScale,
  };
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config };
}

/** `N` or `MIN-MAX` → range; undefined when malformed. An absent value means 0. */
export function parseWorkRange(raw: string | undefined): WorkRange | undefined {
  if (raw === undefined) return { min: 0, max: 0 };
  const match = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(raw.trim());
  if (match === null) return undefined;
  const min = parseIntStrict(match[1]!);
  const max = match[2] === undefined ? min : parseIntStrict(match[2]);
  if (min === undefined || max === undefined || min > max || max > MAX_WORK_MS) return undefined;
  return { min, max };
}

/** A non-negative decimal integer without sign, fraction or exponent; undefined otherwise. */
export function parseIntStrict(raw: string): number | undefined {
  if (!/^\d{1,15}$/.test(raw)) return undefined;
  return Number(raw);
}
