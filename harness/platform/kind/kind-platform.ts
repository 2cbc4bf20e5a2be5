import { KubeConfig } from '@kubernetes/client-node';
import { EnvironmentError, HarnessError, InputError } from '../../core/errors.ts';
import type { PropagationSettings } from '../../model/results.ts';
import type { ExperimentOptions } from '../../runner/experiment-options.ts';
import type { CellDeployment, DeployRequest, Platform } from '../platform.ts';
import { renderKindConfig, type KindConfig } from './cluster-config.ts';
import { buildWorkloadImage, ensureImagePresent, removeImage, type BuildOptions } from './image-builder.ts';
import { K6_IMAGE, KIND_CLUSTER_NAME, KIND_VERSION, WORKLOAD_IMAGE_ENV, workloadImageTag } from './kind-defaults.ts';
import { KindCli } from './kind-cli.ts';
import { defaultKubeOps, type KubeOps } from './kube-seam.ts';
import { preflightKind } from './preflight.ts';
import { loadContextKubeConfig } from '../kube/context-config.ts';

/** What KindPlatform talks to; tests replace the kube layer and the environment (PATH with fixture tools). */
export interface KindPlatformDeps {
  /** The cluster operations (harness/platform/kube). */
  kube: KubeOps;
  /** Environment for docker, kind and kubectl (PATH decides which binaries run). */
  env: NodeJS.ProcessEnv;
  /** Progress lines (stderr by default). */
  log: (line: string) => void;
  /** Workload image build overrides (a locally made base, the host network); the pinned public base otherwise. */
  build: Pick<BuildOptions, 'nodeImage' | 'buildImage' | 'network'>;
}

/** kind's documented defaults: kube-proxy iptables minSyncPeriod 1 s; the other delays are measured, not modelled. */
const KIND_PROPAGATION: PropagationSettings = {
  kubeletNoticeSeconds: 0,
  endpointsControllerSeconds: 0,
  proxyWatchSeconds: 0,
  proxyMinSyncSeconds: 1,
};

/**
 * The real-cluster platform: a kind cluster named `drainlab` (or, when named with the confirmation flag, an existing
 * kubeconfig context), the workload image built per run and loaded into the nodes, one namespace per cell deployed
 * by the kube layer. Run-level work is split like a task runner's: `preflight` (checks only, nothing created),
 * `setUp` (cluster, image), `tearDown` (undoes exactly what setUp did, also after a failure midway).
 */
export class KindPlatform implements Platform {
  readonly name = 'kind';
  readonly emulated = false;
  readonly propagation = KIND_PROPAGATION;
  /** The kind config a created cluster uses (kube-proxy mode filled in). */
  readonly kindConfig: KindConfig;
  /** The workload image of this run: `drainlab/workload:<runId>`, or $DRAINLAB_WORKLOAD_IMAGE with --context. */
  readonly workloadImage: string;
  /** The k6 image of the load Jobs. */
  readonly k6Image = K6_IMAGE;

  private readonly deps: KindPlatformDeps;
  private readonly cli: KindCli;
  // One record, filled as facts arrive (tools at preflight, cluster at setUp): results.json holds this very object.
  private readonly versionRecord: Record<string, string> = {};
  private preflighted: { clusterExists: boolean } | undefined;
  private kubeConfig: KubeConfig | undefined;
  private created = false;
  private built: string | undefined;
  private tornDown = false;

  constructor(
    private readonly options: ExperimentOptions,
    deps: Partial<KindPlatformDeps> = {},
  ) {
    this.deps = {
      kube: deps.kube ?? defaultKubeOps,
      env: deps.env ?? process.env,
      log: deps.log ?? ((line) => process.stderr.write(`${line}\n`)),
      build: deps.build ?? {},
    };
    this.cli = new KindCli({ env: this.deps.env });
    this.kindConfig = renderKindConfig(options.kind.kubeProxyMode);
    this.workloadImage = this.usesContext ? (this.deps.env[WORKLOAD_IMAGE_ENV] ?? '') : workloadImageTag(options.runId);
  }

  private get usesContext(): boolean {
    return this.options.kind.context !== undefined;
  }

