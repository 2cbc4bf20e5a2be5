import type { AppManifest } from '../app/app-manifest.ts';
import type { AppRequest, AppSpec } from '../app/app-spec.ts';
import type { LoadProfile } from '../model/load-profile.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import type { Variant } from '../variants/variant.ts';

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
  /** Seed for the load generator's randomness (and, with repetitions, the shuffled cell order). */
  seed: number;
  /** Load engine: the built-in generator, or k6 (a binary on PATH locally; a Job in the cluster on kind). */
  loadEngine: 'builtin' | 'k6';
  /** Print what a real run would do (kind config, manifests, k6 invocation) and start nothing. */
  dryRun: boolean;
  /** Exit non-zero when a variant expected to be safe lost requests (the nightly CI gate). */
  failOnLoss: boolean;
  /** Variants defined in the experiment file (looked up before the catalog); absent or empty without one. */
  customVariants?: Variant[];
  /** Scenarios defined in the experiment file (looked up before the catalog); absent or empty without one. */
  customScenarios?: Scenario[];
  /** Risky-but-legal specs of the selected variants, shown at start and recorded in results.json. */
  warnings?: string[];
  /** The experiment file given with --config, absolute. */
  configFile?: string;
  /**
   * Your own app (--app-* flags or the file's `app:`); `defaultVariants`: no variants were named, so the run uses
   * the derived ones its measured SIGTERM behaviour calls for.
   */
  app?: { spec: AppSpec; defaultVariants: boolean };
  /** Your own Deployment and Service on a real cluster (--app-manifest), with the request the load sends. */
  appManifest?: { manifest: AppManifest; request: AppRequest; defaultVariants: boolean };
  /** kind platform settings. */
  kind: {
    /** Keep the cluster after the run. */
    keepCluster: boolean;
    /** Reuse an existing harness cluster of this name instead of creating one. */
    reuseCluster: boolean;
    /** kube-proxy mode of a created cluster. */
    kubeProxyMode: 'iptables' | 'ipvs' | 'nftables';
    /** An existing kubeconfig context to use instead of kind (needs allowForeignContext). */
    context: string | undefined;
    /** The extra confirmation that acting on a context the harness did not create is intended. */
    allowForeignContext: boolean;
  };
}
