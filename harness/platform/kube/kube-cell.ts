import {
  AppsV1Api,
  CoreV1Api,
  DiscoveryV1Api,
  type KubeConfig,
  type V1Deployment,
  type V1EndpointSlice,
  type CoreV1Event,
  type V1Pod,
} from '@kubernetes/client-node';
import { type Clock, sleep } from '../../core/clock.ts';
import { EnvironmentError, HarnessError, InputError } from '../../core/errors.ts';
import type { EventBody, EventSink, EventSource } from '../../model/events.ts';
import type { LoadProfile } from '../../model/load-profile.ts';
import type { Variant } from '../../variants/variant.ts';
import type { CellDeployment } from '../platform.ts';
import { AppLogFollower } from './app-log-follower.ts';
import { CELL_LABEL, MANAGED_BY, RUN_LABEL } from './cleanup.ts';
import { K6JobGenerator } from './k6-job-generator.ts';
import { KubeClusterClient, selectorString } from './kube-cluster-client.ts';
import { kubeCellNamespace, labelValue } from './names.ts';
import { PodEventMapper } from './pod-events.ts';
import { canObserveRouting, watchServiceRouting } from './iptables-routing.ts';
import { ResourceWatch } from './resource-watch.ts';
import { endpointsMissing, podsMissing, rolloutMissing } from './rollout-status.ts';
import { SliceEventMapper } from './slice-events.ts';

export { kubeCellNamespace } from './names.ts';

/** Everything one cell on a real cluster needs. */
export interface KubeCellOptions {
  /** Loaded kubeconfig of the harness's cluster (kind's). */
  kubeConfig: KubeConfig;
  /** The run id (label `drainlab/run-id`, part of the namespace name). */
  runId: string;
  /** The cell id (label `drainlab/cell`, part of the namespace name). */
  cellId: string;
  /** The variant whose Deployment and Service are applied. */
  variant: Variant;
  /** Replicas to start with. */
  replicas: number;
  /** Replaces the variant's workload image (the unique tag loaded into kind). */
  workloadImage: string;
  /** The k6 image for the load Job, already loaded into the cluster. */
  k6Image: string;
  /**
   * Where the load comes from: `job` (default) runs k6 as a Job inside the cluster; `host` leaves the cell without a
   * generator of its own, so the harness's built-in one sends from this machine to the Service's ClusterIP. That
   * needs a cluster whose service addresses this machine routes to (the development cluster, scripts/devcluster).
   */
  loadFrom?: 'job' | 'host';
  /** The load profile (sets the k6 Job's fixed run time together with the variant). */
  load: LoadProfile;
  /** The cell's clock: every event is stamped with it. */
  clock: Clock;
  /** Where lifecycle events go. */
  events: EventSink;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  /** Must be 1: a real cluster cannot be sped up. */
  timeScale: number;
  /** Bound on the initial rollout + endpoints wait (ms); default 180 s. */
  readyTimeoutMs?: number;
  /** Bound on waiting for the namespace to be gone at teardown (ms); default 120 s. */
  teardownTimeoutMs?: number;
  /** Poll interval of the status waits (ms); default 500. */
  pollMs?: number;
  /** Read kube-proxy's iptables rules when this host has them (default true); false never reads them. */
  observeRouting?: boolean;
  /** With loadFrom `host`: tries (500 ms apart) before the Service address is declared unreachable; default 10. */
  reachAttempts?: number;
}

const WORKLOAD_CONTAINER = 'web';

/** The in-cluster URL of the variant's Service (its name, and the port the load targets when not 80). */
export function serviceUrl(variant: Variant, namespace: string): string {
  const name = variant.service.metadata?.name ?? 'web';
  const port = variant.servicePort ?? variant.service.spec?.ports?.[0]?.port ?? 80;
  return `http://${name}.${namespace}.svc.cluster.local${port === 80 ? '' : `:${port}`}`;
}

/**
 * Deploys one cell on a real cluster: a labelled namespace, the variant's Deployment (replicas set, image replaced)
 * and Service, watches on its Pods, EndpointSlices and Deployment, then waits until the rollout is complete and the
 * EndpointSlices list every replica as ready. Anything created is deleted again when a step fails.
 */
export async function deployKubeCell(options: KubeCellOptions): Promise<CellDeployment> {
  if (options.timeScale !== 1) {
    throw new InputError(
      [`time scale must be 1 on a real cluster (a kubelet cannot be sped up), got ${options.timeScale}`],
      'Leave out --time-scale with --platform kind.',
    );
  }
  const cell = new KubeCell(options);
  try {
    await cell.deploy();
  } catch (error) {
    await cell.teardown().catch(() => undefined);
    throw error;
  }
  return cell;
}

