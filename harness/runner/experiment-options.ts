import type { LoadProfile } from '../model/load-profile.ts';

/** Everything `npm run experiment` was asked to do, validated. */
export interface ExperimentOptions {
  /** Where cells run. */
  platform: 'local' | 'kind';
  /** Variant names, in the order given. */
  variants: string[];
  /** Scenario names, in the order given. */
  scenarios: string[];
  /** Repetitions of every variant × scenario. */
  repetitions: number;
  /** The load every cell runs. */
  load: LoadProfile;
  /** Every modelled duration is multiplied by this. */
  timeScale: number;
  /** The run folder. */
  outDir: string;
  /** Run id (also the folder name by default). */
  runId: string;
  /** Cells running at the same time. */
  parallel: number;
  /** Seed for the load generator's randomness. */
  seed: number;
}
