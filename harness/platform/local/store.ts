import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import type { ApiKind, ObjectMeta, ObjectOfKind } from './objects.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change, as a Kubernetes watch delivers it; `object` is a snapshot that later writes do not change. */
export interface WatchEvent<K extends ApiKind> {
  type: WatchEventType;
  object: ObjectOfKind<K>;
}

type Handler<K extends ApiKind> = (event: WatchEvent<K>) => void;

/** What a caller supplies to create an object; the store fills in uid, resourceVersion and creation time. */
export type NewObject<K extends ApiKind> = Omit<ObjectOfKind<K>, 'metadata'> & {
  metadata: Omit<ObjectMeta, 'uid' | 'resourceVersion' | 'creationMs'> & Partial<ObjectMeta>;
};

/**
 * The emulator's API server: objects by kind and name, with watches. Watch events are delivered in write order,
 * asynchronously (a microtask after the write), as snapshots, so a component never sees a half-applied change and
 * never re-enters the writer.
 */
export class Store {
  private readonly objects = new Map<ApiKind, Map<string, ObjectOfKind<ApiKind>>>();
  private readonly handlers = new Map<ApiKind, Set<Handler<ApiKind>>>();
  private readonly queue: { kind: ApiKind; event: WatchEvent<ApiKind> }[] = [];
  private flushing = false;
  private version = 0;

  constructor(private readonly clock: Clock) {}

  /** Creates an object; throws when the name is taken. */
  create<K extends ApiKind>(kind: K, object: NewObject<K>): ObjectOfKind<K> {
    const byName = this.bucket(kind);
    if (byName.has(object.metadata.name)) {
      throw new Error(`${kind} ${object.metadata.name} already exists`);
    }
    const stored = structuredClone(object) as ObjectOfKind<K>;
    stored.metadata.uid ??= randomUUID();
    stored.metadata.creationMs ??= this.clock.now();
    stored.metadata.resourceVersion = ++this.version;
    byName.set(stored.metadata.name, stored);
    this.emit(kind, 'ADDED', stored);
    return structuredClone(stored);
  }

  /** Replaces an object by name; returns the stored copy, or undefined when it no longer exists. */
  update<K extends ApiKind>(kind: K, object: ObjectOfKind<K>): ObjectOfKind<K> | undefined {
    const byName = this.bucket(kind);
    if (!byName.has(object.metadata.name)) return undefined;
    const stored = structuredClone(object);
    stored.metadata.resourceVersion = ++this.version;
    byName.set(stored.metadata.name, stored);
    this.emit(kind, 'MODIFIED', stored);
    return structuredClone(stored);
  }

  /** Reads, changes and writes back one object; returns undefined when it does not exist. */
  mutate<K extends ApiKind>(
    kind: K,
    name: string,
    change: (object: ObjectOfKind<K>) => void,
  ): ObjectOfKind<K> | undefined {
    const current = this.get(kind, name);
    if (!current) return undefined;
    change(current);
    return this.update(kind, current);
  }

  /** Removes an object for good (what the API server does once finalization is over). */
  remove<K extends ApiKind>(kind: K, name: string): boolean {
    const byName = this.bucket(kind);
    const existing = byName.get(name);
    if (!existing) return false;
    byName.delete(name);
    this.version++;
    this.emit(kind, 'DELETED', existing as ObjectOfKind<K>);
    return true;
  }

  /** A copy of one object, or undefined. */
  get<K extends ApiKind>(kind: K, name: string): ObjectOfKind<K> | undefined {
    const found = this.bucket(kind).get(name);
    return found ? (structuredClone(found) as ObjectOfKind<K>) : undefined;
  }

  /** Copies of all objects of a kind whose labels include `selector`, oldest first. */
  list<K extends ApiKind>(kind: K, selector: Record<string, string> = {}): ObjectOfKind<K>[] {
    const all = [...this.bucket(kind).values()] as ObjectOfKind<K>[];
    return all
      .filter((o) => Object.entries(selector).every(([k, v]) => o.metadata.labels[k] === v))
      .sort((a, b) => a.metadata.creationMs - b.metadata.creationMs || a.metadata.name.localeCompare(b.metadata.name))
      .map((o) => structuredClone(o));
  }

  /** Calls `handler` for every later change of `kind`; returns the function that stops the watch. */
  watch<K extends ApiKind>(kind: K, handler: Handler<K>): () => void {
    let set = this.handlers.get(kind);
    if (!set) {
      set = new Set();
      this.handlers.set(kind, set);
    }
    const h = handler as unknown as Handler<ApiKind>;
    set.add(h);
    return () => set.delete(h);
  }

  private bucket(kind: ApiKind): Map<string, ObjectOfKind<ApiKind>> {
    let byName = this.objects.get(kind);
    if (!byName) {
      byName = new Map();
      this.objects.set(kind, byName);
    }
    return byName;
  }

  private emit(kind: ApiKind, type: WatchEventType, object: ObjectOfKind<ApiKind>): void {
    this.queue.push({ kind, event: { type, object: structuredClone(object) } });
    if (this.flushing) return;
    this.flushing = true;
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    try {
      while (this.queue.length > 0) {
        const { kind, event } = this.queue.shift()!;
        for (const handler of [...(this.handlers.get(kind) ?? [])]) {
          try {
            handler(event);
          } catch (error) {
            // A failing watcher must not stop the others; surface it loudly.
            queueMicrotask(() => {
              throw error;
            });
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
