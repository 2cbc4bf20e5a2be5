import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import { parseManifests, type ManifestObject, type Source } from '../check/parse-manifests.ts';
import { servingOf } from '../check/serving.ts';
import { readService, readWorkload, SHUTDOWN_ANNOTATION, type Container, type Workload } from '../check/workload.ts';
import type { Variant } from '../variants/variant.ts';

/**
 * Your own Deployment and Service on a real cluster (issue 15): the objects as written (multi-document YAML, such as
 * `helm template` or `kustomize build` prints), the container that serves the Service's traffic, and the Service port
 * the load sends to. The app's own readiness probe stays as it is.
 */
export interface AppManifest {
  /** Where it was read from, for messages. */
  source: string;
  deployment: V1Deployment;
  service: V1Service;
  /** The serving container's name. */
  container: string;
  /** The Service port that reaches the serving container (the load's target). */
  servicePort: number;
  /** The serving container's readiness probe path (httpGet), when it has one. */
  readinessPath: string | undefined;
  /** Remarks that do not stop the run (e.g. no readiness probe). */
  warnings: string[];
}

/** Fields of the objects that belong to the cluster they were read from, not to a copy deployed elsewhere. */
const CLUSTER_OWNED_METADATA = [
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
];

function clean<T extends { metadata?: object; status?: unknown }>(value: Record<string, unknown>): T {
  const copy = structuredClone(value) as Record<string, unknown> & { metadata?: Record<string, unknown> };
  delete copy.status;
  if (copy.metadata) for (const key of CLUSTER_OWNED_METADATA) delete copy.metadata[key];
  return copy as unknown as T;
}

/** The Service ports (number) whose target is one of the container's ports, by name or number. */
function portsReaching(service: ManifestObject, container: Container): number[] {
  const spec = (service.value.spec ?? {}) as { ports?: { port?: unknown; targetPort?: unknown }[] };
  return (spec.ports ?? []).flatMap((p) => {
    const target = p.targetPort ?? p.port;
    const hit = container.ports.some(
      (c) =>
        (c.name !== undefined && c.name === target) || (c.containerPort !== undefined && c.containerPort === target),
    );
    return hit && typeof p.port === 'number' ? [p.port] : [];
  });
}

/**
 * Reads the Deployment to measure and its Service from `sources`, or says what to change, one line per problem:
 * no Deployment, several, no Service selecting its pods, no container (or two) that the Service's port reaches.
 */
