import { createHash } from 'node:crypto';
import type { FakeKubeApi, KubeObject } from './fake-api-server.ts';

/** How the simulated controllers behave. */
export interface FakeClusterOptions {
  /** ms from a pod's creation to Running + Ready. */
  readyMs?: number;
  /** ms from a pod's deletion to its container exiting and the pod disappearing. */
  exitMs?: number;
  /** Exit code of deleted pods' containers. */
  exitCode?: number;
  /** The k6 Job's pod log, from the Job. */
  k6Log?: (job: KubeObject) => string;
  /** ms until the k6 Job succeeds. */
  jobMs?: number;
  /** Workload pod logs (stderr JSON lines), by pod name. */
  podLog?: (pod: string) => string;
  /** The Service's ClusterIP and port once created (10.96.12.34 and the posted port by default). */
  service?: { clusterIP?: string; port?: number };
}

const APPS = 'apis/apps/v1';
const CORE = 'api/v1';
const DISCOVERY = 'apis/discovery.k8s.io/v1';

/**
 * Minimal Deployment/ReplicaSet/EndpointSlice/Job controllers over the FakeKubeApi, enough for deployKubeCell to
 * see a rollout complete, a Service with a ClusterIP, pods terminate with an exit code, and a k6 Job finish.
 */
export function installFakeCluster(api: FakeKubeApi, options: FakeClusterOptions = {}): void {
  const readyMs = options.readyMs ?? 20;
  const exitMs = options.exitMs ?? 40;
  let podSeq = 0;

  const hashOf = (deployment: KubeObject) =>
    createHash('sha256')
      .update(JSON.stringify((deployment.spec as { template: unknown }).template))
      .digest('hex')
      .slice(0, 8);
  const podsOf = (ns: string) =>
    api
      .list(CORE, ns, 'pods')
      .filter(
        (p) => p.metadata.labels && !(p.metadata.labels as Record<string, string>)['batch.kubernetes.io/job-name'],
      );

  const syncSlice = (ns: string) => {
    const endpoints = podsOf(ns)
      .filter((p) => (p.status as { phase?: string } | undefined)?.phase === 'Running')
      .map((p) => {
        const terminating = Boolean(p.metadata.deletionTimestamp);
        const ready = !terminating && Boolean((p.status as { ready?: boolean }).ready);
        return {
          addresses: ['10.244.0.1'],
          conditions: { ready, serving: !terminating || ready, terminating },
          targetRef: { kind: 'Pod', name: p.metadata.name, namespace: ns },
        };
      });
    api.put(DISCOVERY, ns, 'endpointslices', {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-abcde', labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4',
      endpoints,
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    });
  };

  const syncStatus = (ns: string) => {
    const deployment = api.get(APPS, ns, 'deployments', 'web');
    if (!deployment) return;
    const hash = hashOf(deployment);
    const live = podsOf(ns).filter((p) => !p.metadata.deletionTimestamp);
    const updated = live.filter((p) => (p.metadata.labels as Record<string, string>)['pod-template-hash'] === hash);
    const available = updated.filter((p) => (p.status as { ready?: boolean }).ready).length;
    api.update(APPS, ns, 'deployments', 'web', (d) => {
      d.status = {
        observedGeneration: d.metadata.generation,
        replicas: live.length,
        updatedReplicas: updated.length,
        readyReplicas: available,
        availableReplicas: available,
      };
    });
  };

  const createPod = (ns: string, deployment: KubeObject) => {
    const hash = hashOf(deployment);
    const name = `web-${hash}-${String(++podSeq).padStart(5, '0')}`;
    const template = (deployment.spec as { template: { metadata: { labels: Record<string, string> }; spec: unknown } })
      .template;
    api.put(CORE, ns, 'pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        labels: { ...template.metadata.labels, 'pod-template-hash': hash },
        creationTimestamp: new Date().toISOString(),
      },
      spec: template.spec as Record<string, unknown>,
      status: { phase: 'Pending' },
    });
    if (options.podLog) api.logs.set(`${ns}/${name}`, options.podLog(name));
    api.later(readyMs, () => {
      if (!api.get(CORE, ns, 'pods', name)) return;
      api.update(CORE, ns, 'pods', name, (p) => {
        p.status = {
          phase: 'Running',
          ready: true,
          conditions: [{ type: 'Ready', status: 'True' }],
          containerStatuses: [
            {
              name: 'web',
              ready: true,
              restartCount: 0,
              image: 'x',
              imageID: 'x',
              state: { running: { startedAt: new Date().toISOString() } },
            },
          ],
        };
      });
      syncSlice(ns);
      syncStatus(ns);
    });
  };

  const terminate = (ns: string, name: string) => {
    syncSlice(ns);
    syncStatus(ns);
    api.later(exitMs, () => {
      if (!api.get(CORE, ns, 'pods', name)) return;
      api.update(CORE, ns, 'pods', name, (p) => {
        p.status = {
          phase: 'Running',
          ready: false,
          conditions: [{ type: 'Ready', status: 'False' }],
          containerStatuses: [
            {
              name: 'web',
              ready: false,
              restartCount: 0,
              image: 'x',
              imageID: 'x',
              state: { terminated: { exitCode: options.exitCode ?? 0 } },
            },
          ],
        };
      });
      api.remove(CORE, ns, 'pods', name);
      syncSlice(ns);
      syncStatus(ns);
    });
  };

  const reconcile = (ns: string) => {
    const deployment = api.get(APPS, ns, 'deployments', 'web');
    if (!deployment) return;
    const want = (deployment.spec as { replicas: number }).replicas;
    const hash = hashOf(deployment);
    const live = podsOf(ns).filter((p) => !p.metadata.deletionTimestamp);
    for (const old of live.filter((p) => (p.metadata.labels as Record<string, string>)['pod-template-hash'] !== hash)) {
      api.update(CORE, ns, 'pods', old.metadata.name, (p) => {
        p.metadata.deletionTimestamp = new Date().toISOString();
        p.metadata.deletionGracePeriodSeconds = 30;
      });
      terminate(ns, old.metadata.name);
    }
    const current = podsOf(ns).filter(
      (p) =>
        !p.metadata.deletionTimestamp && (p.metadata.labels as Record<string, string>)['pod-template-hash'] === hash,
    );
    for (let i = current.length; i < want; i++) createPod(ns, deployment);
    for (const extra of current.slice(want)) {
      api.update(CORE, ns, 'pods', extra.metadata.name, (p) => {
        p.metadata.deletionTimestamp = new Date().toISOString();
        p.metadata.deletionGracePeriodSeconds = 30;
      });
      terminate(ns, extra.metadata.name);
    }
    syncStatus(ns);
  };

  api.onCreate = (resource, object, ns) => {
    if (!ns) return;
    if (resource === 'deployments') reconcile(ns);
    if (resource === 'services') {
      api.update(CORE, ns, 'services', object.metadata.name, (s) => {
        const spec = s.spec as { clusterIP?: string; ports?: { port: number }[] };
        spec.clusterIP = options.service?.clusterIP ?? '10.96.12.34';
        if (options.service?.port !== undefined) spec.ports = [{ ...spec.ports?.[0], port: options.service.port }];
      });
    }
    if (resource === 'jobs') {
      const pod = `${object.metadata.name}-x7k2p`;
      api.put(CORE, ns, 'pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        // Only the current label (a real Job controller also sets the deprecated `job-name`): a selector on the old
        // one finds no pod here.
        metadata: { name: pod, labels: { 'batch.kubernetes.io/job-name': object.metadata.name } },
        status: { phase: 'Running' },
      });
      api.logs.set(`${ns}/${pod}`, options.k6Log?.(object) ?? '');
      api.later(options.jobMs ?? 30, () => {
        api.update('apis/batch/v1', ns, 'jobs', object.metadata.name, (j) => {
          j.status = { succeeded: 1 };
        });
      });
    }
  };
  api.onPatch = (resource, _object, ns) => {
    if (ns && resource === 'deployments') reconcile(ns);
  };
  api.onDelete = (resource, object, ns) => {
    if (
      !ns ||
      resource !== 'pods' ||
      (object.metadata.labels as Record<string, string> | undefined)?.['batch.kubernetes.io/job-name']
    )
      return;
    terminate(ns, object.metadata.name);
    reconcile(ns);
  };
}
