import type { Scenario } from './scenario.ts';
import { podDelete } from './pod-delete.ts';
import { rollingUpdate, rollingUpdateWide } from './rolling-update.ts';
import { scaleDown } from './scale-down.ts';

/** The default scenarios (design §4), in report order. Names are a contract. */
const DEFAULT_SCENARIOS: readonly Scenario[] = [rollingUpdate, podDelete, scaleDown];

/** Every catalog scenario: the default ones, then those that measure one more course claim (`--course`). */
export const SCENARIOS: readonly Scenario[] = [...DEFAULT_SCENARIOS, rollingUpdateWide];

/** Scenario names in catalog order. */
export const SCENARIO_NAMES: readonly string[] = SCENARIOS.map((s) => s.name);

/** The default scenarios: what a run without `--scenarios` measures. */
export const DEFAULT_SCENARIO_NAMES: readonly string[] = DEFAULT_SCENARIOS.map((s) => s.name);

/** The catalog scenario with this exact name, if any. */
export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
