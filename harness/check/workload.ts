import type { ObjectRef } from './finding.ts';
import { isRecord, type ManifestObject } from './parse-manifests.ts';
import { resolveRollout, type Rollout } from './rollout.ts';

/** The kinds `check` reads pod templates from. */
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;

/** One of {@link WORKLOAD_KINDS}. */
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** terminationGracePeriodSeconds when the pod spec leaves it out (Pod API default). */
export const DEFAULT_GRACE_SECONDS = 30;

/** The pod-template annotation that says how long the app needs to shut down after SIGTERM, in seconds. */
export const SHUTDOWN_ANNOTATION = 'drainlab/shutdown-seconds';

/** A container port as the pod template declares it. */
export interface ContainerPort {
  /** ports[].name. */
  name: string | undefined;
  /** ports[].containerPort. */
  containerPort: number | undefined;
}

/** The fields of one container that the rules read. */
export interface Container {
  /** containers[].name. */
  name: string;
  /** Its index in containers[] (for line numbers and patches). */
  index: number;
  /** containers[].image ('' when missing). */
  image: string;
  /** containers[].command, when set. */
  command: string[] | undefined;
  /** containers[].args, when set. */
  args: string[] | undefined;
  /** containers[].ports. */
  ports: ContainerPort[];
  /** containers[].lifecycle.preStop, when set. */
  preStop: Record<string, unknown> | undefined;
  /** Whether containers[].readinessProbe is set. */
  hasReadinessProbe: boolean;
}

/** A Deployment, StatefulSet or DaemonSet, as far as the rules need it. */
export interface Workload {
  /** What findings name. */
  ref: ObjectRef;
  /** `kind` narrowed. */
  kind: WorkloadKind;
  /** The object as parsed, for line numbers. */
  source: ManifestObject;
  /** spec.replicas (Deployment, StatefulSet), when set. */
  replicas: number | undefined;
  /** A Deployment's strategy resolved against its replicas (1 when left out); undefined for other kinds. */
  rollout: Rollout | undefined;
  /** spec.template.metadata.labels. */
  podLabels: Record<string, string>;
  /** The app's shutdown time from the {@link SHUTDOWN_ANNOTATION} annotation, when set. */
  shutdownSeconds: number | undefined;
  /** spec.template.spec.terminationGracePeriodSeconds, or the default 30. */
  graceSeconds: number;
  /** Whether terminationGracePeriodSeconds is written in the manifest. */
  graceSet: boolean;
  /** spec.template.spec.containers. */
  containers: Container[];
}

/** A Service, as far as matching pods goes. */
export interface Service {
  /** metadata.name. */
  name: string;
  /** metadata.namespace, when set. */
  namespace: string | undefined;
  /** spec.selector; undefined or empty selects no pods (the Endpoints are managed by hand). */
  selector: Record<string, string> | undefined;
  /** spec.ports[].targetPort (or port when targetPort is left out). */
  targetPorts: (string | number)[];
}

/** Path of the pod spec inside every workload kind. */
export const POD_SPEC_PATH = ['spec', 'template', 'spec'] as const;

/**
 * The workload view of an object, or the problems that keep the rules from reading it, each naming the field and
 * what to write there. Only the fields the rules read are checked; the API server checks the rest.
 */
