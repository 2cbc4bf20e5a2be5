import { stringify } from 'yaml';
import type { CheckOptions } from '../run-check.ts';
import { checkSources } from '../run-check.ts';
import type { Finding } from '../finding.ts';

type Obj = Record<string, unknown>;

/** A container with every shutdown setting right: a port, a readiness probe, a native preStop sleep of 5 s. */
export const GOOD_CONTAINER: Obj = {
  name: 'web',
  image: 'example.com/web:1',
  ports: [{ name: 'http', containerPort: 8080 }],
  readinessProbe: { httpGet: { path: '/readyz', port: 'http' } },
  lifecycle: { preStop: { sleep: { seconds: 5 } } },
};

/** What a test changes in the good workload; `undefined` values remove the field. */
export interface Changes {
  /** The workload's kind (default Deployment). */
  kind?: string;
  /** Fields of the first container. */
  container?: Obj;
  /** More containers after it. */
  sidecars?: Obj[];
  /** Fields of the pod spec. */
  pod?: Obj;
  /** Fields of the workload spec. */
  spec?: Obj;
  /** Pod-template annotations. */
  annotations?: Record<string, string>;
  /** The Service: false for none, or fields of its spec (default: selects app=web, port 80 → http). */
  service?: false | Obj;
}

/** `base` with `changes` applied, a field set to undefined removed. */
const edit = (base: Obj, changes: Obj = {}): Obj =>
  Object.fromEntries(Object.entries({ ...base, ...changes }).filter(([, v]) => v !== undefined));

/** A workload (and its Service) that check finds nothing in, with the given changes. */
export function manifest(changes: Changes = {}): Obj[] {
  const kind = changes.kind ?? 'Deployment';
  const spec: Obj = {
    ...(kind === 'DaemonSet' ? {} : { replicas: 3 }),
    selector: { matchLabels: { app: 'web' } },
    ...(kind === 'Deployment'
      ? { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }
      : {}),
    template: {
      metadata: { labels: { app: 'web' }, ...(changes.annotations ? { annotations: changes.annotations } : {}) },
      spec: edit({ containers: [edit(GOOD_CONTAINER, changes.container), ...(changes.sidecars ?? [])] }, changes.pod),
    },
  };
  const workload = { apiVersion: 'apps/v1', kind, metadata: { name: 'web' }, spec: edit(spec, changes.spec) };
  if (changes.service === false) return [workload];
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: edit({ selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] }, changes.service),
  };
  return [workload, service];
}

/** Objects as one multi-document YAML text. */
export const yamlOf = (objects: readonly unknown[]): string => objects.map((o) => stringify(o)).join('---\n');

/** check's findings for the objects, as one file `t.yaml`. */
export const findingsOf = (objects: readonly unknown[], options: CheckOptions = {}): Finding[] =>
  checkSources([{ name: 't.yaml', text: yamlOf(objects) }], options).findings;
