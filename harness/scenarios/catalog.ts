import type { Scenario } from './scenario.ts';
import { podDelete } from './pod-delete.ts';
import { rollingUpdate } from './rolling-update.ts';
import { scaleDown } from './scale-down.ts';

/** The default scenarios (design §4), in report order. Names are a contract. */
export const SCENARIOS: readonly Scenario[] = [rollingUpdate, podDelete, scaleDown];

/** Scenario names in catalog order. */
export const SCENARIO_NAMES: readonly string[] = SCENARIOS.map((s) => s.name);

/** The catalog scenario with this exact name, if any. */
export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