class KubeCell implements CellDeployment {
  readonly namespace: string;
  readonly client: KubeClusterClient;
  readonly loadGenerator: K6JobGenerator | undefined;
  target = { host: '', port: 80 };
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly discovery: DiscoveryV1Api;
  private readonly deployment: V1Deployment;
  private readonly selector: string;
  private readonly watches: ResourceWatch<V1Pod | V1EndpointSlice | V1Deployment | CoreV1Event>[] = [];
  /** Pods whose failed preStop hook was already reported. */
  private readonly failedHooks = new Set<string>();
  /** Pod names by address (kept after deletion: kube-proxy may drop a pod's rule after the pod is gone). */
  private readonly podByIp = new Map<string, string>();
  /** Stops reading kube-proxy's rules (when this host runs them). */
  private stopRouting: (() => void) | undefined;
  /** When each pod became Terminating (cell clock) and its grace period, for telling a cut-off hook from a failed one. */
  private readonly terminating = new Map<string, { t: number; graceSeconds: number }>();
  private readonly logs: AppLogFollower;
  private created = false;
  private rolloutArmed = false;
  private rolloutComplete = true;
  private torn: Promise<void> | undefined;
  private wantedReplicas: number;

  constructor(private readonly options: KubeCellOptions) {
    const kc = options.kubeConfig;
    this.wantedReplicas = options.replicas;
    this.namespace = kubeCellNamespace(options.runId, options.cellId);
    this.core = kc.makeApiClient(CoreV1Api);
    this.apps = kc.makeApiClient(AppsV1Api);
    this.discovery = kc.makeApiClient(DiscoveryV1Api);
    this.deployment = structuredClone(options.variant.deployment);
    const spec = this.deployment.spec;
    if (!spec) throw new InputError([`variant ${options.variant.name} has a Deployment without spec`]);
    spec.replicas = options.replicas;
    // Your own app's images are deployed as written; the catalog's container `web` runs the workload image built or
    // loaded for this cluster.
    for (const container of spec.template.spec?.containers ?? []) {
      if (!options.variant.ownImages && container.name === WORKLOAD_CONTAINER) container.image = options.workloadImage;
    }
    this.deployment.metadata = { ...this.deployment.metadata, namespace: this.namespace };
    this.selector = selectorString(spec.selector.matchLabels ?? {});
    const name = this.deployment.metadata.name ?? 'web';
    this.client = new KubeClusterClient(kc, this.namespace, name, this.selector);
    this.logs = new AppLogFollower(kc, this.namespace, WORKLOAD_CONTAINER, options.clock, options.events);
    this.loadGenerator =
      options.loadFrom === 'host'
        ? undefined
        : new K6JobGenerator({
            kc,
            namespace: this.namespace,
            cellId: options.cellId,
            variant: options.variant,
            image: options.k6Image,
            target: serviceUrl(options.variant, this.namespace),
            signal: options.signal,
          });
  }

  /** The Service under test (the catalog's `web`, or your own manifest's). */
  private get serviceName(): string {
    return this.options.variant.service.metadata?.name ?? 'web';
  }

  async deploy(): Promise<void> {
    const { options, namespace } = this;
    await this.core.createNamespace({
      body: {
        metadata: {
          name: namespace,
          labels: {
            [RUN_LABEL]: labelValue(options.runId),
            [CELL_LABEL]: labelValue(options.cellId),
            [MANAGED_BY.key]: MANAGED_BY.value,
          },
        },
      },
    });
    this.created = true;
    await this.startWatches();
    await this.apps.createNamespacedDeployment({ namespace, body: this.deployment });
    const service = structuredClone(options.variant.service);
    service.metadata = { ...service.metadata, namespace };
    await this.core.createNamespacedService({ namespace, body: service });
    await this.waitFor(
      async () => [...(await this.rolloutProblems()), ...(await this.endpointProblems())],
      options.readyTimeoutMs ?? 180_000,
      options.signal,
      `the rollout of ${options.variant.name} with ${options.replicas} ready endpoints`,
    );
    const serviceName = this.serviceName;
    const read = await this.core.readNamespacedService({ name: serviceName, namespace });
    // In-cluster address only: the load runs inside the cluster (never port-forward).
    this.target = {
      host: read.spec?.clusterIP ?? `${serviceName}.${namespace}.svc.cluster.local`,
      port: options.variant.servicePort ?? read.spec?.ports?.[0]?.port ?? 80,
    };
    if (options.loadFrom === 'host') await this.checkReachable(options.signal);
    if (options.observeRouting !== false && (await canObserveRouting(this.target.host, this.target.port))) {
      this.watchRouting();
    }
    this.rolloutArmed = true;
  }

