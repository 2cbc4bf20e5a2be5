import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

/** One request the fake API server received. */
export interface RecordedRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  /** Parsed JSON body, when there was one. */
  body: unknown;
}

/** A Kubernetes object as the fake stores it. */
export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; [key: string]: unknown };
  [key: string]: unknown;
};

interface Watcher {
  key: string;
  selector: string | undefined;
  res: ServerResponse;
}

type Hook = (resource: string, object: KubeObject, namespace: string | undefined) => void;

const PATH = /^\/(api\/v1|apis\/[^/]+\/[^/]+)(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/;

/** Matches `k=v,k2=v2,k3` (equality and existence only, what the harness uses). */
export function matchesSelector(labels: Record<string, string> | undefined, selector: string | undefined): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [key = '', value] = term.split('=');
    return value === undefined ? labels?.[key] !== undefined : labels?.[key] === value;
  });
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> =
    target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/**
 * A small stand-in for the Kubernetes API server on 127.0.0.1: create/get/list/patch/delete of any namespaced or
 * cluster resource by path, `?watch=true` streams of JSON lines (with resourceVersion replay), pod logs and
 * /version. It records every request. Controllers are hooks the test installs (onCreate, onPatch, onDelete).
 */
export class FakeKubeApi {
  readonly requests: RecordedRequest[] = [];
  readonly logs = new Map<string, string>();
  onCreate: Hook | undefined;
  onPatch: Hook | undefined;
  onDelete: Hook | undefined;
  /** Delay before a deleted namespace and its objects disappear (ms). */
  namespaceDeleteDelayMs = 30;
  private readonly store = new Map<string, Map<string, KubeObject>>();
  private readonly history: { key: string; type: string; object: KubeObject; rv: number }[] = [];
  private readonly watchers = new Set<Watcher>();
  private rv = 100;
  private server: Server | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.endWatches();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A KubeConfig pointing at this server. */
  kubeConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'fake', server: `http://127.0.0.1:${this.port}`, skipTLSVerify: true }],
      users: [{ name: 'fake' }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'fake' }],
      currentContext: 'fake',
    });
    return kc;
  }

  /** Ends every open watch stream, as the API server does after its watch timeout. */
  endWatches(): void {
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
  }

  /** Number of open watch streams. */
  get openWatches(): number {
    return this.watchers.size;
  }

  /** The collection key of a resource in a namespace (`api/v1`, `ns`, `pods`). */
  static key(group: string, namespace: string | undefined, resource: string): string {
    return `${group}|${namespace ?? ''}|${resource}`;
  }

  /** Objects of a collection. */
  list(group: string, namespace: string | undefined, resource: string): KubeObject[] {
    return [...(this.store.get(FakeKubeApi.key(group, namespace, resource))?.values() ?? [])];
  }

  /** One object, if it exists. */
  get(group: string, namespace: string | undefined, resource: string, name: string): KubeObject | undefined {
    return this.store.get(FakeKubeApi.key(group, namespace, resource))?.get(name);
  }

  /** Creates or replaces an object and tells the watchers (ADDED / MODIFIED). */
  put(group: string, namespace: string | undefined, resource: string, object: KubeObject): KubeObject {
    const key = FakeKubeApi.key(group, namespace, resource);
    const collection = this.store.get(key) ?? new Map<string, KubeObject>();
    this.store.set(key, collection);
    const type = collection.has(object.metadata.name) ? 'MODIFIED' : 'ADDED';
    const stored = structuredClone(object);
    stored.metadata.resourceVersion = String(++this.rv);
    if (namespace) stored.metadata.namespace = namespace;
    collection.set(stored.metadata.name, stored);
    this.publish(key, type, stored);
    return stored;
  }

  /** Changes an object in place (a controller updating status) and tells the watchers. */
  update(
    group: string,
    namespace: string | undefined,
    resource: string,
    name: string,
    change: (o: KubeObject) => void,
  ) {
    const object = this.get(group, namespace, resource, name);
    if (!object) throw new Error(`fake: no ${resource} ${name}`);
    const copy = structuredClone(object);
    change(copy);
    return this.put(group, namespace, resource, copy);
  }

  /** Removes an object and tells the watchers (DELETED). */
  remove(group: string, namespace: string | undefined, resource: string, name: string): void {
    const key = FakeKubeApi.key(group, namespace, resource);
    const object = this.store.get(key)?.get(name);
    if (!object) return;
    this.store.get(key)?.delete(name);
    const last = structuredClone(object);
    last.metadata.resourceVersion = String(++this.rv);
    this.publish(key, 'DELETED', last);
  }

  /** Runs `fn` after `ms`; cancelled on close. */
  later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private publish(key: string, type: string, object: KubeObject): void {
    const rv = Number(object.metadata.resourceVersion);
    this.history.push({ key, type, object, rv });
    for (const w of this.watchers) {
      const labels = object.metadata.labels as Record<string, string> | undefined;
      if (w.key === key && matchesSelector(labels, w.selector)) w.res.write(`${JSON.stringify({ type, object })}\n`);
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? (JSON.parse(text) as unknown) : undefined;
    const method = req.method ?? 'GET';
    this.requests.push({
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType: req.headers['content-type'],
      body,
    });
    const json = (code: number, value: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const status = (code: number, reason: string, message: string) =>
      json(code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason, message, code });
    if (url.pathname === '/version') {
      json(200, { major: '1', minor: '33', gitVersion: 'v1.33.1', platform: 'linux/amd64' });
      return;
    }
    const match = PATH.exec(url.pathname);
    if (!match) return status(404, 'NotFound', `fake: no route for ${url.pathname}`);
    const [, group = '', namespace, resource = '', name, sub] = match;
    const key = FakeKubeApi.key(group, namespace, resource);
    const selector = url.searchParams.get('labelSelector') ?? undefined;
    if (!name) {
      if (method === 'GET' && url.searchParams.get('watch') === 'true') {
        res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
        // The API server answers a watch at once; the client's Watch resolves (and can be aborted) only then.
        res.flushHeaders();
        const from = Number(url.searchParams.get('resourceVersion') || 0);
        for (const e of this.history) {
          const labels = e.object.metadata.labels as Record<string, string> | undefined;
          if (e.key === key && e.rv > from && matchesSelector(labels, selector)) {
            res.write(`${JSON.stringify({ type: e.type, object: e.object })}\n`);
          }
        }
        const watcher = { key, selector, res };
        this.watchers.add(watcher);
        res.on('close', () => this.watchers.delete(watcher));
        return;
      }
      if (method === 'GET') {
        const items = this.list(group, namespace, resource).filter((o) =>
          matchesSelector(o.metadata.labels as Record<string, string> | undefined, selector),
        );
        return json(200, { kind: 'List', apiVersion: 'v1', metadata: { resourceVersion: String(this.rv) }, items });
      }
      if (method === 'POST') {
        const object = body as KubeObject;
        if (this.get(group, namespace, resource, object.metadata.name)) {
          return status(409, 'AlreadyExists', `${resource} "${object.metadata.name}" already exists`);
        }
        object.metadata = {
          ...object.metadata,
          uid: randomUUID(),
          creationTimestamp: new Date().toISOString(),
          generation: 1,
        };
        if (resource === 'namespaces') object.status = { phase: 'Active' };
        const stored = this.put(group, namespace, resource, object);
        this.onCreate?.(resource, stored, namespace);
        return json(201, this.get(group, namespace, resource, stored.metadata.name));
      }
      return status(405, 'MethodNotAllowed', `${method} on a collection`);
    }
    const object = this.get(group, namespace, resource, name);
    if (!object) return status(404, 'NotFound', `${resource} "${name}" not found`);
    if (sub === 'log') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(this.logs.get(`${namespace}/${name}`) ?? '');
      return;
    }
    if (method === 'GET') return json(200, object);
    if (method === 'PATCH') {
      const patched = mergePatch(object, body) as KubeObject;
      if (JSON.stringify(patched.spec) !== JSON.stringify(object.spec)) {
        patched.metadata.generation = Number(object.metadata.generation ?? 1) + 1;
      }
      const stored = this.put(group, namespace, resource, patched);
      this.onPatch?.(resource, stored, namespace);
      return json(200, this.get(group, namespace, resource, name));
    }
    if (method === 'DELETE') {
      if (resource === 'pods') {
        const grace = (object.spec as { terminationGracePeriodSeconds?: number } | undefined)
          ?.terminationGracePeriodSeconds;
        const stored = this.update(group, namespace, resource, name, (o) => {
          o.metadata.deletionTimestamp = new Date().toISOString();
          o.metadata.deletionGracePeriodSeconds = grace ?? 30;
        });
        this.onDelete?.(resource, stored, namespace);
        return json(200, stored);
      }
      if (resource === 'namespaces') {
        const stored = this.update(group, namespace, resource, name, (o) => {
          o.metadata.deletionTimestamp = new Date().toISOString();
          o.status = { phase: 'Terminating' };
        });
        this.later(this.namespaceDeleteDelayMs, () => {
          for (const k of [...this.store.keys()]) if (k.split('|')[1] === name) this.store.delete(k);
          this.remove(group, undefined, 'namespaces', name);
        });
        return json(200, stored);
      }
      this.remove(group, namespace, resource, name);
      return json(200, { kind: 'Status', apiVersion: 'v1', status: 'Success', metadata: {} });
    }
    return status(405, 'MethodNotAllowed', method);
  }
}