export function readWorkload(object: ManifestObject): { workload?: Workload; problems: string[] } {
  const kind = object.kind as WorkloadKind;
  const v = object.value;
  const metadata = isRecord(v.metadata) ? v.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  const where = `${object.file}:${object.line}: ${kind}${name ? `/${name}` : ''}`;
  const problems: string[] = [];
  if (name === '') problems.push(`${where} has no metadata.name; give it one`);
  const spec = isRecord(v.spec) ? v.spec : {};
  const template = isRecord(spec.template) ? spec.template : {};
  const templateMeta = isRecord(template.metadata) ? template.metadata : {};
  const pod = isRecord(template.spec) ? template.spec : undefined;
  const rawContainers = pod?.containers;
  if (!Array.isArray(rawContainers) || rawContainers.length === 0) {
    problems.push(`${where} has no spec.template.spec.containers; a ${kind} needs at least one container`);
  }
  const containers = (Array.isArray(rawContainers) ? rawContainers : []).flatMap((c, index) => {
    const read = readContainer(c, index, where);
    problems.push(...read.problems);
    return read.container ? [read.container] : [];
  });
  const graceRaw = pod?.terminationGracePeriodSeconds;
  if (graceRaw !== undefined && graceRaw !== null && !isWholeNumber(graceRaw)) {
    problems.push(
      `${where}: terminationGracePeriodSeconds must be a whole number of seconds, got ${JSON.stringify(graceRaw)}`,
    );
  }
  const replicasRaw = spec.replicas;
  if (kind !== 'DaemonSet' && replicasRaw !== undefined && replicasRaw !== null && !isWholeNumber(replicasRaw)) {
    problems.push(`${where}: spec.replicas must be a whole number, got ${JSON.stringify(replicasRaw)}`);
  }
  let rollout: Rollout | undefined;
  if (kind === 'Deployment') {
    const replicas = typeof replicasRaw === 'number' ? replicasRaw : 1;
    const resolved = resolveRollout(isRecord(spec.strategy) ? spec.strategy : undefined, replicas);
    if (resolved.problem !== undefined) problems.push(`${where}: ${resolved.problem}`);
    rollout = resolved.rollout;
  }
  const annotations = isRecord(templateMeta.annotations) ? templateMeta.annotations : {};
  const shutdownRaw = annotations[SHUTDOWN_ANNOTATION];
  let shutdownSeconds: number | undefined;
  if (shutdownRaw !== undefined) {
    shutdownSeconds = parseSeconds(String(shutdownRaw));
    if (shutdownSeconds === undefined) {
      problems.push(
        `${where}: annotation ${SHUTDOWN_ANNOTATION} must be a number of seconds such as "25", got ${JSON.stringify(shutdownRaw)}`,
      );
    }
  }
  if (problems.length > 0) return { problems };
  return {
    problems,
    workload: {
      ref: {
        kind,
        name,
        namespace: typeof metadata.namespace === 'string' ? metadata.namespace : undefined,
        file: object.file,
        line: object.line,
      },
      kind,
      source: object,
      replicas: typeof replicasRaw === 'number' ? replicasRaw : undefined,
      rollout,
      podLabels: stringMap(templateMeta.labels),
      shutdownSeconds,
      graceSeconds: typeof graceRaw === 'number' ? graceRaw : DEFAULT_GRACE_SECONDS,
      graceSet: typeof graceRaw === 'number',
      containers,
    },
  };
}

function readContainer(raw: unknown, index: number, where: string): { container?: Container; problems: string[] } {
  if (!isRecord(raw)) return { problems: [`${where}: containers[${index}] must be a mapping with a name and image`] };
  if (typeof raw.name !== 'string' || raw.name === '') {
    return { problems: [`${where}: containers[${index}] has no name; every container needs one`] };
  }
  const name = raw.name;
  const problems: string[] = [];
  const strings = (field: 'command' | 'args'): string[] | undefined => {
    const value = raw[field];
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value) && value.every((s) => typeof s === 'string')) return value as string[];
    problems.push(`${where}: container ${name}: ${field} must be a list of strings, got ${JSON.stringify(value)}`);
    return undefined;
  };
  const command = strings('command');
  const args = strings('args');
  const lifecycle = isRecord(raw.lifecycle) ? raw.lifecycle : {};
  const ports = (Array.isArray(raw.ports) ? raw.ports : []).filter(isRecord).map((p) => ({
    name: typeof p.name === 'string' ? p.name : undefined,
    containerPort: typeof p.containerPort === 'number' ? p.containerPort : undefined,
  }));
  if (problems.length > 0) return { problems };
  return {
    problems,
    container: {
      name,
      index,
      image: typeof raw.image === 'string' ? raw.image : '',
      command,
      args,
      ports,
      preStop: isRecord(lifecycle.preStop) ? lifecycle.preStop : undefined,
      hasReadinessProbe: isRecord(raw.readinessProbe),
    },
  };
}

/** The Service view of a `kind: Service` object. */
export function readService(object: ManifestObject): Service {
  const v = object.value;
  const metadata = isRecord(v.metadata) ? v.metadata : {};
  const spec = isRecord(v.spec) ? v.spec : {};
  const ports = (Array.isArray(spec.ports) ? spec.ports : []).filter(isRecord);
  return {
    name: typeof metadata.name === 'string' ? metadata.name : '',
    namespace: typeof metadata.namespace === 'string' ? metadata.namespace : undefined,
    selector: isRecord(spec.selector) ? stringMap(spec.selector) : undefined,
    targetPorts: ports.flatMap((p) => {
      const target = p.targetPort ?? p.port;
      return typeof target === 'string' || typeof target === 'number' ? [target] : [];
    }),
  };
}

/** A number of seconds written as `25`, `"25"` or `"2.5"`, at most a day; undefined for anything else. */
export function parseSeconds(text: string): number | undefined {
  if (!/^\s*\d+(\.\d+)?\s*$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 86_400 ? n : undefined;
}

function isWholeNumber(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function stringMap(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}