  async waitSettled(opts: { timeoutMs: number; signal: AbortSignal }): Promise<void> {
    await this.waitFor(
      async () => {
        const rollout = await this.rolloutProblems();
        const pods = await this.core.listNamespacedPod({ namespace: this.namespace, labelSelector: this.selector });
        return [...rollout, ...podsMissing(pods.items, this.wantedReplicas)];
      },
      opts.timeoutMs,
      opts.signal,
      'the disruption to settle',
    );
    this.emit({ kind: 'settled' }, 'harness');
  }

  teardown(): Promise<void> {
    this.torn ??= this.tearDownOnce();
    return this.torn;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.teardown();
  }

  private async rolloutProblems(): Promise<string[]> {
    const deployment = await this.apps.readNamespacedDeployment({
      name: this.client.deploymentName,
      namespace: this.namespace,
    });
    this.wantedReplicas = deployment.spec?.replicas ?? this.wantedReplicas;
    return rolloutMissing(deployment);
  }

  private async endpointProblems(): Promise<string[]> {
    const slices = await this.discovery.listNamespacedEndpointSlice({
      namespace: this.namespace,
      labelSelector: `kubernetes.io/service-name=${this.serviceName}`,
    });
    return endpointsMissing(slices.items, this.options.replicas, this.serviceName);
  }

