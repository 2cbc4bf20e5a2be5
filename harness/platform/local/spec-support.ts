import type { Variant } from '../../variants/variant.ts';
import { WORKLOAD_IMAGE } from '../../../workloads/image.ts';
import { APP_IMAGE } from '../../app/app-variants.ts';

// The emulator models a known subset of the Deployment and Service APIs. Anything outside it must be an error naming
// the field (design §5): silently ignoring e.g. a liveness probe would produce results the real cluster never would.
// So this is a whitelist: a tree of the fields the emulator understands, walked against the variant's objects.

/** Returns why a value is not acceptable (completing "<path> ..."), or undefined when it is. */
type Check = (value: unknown) => string | undefined;

interface Shape {
  /** Known members of an object (anything else is reported). */
  fields?: Record<string, Shape>;
  /** Shape of every array element. */
  items?: Shape;
  /** Free-form string-to-string map (labels, annotations, selectors). */
  stringMap?: true;
  /** Value check applied after the structural walk. */
  check?: Check;
}

/** Records one problem at a field path. */
type Report = (path: string, text: string) => void;

const UNMODELLED = 'is not modelled by the local platform; remove it or use --platform kind';

const show = (v: unknown) => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v));
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

const str: Check = (v) => (typeof v === 'string' ? undefined : `must be a string, found ${show(v)}`);
const count: Check = (v) =>
  isInt(v) && v >= 0 ? undefined : `is ${show(v)}; Kubernetes requires a non-negative integer`;
const portNumber: Check = (v) =>
  isInt(v) && v >= 1 && v <= 65535 ? undefined : `is ${show(v)}; Kubernetes requires a port number 1-65535`;
const intOrPercent: Check = (v) =>
  (isInt(v) && v >= 0) || (typeof v === 'string' && /^\d+%$/.test(v))
    ? undefined
    : `is ${show(v)}; Kubernetes requires a non-negative integer or a percentage like "25%"`;
const portRef: Check = (v) =>
  typeof v === 'string' ? (v.length > 0 ? undefined : 'is empty; name a container port') : portNumber(v);
const commandList: Check = (v) =>
  Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string')
    ? undefined
    : `is ${show(v)}; Kubernetes requires a non-empty list of strings`;

/** A value Kubernetes accepts more of than the emulator models. */
function localOnly(allowed: readonly unknown[]): Check {
  return (v) =>
    allowed.includes(v)
      ? undefined
      : `is ${show(v)}; the local platform models only ${allowed.map(show).join(' or ')}; ` +
        'change it or use --platform kind';
}
/** A value Kubernetes itself restricts to a fixed set. */
function oneOf(allowed: readonly string[]): Check {
  return (v) =>
    allowed.includes(v as string) ? undefined : `is ${show(v)}; Kubernetes requires one of ${allowed.join(', ')}`;
}

const leaf = (check: Check): Shape => ({ check });
const obj = (fields: Record<string, Shape>): Shape => ({ fields });
const list = (items: Shape): Shape => ({ items });
const stringMap: Shape = { stringMap: true };

const CONTAINER = obj({
  name: leaf(str),
  image: leaf((v) =>
    v === WORKLOAD_IMAGE || v === APP_IMAGE
      ? undefined
      : `is ${show(v)}; the local platform runs only drainlab's workload image (${WORKLOAD_IMAGE}) or your app ` +
        `from --app-command (${APP_IMAGE}); use one of them or --platform kind`,
  ),
  // Only for APP_IMAGE (crossChecks): the command line of the user's app, run as the pod's process.
  command: leaf(commandList),
  args: leaf((v) =>
    Array.isArray(v) && v.every((s) => typeof s === 'string') ? undefined : `is ${show(v)}; must be a list of strings`,
  ),
  imagePullPolicy: leaf(oneOf(['Always', 'IfNotPresent', 'Never'])),
  ports: list(obj({ name: leaf(str), containerPort: leaf(portNumber), protocol: leaf(localOnly(['TCP'])) })),
  env: list(
    obj({
      name: leaf(str),
      value: leaf(str),
      valueFrom: obj({
        // The API server fills in apiVersion v1 when it returns an object, so objects read back from a cluster pass.
        fieldRef: obj({ fieldPath: leaf(localOnly(['metadata.name'])), apiVersion: leaf(localOnly(['v1'])) }),
      }),
    }),
  ),
  readinessProbe: obj({
    httpGet: obj({ path: leaf(str), port: leaf(portRef), scheme: leaf(localOnly(['HTTP'])) }),
    initialDelaySeconds: leaf(count),
    periodSeconds: leaf(count),
    timeoutSeconds: leaf(count),
    successThreshold: leaf(count),
    failureThreshold: leaf(count),
  }),
  lifecycle: obj({
    preStop: obj({
      exec: obj({ command: leaf(commandList) }),
      httpGet: obj({ path: leaf(str), port: leaf(portRef) }),
      sleep: obj({ seconds: leaf(count) }),
    }),
  }),
});

