import { seededRandom } from '../load/seeded-random.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import type { Variant } from '../variants/variant.ts';

/** One variant × scenario × repetition to run. */
export interface CellPlan {
  /** Unique id, also the cell's folder name. */
  id: string;
  variant: Variant;
  scenario: Scenario;
  /** 1-based. */
  repetition: number;
}

/** Where a running cell is. */
export type CellPhase =
  | 'waiting'
  | 'deploying'
  | 'warm-up'
  | 'disrupting'
  | 'settling'
  | 'cool-down'
  | 'tearing-down'
  | 'done'
  | 'failed'
  | 'interrupted';

/** A snapshot of a cell for the progress display. */
export interface CellProgress {
  id: string;
  phase: CellPhase;
  /** Requests finished so far. */
  requests: number;
  /** Of which failed. */
  failures: number;
}

/** The cell id for a variant, scenario and repetition. */
export function cellId(variant: string, scenario: string, repetition: number): string {
  return `${variant}--${scenario}--r${repetition}`;
}

/** Builds every cell of the matrix: variants × scenarios × repetitions. */
export function buildMatrix(variants: Variant[], scenarios: Scenario[], repetitions: number): CellPlan[] {
  const cells: CellPlan[] = [];
  for (let repetition = 1; repetition <= repetitions; repetition++) {
    for (const scenario of scenarios) {
      for (const variant of variants) {
        cells.push({ id: cellId(variant.name, scenario.name, repetition), variant, scenario, repetition });
      }
    }
  }
  return cells;
}

/**
 * How long the slowest pod of this variant takes to terminate, in (unscaled) seconds: the preStop hook plus, when
 * the app ignores SIGTERM, the rest of the grace period. Used to bound waits and to start long cells first.
 */
export function terminationSeconds(variant: Variant): number {
  const pod = variant.deployment.spec?.template.spec;
  const grace = pod?.terminationGracePeriodSeconds ?? 30;
  const container = pod?.containers[0];
  const preStop = container?.lifecycle?.preStop;
  const execSleep = preStop?.exec?.command?.[0]?.endsWith('sleep') ? Number(preStop.exec.command[1] ?? 0) : 0;
  const preStopSeconds = preStop?.sleep?.seconds ?? (Number.isFinite(execSleep) ? execSleep : 0);
  const ignores = container?.env?.some((e) => e.name === 'SHUTDOWN_MODE' && e.value === 'ignore') ?? false;
  if (ignores || preStopSeconds >= grace) return grace + 2;
  return preStopSeconds + 1;
}

/**
 * The order cells start in. One repetition: longest cells first, which finishes the matrix soonest with bounded
 * parallelism. Several: a seeded shuffle, so that no variant always runs first (on a cold machine) or next to the
 * same neighbours; the seed is recorded and reproduces the order.
 */
export function startOrder(cells: readonly CellPlan[], repetitions: number, seed: number): CellPlan[] {
  if (repetitions <= 1) return [...cells].sort((a, b) => terminationSeconds(b.variant) - terminationSeconds(a.variant));
  // Mixed with a constant so the order does not repeat the load generator's own sequence from the same seed.
  const random = seededRandom((seed ^ 0x9e3779b9) >>> 0);
  const order = [...cells];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
