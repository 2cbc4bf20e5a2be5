import type { V1Deployment } from '@kubernetes/client-node';
import path from 'node:path';
import { sleep } from '../../core/clock.ts';
import { HarnessError, InputError } from '../../core/errors.ts';
import type { PropagationSettings } from '../../model/results.ts';
import { ensureWorkloadBundle } from '../../../workloads/bundle.ts';
import { WORKLOAD_IMAGE } from '../../../workloads/image.ts';
import { APP_IMAGE } from '../../app/app-variants.ts';
import type { CellDeployment, DeployRequest, Platform, RefusalOracle } from '../platform.ts';
import { DeploymentController, isRolloutComplete, templateHash } from './deployment-controller.ts';
import { EndpointSliceController } from './endpointslice-controller.ts';
import { KubeProxy } from './kube-proxy.ts';
import { Kubelet } from './kubelet.ts';
import { LocalClusterClient } from './local-cluster-client.ts';
import { ReplicaSetController } from './replicaset-controller.ts';
import { checkLocalSupport } from './spec-support.ts';
import { Store } from './store.ts';

/** Propagation defaults (design §3/§5): kubelet and controllers react in ~0.1 s, kube-proxy syncs at most once a second. */
export const DEFAULT_PROPAGATION: PropagationSettings = {
  kubeletNoticeSeconds: 0.1,
  endpointsControllerSeconds: 0.1,
  proxyWatchSeconds: 0.1,
  proxyMinSyncSeconds: 1,
};

/** The embedded platform: an emulated control plane and data plane around real workload processes. */
export class LocalPlatform implements Platform {
  readonly name = 'local' as const;
  readonly emulated = true;

  constructor(readonly propagation: PropagationSettings = DEFAULT_PROPAGATION) {}

  async versions(): Promise<Record<string, string>> {
    return { node: process.version, emulator: 'drainlab local (kube-proxy iptables-like, minSyncPeriod modelled)' };
  }

  async deploy(request: DeployRequest): Promise<CellDeployment> {
    const problems = checkLocalSupport(request.variant);
    if (problems.length > 0) throw new InputError(problems);
    const bundle = await ensureWorkloadBundle();
    const cell = new LocalCell(request, this.propagation, bundle);
    try {
      await cell.start();
      return cell;
    } catch (error) {
      await cell.teardown();
      throw error;
    }
  }
}

/** One cell's emulated cluster: API store, controllers, kubelet and kube-proxy, all owned by the cell. */
class LocalCell implements CellDeployment {
  readonly client: LocalClusterClient;
  target = { host: '127.0.0.1', port: 0 };
  /** The emulated kube-proxy knows which resets were refusals. */
  get refusals(): RefusalOracle {
    return this.proxy;
  }
  private readonly store: Store;
  private readonly controllers: { start(): void; stop(): void }[] = [];
  private readonly kubelet: Kubelet;
  private readonly proxy: KubeProxy;
  private readonly deploymentName: string;
  private torn: Promise<void> | undefined;
  private fatal: HarnessError | undefined;

  constructor(
    private readonly request: DeployRequest,
    propagation: PropagationSettings,
    bundlePath: string,
  ) {
    const { clock, events, timeScale, variant } = request;
    const scaled = (seconds: number) => seconds * 1000 * timeScale;
    this.store = new Store(clock);
    this.deploymentName = variant.deployment.metadata?.name ?? 'web';
    const deps = { store: this.store, clock, events };
    this.client = new LocalClusterClient(deps, this.deploymentName);
    const service = variant.service;
    const serviceName = service.metadata?.name ?? 'web';
    this.controllers.push(
      new DeploymentController(deps),
      new ReplicaSetController({ ...deps, timeScale }),
      new EndpointSliceController({
        ...deps,
        service: serviceName,
        selector: service.spec?.selector ?? {},
        delayMs: scaled(propagation.endpointsControllerSeconds),
      }),
    );
    this.proxy = new KubeProxy({
      ...deps,
      service: serviceName,
      watchDelayMs: scaled(propagation.proxyWatchSeconds),
      minSyncMs: scaled(propagation.proxyMinSyncSeconds),
    });
    this.kubelet = new Kubelet({
      ...deps,
      timeScale,
      noticeDelayMs: scaled(propagation.kubeletNoticeSeconds),
      resolveImage: (image, container) => {
        if (image === WORKLOAD_IMAGE) {
          return { command: process.execPath, args: [bundlePath] };
        }
        if (image === APP_IMAGE) {
          // The user's command line; its output goes to cells/<cell>/pods/<pod>.log in the run folder.
          const [command = '', ...args] = [...(container.command ?? []), ...(container.args ?? [])];
          const logDir = request.cellDir === undefined ? undefined : path.join(request.cellDir, 'pods');
          return { command, args, app: { logDir } };
        }
        throw new HarnessError('unknown-image', `the local platform cannot run image ${image}`, {
          hint: `use ${WORKLOAD_IMAGE}, or run with --platform kind`,
        });
      },
      onPodExit: (pod) => this.proxy.resetPod(pod),
      // A pod that cannot start or crashes makes the cell fail now, with the kubelet's words, not at a timeout.
      onError: (error) => {
        this.fatal ??= error;
      },
    });
  }