  /** Checks tools, engine, ports and an existing cluster; every problem at once as an EnvironmentError. Creates nothing. */
  async preflight(signal?: AbortSignal): Promise<void> {
    const report = await preflightKind({
      mode: this.usesContext ? 'context' : 'kind',
      env: this.deps.env,
      hostPorts: this.kindConfig.hostPorts,
      reuseCluster: this.options.kind.reuseCluster,
      // Your own manifest's images are deployed as written; the catalog's need drainlab's workload image.
      needsWorkloadImage: this.options.appManifest === undefined,
      ...(signal ? { signal } : {}),
    });
    if (this.usesContext) this.contextKubeConfig(); // throws an InputError when the context does not exist
    Object.assign(this.versionRecord, report.versions);
    if (this.options.loadEngine === 'k6') this.versionRecord.k6Image = this.k6Image;
    else this.versionRecord.load = 'builtin generator on this machine, to the Service ClusterIP';
    if (this.usesContext) this.versionRecord.context = this.options.kind.context!;
    if (!this.usesContext) {
      this.versionRecord.kindNodeImage = this.kindConfig.nodeImages[0] ?? '';
      this.versionRecord.kindConfigVersion = KIND_VERSION;
    }
    this.deps.log(
      `drainlab: found ${Object.entries(report.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    this.preflighted = { clusterExists: report.clusterExists };
  }

  async versions(): Promise<Record<string, string>> {
    return this.versionRecord;
  }

  async setUp(signal: AbortSignal): Promise<void> {
    if (!this.preflighted) await this.preflight(signal);
    try {
      await this.setUpCluster(signal);
    } catch (error) {
      // A cluster that cannot be created or does not answer is the environment, not the run (exit 4 for CI gates).
      if (signal.aborted || error instanceof InputError || error instanceof EnvironmentError) throw error;
      // A failed command keeps its "command: ..." line, to be run by hand; a client error only needs its first line.
      const message = error instanceof Error ? error.message : String(error);
      const why = error instanceof HarnessError ? message : message.split('\n')[0];
      const what = this.usesContext ? `context ${this.options.kind.context}` : `kind cluster ${KIND_CLUSTER_NAME}`;
      throw new EnvironmentError([`setting up the ${what} failed: ${why}`], {
        hint:
          (error instanceof HarnessError ? error.hint : undefined) ??
          (this.usesContext
            ? `check that kubectl --context ${this.options.kind.context} get namespaces works from this machine`
            : 'check that docker and kind work here (docker info, kind create cluster); npm run clean removes leftovers'),
        cause: error,
      });
    }
  }

  private async setUpCluster(signal: AbortSignal): Promise<void> {
    const opts = { env: this.deps.env, signal };
    if (this.usesContext) {
      this.kubeConfig = this.contextKubeConfig();
    } else {
      const cli = new KindCli(opts);
      if (this.preflighted!.clusterExists) {
        this.deps.log(
          `drainlab: reusing the kind cluster ${KIND_CLUSTER_NAME} (--reuse-cluster); it is kept afterwards`,
        );
      } else {
        this.deps.log(
          `drainlab: creating the kind cluster ${KIND_CLUSTER_NAME} (kube-proxy ${this.options.kind.kubeProxyMode})`,
        );
        // Marked before the command: a create that fails midway can leave node containers that delete removes.
        this.created = true;
        await cli.createCluster(KIND_CLUSTER_NAME, this.kindConfig.yaml);
      }
      const kc = new KubeConfig();
      kc.loadFromString(await cli.getKubeconfig(KIND_CLUSTER_NAME));
      this.kubeConfig = kc;
      this.deps.log(`drainlab: building ${this.workloadImage}`);
      this.built = this.workloadImage;
      await buildWorkloadImage({ ...this.deps.build, tag: this.workloadImage, ...opts });
      await ensureImagePresent(this.k6Image, opts);
      for (const image of [this.workloadImage, this.k6Image]) {
        this.deps.log(`drainlab: loading ${image} into ${KIND_CLUSTER_NAME}`);
        if ((await cli.loadDockerImage(image, KIND_CLUSTER_NAME)) === 'archive') {
          this.deps.log(`drainlab: loaded ${image} as a one-platform archive (Docker's containerd image store)`);
        }
      }
      this.versionRecord.kind = this.versionRecord.kind ?? (await cli.version());
    }
    Object.assign(this.versionRecord, await this.deps.kube.kubeVersions(this.kubeConfig));
  }

  async deploy(request: DeployRequest): Promise<CellDeployment> {
    if (!this.kubeConfig) {
      throw new HarnessError('kind-not-set-up', 'the kind platform deployed a cell before setUp finished', {
        hint: 'call setUp(signal) first (runExperiment does)',
      });
    }
    return this.deps.kube.deployKubeCell({
      kubeConfig: this.kubeConfig,
      runId: this.options.runId,
      cellId: request.cellId,
      variant: request.variant,
      replicas: request.replicas,
      workloadImage: this.workloadImage,
      k6Image: this.k6Image,
      loadFrom: this.options.loadEngine === 'builtin' ? 'host' : 'job',
      load: this.options.load,
      clock: request.clock,
      events: request.events,
      signal: request.signal,
      timeScale: request.timeScale,
    });
  }

  /**
   * Undoes setUp in reverse: a cluster this run created is deleted (unless --keep-cluster); on a kept, reused or
   * foreign cluster only this run's labelled namespaces are deleted; the built image is removed from Docker.
   * Never throws: each failure is printed with the command that finishes the job by hand.
   */
  async tearDown(): Promise<void> {
    if (this.tornDown) return;
    this.tornDown = true;
    const opts = { env: this.deps.env };
    const step = async (what: string, byHand: string, action: () => Promise<unknown>) => {
      try {
        await action();
      } catch (error) {
        this.deps.log(
          `warning: ${what} failed: ${(error as Error).message.split('\n')[0]}; finish it by hand: ${byHand}`,
        );
      }
    };
    if (this.created && !this.options.kind.keepCluster) {
      this.deps.log(`drainlab: deleting the kind cluster ${KIND_CLUSTER_NAME}`);
      await step('deleting the cluster', `kind delete cluster --name ${KIND_CLUSTER_NAME}`, () =>
        new KindCli(opts).deleteCluster(KIND_CLUSTER_NAME),
      );
    } else if (this.kubeConfig) {
      const kc = this.kubeConfig;
      await step(
        "deleting this run's namespaces",
        `kubectl delete namespace -l drainlab/run-id=${this.options.runId}`,
        () => this.deps.kube.deleteHarnessNamespaces(kc, this.options.runId),
      );
      if (this.created) this.deps.log(`drainlab: kept the kind cluster ${KIND_CLUSTER_NAME} (--keep-cluster)`);
    }
    if (this.built) {
      const image = this.built;
      await step('removing the workload image', `docker image rm ${image}`, () => removeImage(image, opts));
    }
  }

  /** The named context from the default kubeconfig, never the current one. */
  private contextKubeConfig(): KubeConfig {
    return loadContextKubeConfig(this.options.kind.context!);
  }
}