export function readAppManifest(
  sources: readonly Source[],
  opts: { container?: string } = {},
): { manifest?: AppManifest; problems: string[] } {
  const names = sources.map((s) => s.name).join(', ');
  const parsed = parseManifests(sources);
  if (parsed.problems.length > 0) return { problems: parsed.problems };
  const deployments = parsed.objects.filter((o) => o.kind === 'Deployment');
  if (deployments.length === 0) {
    const kinds = [...new Set(parsed.objects.map((o) => o.kind))];
    return {
      problems: [
        `${names} holds no Deployment${kinds.length > 0 ? ` (only ${kinds.join(', ')})` : ''}: drainlab rolls out a ` +
          'Deployment; give the manifest of your Deployment and its Service',
      ],
    };
  }
  if (deployments.length > 1) {
    const list = deployments.map((d) => `${d.file}:${d.line}`).join(', ');
    return {
      problems: [
        `${names} holds ${deployments.length} Deployments (${list}): give a manifest with the one Deployment to ` +
          'measure and its Service (for helm: helm template --show-only templates/<file>.yaml)',
      ],
    };
  }
  const object = deployments[0]!;
  const read = readWorkload(object);
  if (read.workload === undefined) return { problems: read.problems };
  const workload: Workload = read.workload;
  const serviceObjects = parsed.objects.filter((o) => o.kind === 'Service');
  const services = serviceObjects.map(readService);
  const serving = servingOf(workload, services);
  const where = `${object.file}:${object.line}: Deployment/${workload.ref.name}`;
  if (serving.kind !== 'service') {
    return {
      problems: [
        `${where}: no Service in ${names} selects its pods (labels ${JSON.stringify(workload.podLabels)}): the load ` +
          'reaches your app through its Service, as clients do; add the Service to the manifest',
      ],
    };
  }
  let candidates = serving.containers;
  if (opts.container !== undefined) {
    candidates = workload.containers.filter((c) => c.name === opts.container);
    if (candidates.length === 0) {
      return {
        problems: [
          `${where} has no container named ${opts.container}; its containers: ${workload.containers.map((c) => c.name).join(', ')}`,
        ],
      };
    }
  }
  if (candidates.length > 1) {
    return {
      problems: [
        `${where}: the Service ${serving.services.join(', ')} could be served by containers ` +
          `${candidates.map((c) => c.name).join(' and ')}: name the one that serves it with --app-container NAME`,
      ],
    };
  }
  const container = candidates[0]!;
  const serviceObject = serviceObjects.find((o) => readService(o).name === serving.services[0])!;
  const reaching = portsReaching(serviceObject, container);
  const servicePorts = ((serviceObject.value.spec ?? {}) as { ports?: { port?: unknown }[] }).ports ?? [];
  const firstPort = servicePorts.find((p) => typeof p.port === 'number')?.port as number | undefined;
  const servicePort = reaching[0] ?? firstPort;
  if (servicePort === undefined) {
    return {
      problems: [
        `${serviceObject.file}:${serviceObject.line}: Service/${serving.services[0]} has no port: give it spec.ports ` +
          'with the port your app is reached on',
      ],
    };
  }
  const rawContainer = (
    (object.value.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec
      .containers as { name: string; readinessProbe?: { httpGet?: { path?: string } } }[]
  ).find((c) => c.name === container.name);
  const readinessPath = rawContainer?.readinessProbe?.httpGet?.path;
  const warnings: string[] = [];
  if (!container.hasReadinessProbe) {
    warnings.push(
      `${where}: container ${container.name} has no readiness probe: Kubernetes sends it traffic as soon as it ` +
        'starts, listening or not; the measured losses include that',
    );
  }
  return {
    problems: [],
    manifest: {
      source: names,
      deployment: clean<V1Deployment>(object.value),
      service: clean<V1Service>(serviceObject.value),
      container: container.name,
      servicePort,
      readinessPath,
      warnings,
    },
  };
}

/** The derived variants of a manifest: the same names as for a command line on `local` (see app-variants.ts). */
export interface ManifestVariantOptions {
  /** preStop sleep seconds of `app-prestop` (preStopSecondsFor the run's propagation). */
  preStopSeconds: number;
}

/** The serving container of a copy of the Deployment, to change it. */
function servingContainer(deployment: V1Deployment, name: string) {
  const container = deployment.spec?.template.spec?.containers.find((c) => c.name === name);
  if (!container) throw new Error(`container ${name} vanished from the Deployment`);
  return container;
}

/**
 * `app-as-is` (the objects as written, the images as written) and, when the serving container has no preStop hook,
 * `app-prestop` (the same with a native `sleep` preStop hook), plus `app-prestop-grace` when the pod template declares
 * how long the app needs after SIGTERM (annotation `drainlab/shutdown-seconds`) and the grace period is too short for
 * preStop plus that. A real cluster's grace period and preStop are its kubelet's: nothing is scaled.
 */
export function deriveManifestVariants(manifest: AppManifest, opts: ManifestVariantOptions): Variant[] {
  const s = opts.preStopSeconds;
  const base = (name: string) => ({
    name,
    deployment: structuredClone(manifest.deployment),
    service: structuredClone(manifest.service),
    ownImages: true,
    servicePort: manifest.servicePort,
  });
  const asIs: Variant = {
    ...base('app-as-is'),
    expectedSafe: false,
    summary: {
      en: `Your Deployment ${manifest.deployment.metadata?.name ?? ''} as written (${manifest.source}).`,
      ja: `書かれたままの Deployment ${manifest.deployment.metadata?.name ?? ''}（${manifest.source}）。`,
    },
    expectation: {
      en: 'Measured as it is: whether SIGTERM arrives while routing still sends the pod new connections, and what the app does then.',
      ja: 'そのまま測ります。ルーティングがまだ新しい接続を送っている間に SIGTERM が届くか、そのときアプリがどうするか。',
    },
  };
  const hasPreStop = servingContainer(manifest.deployment, manifest.container).lifecycle?.preStop !== undefined;
  if (hasPreStop) return [asIs];
  const withPreStop = (name: string, grace?: number) => {
    const v = base(name);
    const spec = v.deployment.spec!.template.spec!;
    const container = servingContainer(v.deployment, manifest.container);
    container.lifecycle = { ...container.lifecycle, preStop: { sleep: { seconds: s } } };
    if (grace !== undefined) spec.terminationGracePeriodSeconds = grace;
    return v;
  };
  const variants: Variant[] = [
    asIs,
    {
      ...withPreStop('app-prestop'),
      // What the app does on SIGTERM is not known before the run here (an app that exits at once still loses
      // requests on kept-alive connections): no variant of a manifest is promised to lose nothing.
      expectedSafe: false,
      summary: {
        en: `Adds a native preStop hook \`sleep ${s}\` to container ${manifest.container}.`,
        ja: `コンテナ ${manifest.container} にネイティブの preStop フック \`sleep ${s}\` を追加します。`,
      },
      expectation: {
        en: `SIGTERM comes ${s} s after the deletion, when routing has stopped sending the pod new connections.`,
        ja: `SIGTERM は削除の ${s} 秒後、ルーティングがその Pod に新しい接続を送らなくなってから届きます。`,
      },
    },
  ];
  const annotations = manifest.deployment.spec?.template.metadata?.annotations ?? {};
  const shutdown = Number(annotations[SHUTDOWN_ANNOTATION]);
  const grace = manifest.deployment.spec?.template.spec?.terminationGracePeriodSeconds ?? 30;
  if (Number.isFinite(shutdown) && s + shutdown > grace) {
    const longer = Math.ceil(s + shutdown + 5);
    variants.push({
      ...withPreStop('app-prestop-grace', longer),
      expectedSafe: false,
      summary: {
        en: `preStop \`sleep ${s}\` and a grace period of ${longer} s: preStop + the declared shutdown (${shutdown} s) + 5 s.`,
        ja: `preStop \`sleep ${s}\` とグレース期間 ${longer} 秒（preStop + 宣言された終了時間 ${shutdown} 秒 + 5 秒）。`,
      },
      expectation: {
        en: 'Like app-prestop, and the app has the time it declares it needs after SIGTERM before SIGKILL.',
        ja: 'app-prestop と同じで、さらに SIGKILL までに、アプリが SIGTERM 後に必要と宣言した時間があります。',
      },
    });
  }
  return variants;
}

/** Your app as an image on a real cluster (`--app-image`): what drainlab needs to write its Deployment and Service. */
export interface AppImage {
  image: string;
  /** The port the app listens on in its container (also given to it in `PORT`). */
  port: number;
  /** Its readiness path (an httpGet probe every second, one failure, as the catalog's). */
  readinessPath: string;
  /** Extra environment. */
  env: Record<string, string>;
}

/**
 * The Deployment `web` (container `app`, 3 replicas, maxSurge 1, maxUnavailable 0, grace 30 s) and Service `web`
 * (port 80 to the app's port) of an image, as a manifest would give them: the same path as --app-manifest from here.
 */
export function manifestFromImage(app: AppImage): AppManifest {
  const labels = { 'app.kubernetes.io/name': 'web' };
  const env = { PORT: String(app.port), ...app.env };
  return {
    source: `image ${app.image}`,
    container: 'app',
    servicePort: 80,
    readinessPath: app.readinessPath,
    warnings: [],
    deployment: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels },
      spec: {
        replicas: 3,
        selector: { matchLabels: labels },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: {
          metadata: { labels },
          spec: {
            terminationGracePeriodSeconds: 30,
            containers: [
              {
                name: 'app',
                image: app.image,
                imagePullPolicy: 'IfNotPresent',
                ports: [{ name: 'http', containerPort: app.port, protocol: 'TCP' }],
                env: Object.entries(env).map(([name, value]) => ({ name, value })),
                readinessProbe: {
                  httpGet: { path: app.readinessPath, port: 'http' },
                  periodSeconds: 1,
                  timeoutSeconds: 1,
                  successThreshold: 1,
                  failureThreshold: 1,
                },
              },
            ],
          },
        },
      },
    },
    service: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', labels },
      spec: {
        type: 'ClusterIP',
        selector: labels,
        ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
      },
    },
  };
}