const DEPLOYMENT = obj({
  apiVersion: leaf(localOnly(['apps/v1'])),
  kind: leaf(localOnly(['Deployment'])),
  metadata: obj({ name: leaf(str), labels: stringMap, annotations: stringMap }),
  spec: obj({
    replicas: leaf(count),
    selector: obj({ matchLabels: stringMap }),
    strategy: obj({
      type: leaf(oneOf(['RollingUpdate', 'Recreate'])),
      rollingUpdate: obj({ maxSurge: leaf(intOrPercent), maxUnavailable: leaf(intOrPercent) }),
    }),
    minReadySeconds: leaf(count),
    revisionHistoryLimit: leaf(count),
    progressDeadlineSeconds: leaf(count),
    template: obj({
      metadata: obj({ labels: stringMap, annotations: stringMap }),
      spec: obj({ terminationGracePeriodSeconds: leaf(count), containers: list(CONTAINER) }),
    }),
  }),
});

const SERVICE = obj({
  apiVersion: leaf(localOnly(['v1'])),
  kind: leaf(localOnly(['Service'])),
  metadata: obj({ name: leaf(str), labels: stringMap }),
  spec: obj({
    type: leaf(localOnly(['ClusterIP'])),
    selector: stringMap,
    ports: list(
      obj({ name: leaf(str), port: leaf(portNumber), targetPort: leaf(portRef), protocol: leaf(localOnly(['TCP'])) }),
    ),
  }),
});

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** Walks `value` against `shape`, reporting each unknown member and each bad value by its path. */
function walk(value: unknown, shape: Shape, path: string, report: Report): void {
  // null and undefined mean "unset" in the Kubernetes API (and in the generated client's optional fields).
  if (value == null) return;
  if (shape.fields || shape.stringMap) {
    if (!isRecord(value)) return report(path, `must be an object, found ${show(value)}`);
    for (const [key, member] of Object.entries(value)) {
      if (member == null) continue;
      const sub = shape.fields?.[key];
      if (shape.stringMap) {
        if (typeof member !== 'string') report(join(path, key), `must be a string, found ${show(member)}`);
      } else if (!sub) report(join(path, key), UNMODELLED);
      else walk(member, sub, join(path, key), report);
    }
  } else if (shape.items) {
    if (!Array.isArray(value)) return report(path, `must be a list, found ${show(value)}`);
    value.forEach((item, i) => walk(item, shape.items as Shape, `${path}[${i}]`, report));
  }
  const problem = shape.check?.(value);
  if (problem) report(path, problem);
}