  async start(): Promise<void> {
    for (const controller of this.controllers) controller.start();
    this.kubelet.start();
    this.target = await this.proxy.start();
    const deployment: V1Deployment = structuredClone(this.request.variant.deployment);
    deployment.spec!.replicas = this.request.replicas;
    this.store.create('Deployment', {
      kind: 'Deployment',
      metadata: {
        name: this.deploymentName,
        labels: deployment.metadata?.labels ?? {},
        annotations: deployment.metadata?.annotations ?? {},
      },
      generation: 1,
      spec: deployment.spec!,
      status: { observedGeneration: 0, replicas: 0, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0 },
    });
    const limitMs = 20_000 + 10_000 * this.request.timeScale;
    await this.waitFor(() => this.readyProblem(), limitMs, this.request.signal, 'the Deployment to become ready');
  }

  /** What still keeps the Deployment from being ready and routable, or null when it is. */
  private readyProblem(): string | null {
    const complete = this.completeProblem();
    if (complete) return complete;
    const desired = this.store.get('Deployment', this.deploymentName)?.spec.replicas ?? 0;
    const routable = this.proxy.routable().length;
    return routable === desired ? null : `kube-proxy routes to ${routable} of ${desired} pods`;
  }

  private completeProblem(): string | null {
    const deployment = this.store.get('Deployment', this.deploymentName);
    if (!deployment) return 'the Deployment is missing';
    const desired = deployment.spec.replicas ?? 1;
    const owned = this.store.list('ReplicaSet').filter((rs) => rs.metadata.ownerName === this.deploymentName);
    if (!isRolloutComplete(desired, deployment.status, owned, templateHash(deployment.spec.template))) {
      const s = deployment.status;
      return `rollout incomplete: ${s.updatedReplicas} updated, ${s.availableReplicas} available, ${s.replicas} total of ${desired} wanted`;
    }
    const terminating = this.store.list('Pod').filter((p) => p.metadata.deletionMs !== undefined);
    if (terminating.length > 0) {
      return `${terminating.length} pod(s) still terminating: ${terminating.map((p) => p.metadata.name).join(', ')}`;
    }
    return null;
  }

  async waitSettled(opts: { timeoutMs: number; signal: AbortSignal }): Promise<void> {
    await this.waitFor(() => this.completeProblem(), opts.timeoutMs, opts.signal, 'the disruption to settle');
    this.request.events({ kind: 'settled', t: this.request.clock.now(), source: 'harness' });
  }

  private async waitFor(
    problem: () => string | null,
    timeoutMs: number,
    signal: AbortSignal,
    what: string,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.fatal) throw this.fatal;
      const missing = problem();
      if (missing === null) return;
      if (Date.now() > deadline) {
        throw new HarnessError(
          'timeout',
          `timed out after ${(timeoutMs / 1000).toFixed(0)} s waiting for ${what}: ${missing}`,
          {
            hint: 'look at the cell events in results.json; a slower machine may need a larger --time-scale',
          },
        );
      }
      await sleep(25, signal);
    }
  }

  teardown(): Promise<void> {
    this.torn ??= (async () => {
      for (const controller of this.controllers) controller.stop();
      await Promise.allSettled([this.kubelet.stop(), this.proxy.stop()]);
    })();
    return this.torn;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.teardown();
  }
}