  private async waitFor(problems: () => Promise<string[]>, timeoutMs: number, signal: AbortSignal, what: string) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const missing = await problems();
      if (missing.length === 0) return;
      if (Date.now() > deadline) {
        throw new HarnessError(
          'timeout',
          `timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what} in namespace ${this.namespace}; ` +
            `still missing: ${missing.join('; ')}`,
          {
            hint: `Look at it with: kubectl -n ${this.namespace} get deploy,pods,endpointslices -o wide && kubectl -n ${this.namespace} get events`,
          },
        );
      }
      await sleep(this.options.pollMs ?? 500, signal);
    }
  }

  /** With load from this machine: the Service's ClusterIP must answer here, or every request would be counted lost. */
  private async checkReachable(signal: AbortSignal): Promise<void> {
    // drainlab's workload answers /readyz; for your own app any HTTP answer shows that the address is reached.
    const own = this.options.variant.ownImages === true;
    const url = `http://${this.target.host}:${this.target.port}${own ? '/' : '/readyz'}`;
    let why = '';
    for (let attempt = 0; attempt < (this.options.reachAttempts ?? 10); attempt++) {
      try {
        const response = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(2_000)]) });
        await response.body?.cancel();
        if (response.ok || own) return;
        why = `HTTP ${response.status}`;
      } catch (error) {
        if (signal.aborted) throw error;
        why = ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message;
      }
      await sleep(500, signal);
    }
    throw new EnvironmentError(
      [`--load builtin sends from this machine, but the Service address ${url} does not answer here (${why})`],
      {
        hint: 'builtin load with --context needs a cluster whose service addresses this machine routes to (scripts/devcluster/up.sh makes one); for any other cluster use --load k6',
      },
    );
  }

  /** Timestamps are the watch event's arrival on the cell clock: API timestamps have only 1 s resolution. */
  private emit(body: EventBody, source: EventSource): void {
    const t = this.options.clock.now();
    this.options.events({ ...body, t, source } as Parameters<EventSink>[0]);
    if (body.kind === 'pod-terminating') this.terminating.set(body.pod, { t, graceSeconds: body.gracePeriodSeconds });
    // drainlab's workload logs its lifecycle (SIGTERM, drain) as JSON lines; your own app's log is not read.
    if (body.kind === 'pod-started' && !this.options.variant.ownImages) this.logs.follow(body.pod);
  }

  private async startWatches(): Promise<void> {
    const { kubeConfig: kc } = this.options;
    const ns = this.namespace;
    const pods = new PodEventMapper((body, source) => this.emit(body, source));
    const slices = new SliceEventMapper((body, source) => this.emit(body, source));
    const giveUp = (what: string) => (error: unknown) =>
      process.emitWarning(`drainlab: stopped watching ${what} in ${ns} after repeated failures: ${String(error)}`);
    const sliceSelector = `kubernetes.io/service-name=${this.serviceName}`;
    const watches = [
      new ResourceWatch<V1Pod>({
        kc,
        path: `/api/v1/namespaces/${ns}/pods`,
        labelSelector: this.selector,
        list: () => this.core.listNamespacedPod({ namespace: ns, labelSelector: this.selector }),
        onEvent: (type, pod) => {
          if (pod.status?.podIP && pod.metadata?.name) this.podByIp.set(pod.status.podIP, pod.metadata.name);
          pods.observe(type, pod);
        },
        onGiveUp: giveUp('pods'),
      }),
      new ResourceWatch<V1EndpointSlice>({
        kc,
        path: `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`,
        labelSelector: sliceSelector,
        list: () => this.discovery.listNamespacedEndpointSlice({ namespace: ns, labelSelector: sliceSelector }),
        onEvent: (type, slice) => slices.observe(type, slice),
        onGiveUp: giveUp('endpointslices'),
      }),
      new ResourceWatch<V1Deployment>({
        kc,
        path: `/apis/apps/v1/namespaces/${ns}/deployments`,
        list: () => this.apps.listNamespacedDeployment({ namespace: ns }),
        onEvent: (type, deployment) => this.observeDeployment(type, deployment),
        onGiveUp: giveUp('deployments'),
      }),
      // The kubelet reports a preStop hook that failed (an exec whose command is missing, an httpGet refused) only
      // as an Event; without it the variant would silently behave as if it had no preStop.
      new ResourceWatch<CoreV1Event>({
        kc,
        path: `/api/v1/namespaces/${ns}/events`,
        list: () => this.core.listNamespacedEvent({ namespace: ns }),
        onEvent: (type, event) => this.observeEvent(type, event),
        onGiveUp: giveUp('events'),
      }),
    ];
    for (const watch of watches) {
      this.watches.push(watch as ResourceWatch<V1Pod | V1EndpointSlice | V1Deployment | CoreV1Event>);
      await watch.start();
    }
  }

  /**
   * A `FailedPreStopHook` Event becomes the pod's `prestop-end` (once per pod): `abandoned` when it came once the grace
   * period was over (the kubelet cut off a hook that outlived it, and says only "PreStopHook failed"), `failed`
   * otherwise (the hook could not run: a missing command, a refused httpGet).
   */
  private observeEvent(type: string, event: CoreV1Event): void {
    const pod = event.involvedObject?.name;
    if (type === 'DELETED' || event.reason !== 'FailedPreStopHook' || event.involvedObject?.kind !== 'Pod' || !pod)
      return;
    if (this.failedHooks.has(pod)) return;
    this.failedHooks.add(pod);
    const since = this.terminating.get(pod);
    const cutOff = since !== undefined && this.options.clock.now() - since.t >= since.graceSeconds * 1000;
    if (cutOff) {
      this.emit({ kind: 'prestop-end', pod, outcome: 'abandoned' }, 'kubelet');
      return;
    }
    this.emit(
      { kind: 'prestop-end', pod, outcome: 'failed', ...(event.message ? { reason: event.message } : {}) },
      'kubelet',
    );
  }

  /** `rollout-complete` each time the Deployment becomes complete again after the cell was ready (a disruption). */
  private observeDeployment(type: string, deployment: V1Deployment): void {
    if (type === 'DELETED' || deployment.metadata?.name !== this.client.deploymentName) return;
    const complete = rolloutMissing(deployment).length === 0;
    if (complete && !this.rolloutComplete && this.rolloutArmed) {
      this.emit({ kind: 'rollout-complete' }, 'deployment-controller');
    }
    this.rolloutComplete = complete;
  }

  /**
   * kube-proxy's own moment, where it runs on this host (the development cluster): each change of the pods its rules
   * send new connections to becomes `routing-updated`, as the emulated kube-proxy reports it on `local`. Read every
   * ROUTING_POLL_MS, so a time is up to that much late.
   */
  private watchRouting(): void {
    let routed: string[] = [];
    this.stopRouting = watchServiceRouting(this.target.host, this.target.port, (destinations) => {
      const endpoints = destinations.map((d) => {
        const ip = d.replace(/:\d+$/, '');
        return this.podByIp.get(ip) ?? ip;
      });
      const added = endpoints.filter((e) => !routed.includes(e));
      const removed = routed.filter((e) => !endpoints.includes(e));
      routed = endpoints;
      this.emit({ kind: 'routing-updated', endpoints, added, removed }, 'kube-proxy');
    });
  }

  private async tearDownOnce(): Promise<void> {
    this.stopRouting?.();
    for (const watch of this.watches) watch.stop();
    this.logs.stop();
    if (!this.created) return;
    try {
      await this.core.deleteNamespace({ name: this.namespace, body: { propagationPolicy: 'Background' } });
    } catch (error) {
      if ((error as { code?: number }).code !== 404) throw error;
    }
    const timeoutMs = this.options.teardownTimeoutMs ?? 120_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await this.core.readNamespace({ name: this.namespace });
      } catch (error) {
        if ((error as { code?: number }).code === 404) return;
        throw error;
      }
      if (Date.now() > deadline) {
        throw new HarnessError(
          'teardown-timeout',
          `namespace ${this.namespace} still exists ${Math.round(timeoutMs / 1000)} s after its deletion was requested`,
          {
            hint: `Check what holds it with: kubectl get namespace ${this.namespace} -o yaml; npm run clean removes it later.`,
          },
        );
      }
      await sleep(this.options.pollMs ?? 500);
    }
  }
}
