import type { Clock } from '../../core/clock.ts';
import type { EventSink } from '../../model/events.ts';
import type { ClusterClient, PodInfo, RollingUpdateFields } from '../cluster-client.ts';
import { requestPodDeletion } from './pod-api.ts';
import { TEMPLATE_HASH_LABEL } from './replicaset-controller.ts';
import type { DeploymentObject } from './objects.ts';
import type { Store } from './store.ts';

/** The scenario-facing client of the emulated API (what client-node calls do on kind). */
export class LocalClusterClient implements ClusterClient {
  constructor(
    private readonly deps: { store: Store; clock: Clock; events: EventSink },
    /** Name of the Deployment under test. */
    readonly deploymentName: string,
  ) {}

  async patchTemplateAnnotations(annotations: Record<string, string>): Promise<void> {
    this.changeDeployment((d) => {
      const meta = (d.spec.template.metadata ??= {});
      meta.annotations = { ...(meta.annotations ?? {}), ...annotations };
    });
  }

  async deletePod(name: string, gracePeriodSeconds?: number): Promise<void> {
    if (!this.deps.store.get('Pod', name)) throw new Error(`pod ${name} not found`);
    requestPodDeletion(this.deps, name, 'api', gracePeriodSeconds);
  }

  async setRollingUpdate(rollingUpdate: RollingUpdateFields): Promise<void> {
    this.changeDeployment((d) => {
      // A merge patch of type and rollingUpdate: fields not given keep their value, as on a real API server.
      const previous = d.spec.strategy?.type === 'Recreate' ? {} : (d.spec.strategy?.rollingUpdate ?? {});
      d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { ...previous, ...rollingUpdate } };
    });
  }

  async scale(replicas: number): Promise<void> {
    this.changeDeployment((d) => {
      d.spec.replicas = replicas;
    });
  }

  async listPods(): Promise<PodInfo[]> {
    const deployment = this.deps.store.get('Deployment', this.deploymentName);
    const selector = deployment?.spec.selector.matchLabels ?? {};
    return this.deps.store.list('Pod', selector).map((pod) => ({
      name: pod.metadata.name,
      revision: pod.metadata.labels[TEMPLATE_HASH_LABEL] ?? '',
      ready: pod.status.ready,
      terminating: pod.metadata.deletionMs !== undefined,
    }));
  }

  private changeDeployment(change: (deployment: DeploymentObject) => void): void {
    const updated = this.deps.store.mutate('Deployment', this.deploymentName, (d) => {
      change(d);
      d.generation += 1;
    });
    if (!updated) throw new Error(`deployment ${this.deploymentName} not found`);
  }
}