const asRecord = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});
const percentOrInt = (v: unknown) => (typeof v === 'string' ? Number.parseInt(v, 10) : v);
const matches = (selector: Record<string, unknown>, labels: Record<string, unknown>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

/** Rules that relate fields to each other; most are enforced by the Kubernetes API server itself. */
function crossChecks(variant: Variant, report: Report, reportSvc: Report): void {
  const spec = asRecord(variant.deployment.spec);
  const template = asRecord(spec['template']);
  const podSpec = asRecord(template['spec']);
  const labels = asRecord(asRecord(template['metadata'])['labels']);
  const containers = Array.isArray(podSpec['containers']) ? (podSpec['containers'] as unknown[]) : [];
  // Kubernetes' default when unset; an invalid value is already reported and would only add a derived problem.
  const rawGrace = podSpec['terminationGracePeriodSeconds'] ?? 30;
  const grace = isInt(rawGrace) && rawGrace >= 0 ? rawGrace : undefined;

  if (containers.length !== 1) {
    report(
      'spec.template.spec.containers',
      `has ${containers.length} containers; the local platform runs exactly one (the workload); ` +
        'use a single container or --platform kind',
    );
  }
  const selector = asRecord(asRecord(spec['selector'])['matchLabels']);
  if (Object.keys(selector).length === 0) {
    report('spec.selector.matchLabels', 'is empty; Kubernetes requires a selector');
  } else if (!matches(selector, labels)) {
    report('spec.selector.matchLabels', 'does not match spec.template.metadata.labels; Kubernetes rejects this');
  }

  const strategy = asRecord(spec['strategy']);
  const rolling = asRecord(strategy['rollingUpdate']);
  if (strategy['type'] === 'Recreate' && strategy['rollingUpdate'] != null) {
    report('spec.strategy.rollingUpdate', 'must not be set when spec.strategy.type is Recreate; Kubernetes rejects it');
  }
  if (percentOrInt(rolling['maxSurge']) === 0 && percentOrInt(rolling['maxUnavailable']) === 0) {
    report(
      'spec.strategy.rollingUpdate',
      'has maxSurge and maxUnavailable both 0; Kubernetes rejects this (no pod could ever be replaced)',
    );
  }
  const deadline = spec['progressDeadlineSeconds'];
  const minReady = isInt(spec['minReadySeconds']) ? spec['minReadySeconds'] : 0;
  if (isInt(deadline) && deadline <= minReady) {
    report(
      'spec.progressDeadlineSeconds',
      `is ${deadline}; Kubernetes requires it to be greater than minReadySeconds (${minReady})`,
    );
  }

  const portNames: string[] = [];
  containers.forEach((raw, i) => {
    const c = asRecord(raw);
    const path = `spec.template.spec.containers[${i}]`;
    const ownPorts = (Array.isArray(c['ports']) ? c['ports'] : []).map((p) => asRecord(p)['name']);
    if (c['image'] === APP_IMAGE && c['command'] == null) {
      report(`${path}.command`, `is required with image ${APP_IMAGE}: it is your app's command line`);
    }
    for (const field of ['command', 'args']) {
      if (c[field] != null && c['image'] !== APP_IMAGE) {
        report(
          `${path}.${field}`,
          `is only modelled for your app (image ${APP_IMAGE}); the workload image takes none; remove it or use --platform kind`,
        );
      }
    }
    for (const name of ownPorts) if (typeof name === 'string') portNames.push(name);
    const probePorts: [string, unknown][] = [
      [`${path}.readinessProbe.httpGet.port`, asRecord(asRecord(c['readinessProbe'])['httpGet'])['port']],
      [
        `${path}.lifecycle.preStop.httpGet.port`,
        asRecord(asRecord(asRecord(c['lifecycle'])['preStop'])['httpGet'])['port'],
      ],
    ];
    for (const [portPath, port] of probePorts) {
      if (typeof port === 'string' && port !== '' && !ownPorts.includes(port)) {
        report(portPath, `is "${port}" but the container has no port of that name; the handler could never connect`);
      }
    }
    const preStop = c['lifecycle'] == null ? undefined : asRecord(asRecord(c['lifecycle'])['preStop']);
    if (!preStop) return;
    const handlers = ['exec', 'httpGet', 'sleep', 'tcpSocket'].filter((h) => preStop[h] != null);
    if (handlers.length !== 1) {
      report(
        `${path}.lifecycle.preStop`,
        `has ${handlers.length === 0 ? 'no handler' : `handlers ${handlers.join(' and ')}`}; ` +
          'Kubernetes requires exactly one (exec, httpGet or sleep)',
      );
    }
    const seconds = asRecord(preStop['sleep'])['seconds'];
    if (isInt(seconds) && grace !== undefined && seconds > grace) {
      report(
        `${path}.lifecycle.preStop.sleep.seconds`,
        `is ${seconds} but terminationGracePeriodSeconds is ${grace}; Kubernetes rejects a sleep longer than the ` +
          `grace period; to show a preStop hook that outlives it, use exec: ["sleep", "${seconds}"]`,
      );
    }
  });
  serviceChecks(variant, labels, portNames, reportSvc);
}

// Not API errors, but the Service would have no endpoints and every request would fail for a reason unrelated to
// termination, so the run would measure nothing.
function serviceChecks(variant: Variant, podLabels: Record<string, unknown>, portNames: string[], reportSvc: Report) {
  const svcSpec = asRecord(variant.service.spec);
  const selector = asRecord(svcSpec['selector']);
  if (Object.keys(selector).length === 0 || !matches(selector, podLabels)) {
    reportSvc(
      'spec.selector',
      "does not select the Deployment's pods (compare spec.template.metadata.labels); the Service would have no endpoints",
    );
  }
  const svcPorts = Array.isArray(svcSpec['ports']) ? (svcSpec['ports'] as unknown[]) : [];
  svcPorts.forEach((p, i) => {
    const target = asRecord(p)['targetPort'];
    if (typeof target === 'string' && target !== '' && !portNames.includes(target)) {
      reportSvc(
        `spec.ports[${i}].targetPort`,
        `is "${target}" but the container has no port of that name (found: ${portNames.join(', ') || 'none'})`,
      );
    }
  });
}

/**
 * Every field of the variant's Deployment and Service that the local emulator cannot model faithfully, and every value
 * the Kubernetes API would reject, one line each naming the field path. Empty when the local platform can run it.
 */
export function checkLocalSupport(variant: Variant): string[] {
  const problems: string[] = [];
  const report = (path: string, text: string) => problems.push(`variant ${variant.name}: ${path} ${text}`);
  const reportSvc = (path: string, text: string) => report(`Service ${path}`, text);
  walk(variant.deployment, DEPLOYMENT, '', report);
  walk(variant.service, SERVICE, '', reportSvc);
  crossChecks(variant, report, reportSvc);
  return problems;
}
