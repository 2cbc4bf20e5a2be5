import { type KubeConfig, type KubernetesObject, Watch } from '@kubernetes/client-node';

/** What a watch reports: the object after the change (for DELETED, its last state). */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One collection to watch. */
export interface ResourceWatchOptions<T extends KubernetesObject> {
  /** Loaded kubeconfig of the cluster. */
  kc: KubeConfig;
  /** Collection path, e.g. /api/v1/namespaces/<ns>/pods. */
  path: string;
  /** Label selector for both the list and the watch. */
  labelSelector?: string;
  /** Lists the collection (the same selector); used to start and to resync after 410 Gone. */
  list: () => Promise<{ items: T[]; metadata?: { resourceVersion?: string } }>;
  /** Called for every change, in order. */
  onEvent: (type: WatchEventType, object: T) => void;
  /** Called when the watch gives up after too many consecutive failures. */
  onGiveUp?: (error: unknown) => void;
  /** Pause before reconnecting (ms). */
  reconnectDelayMs?: number;
}

/** Consecutive failed (re)connects after which the watch gives up. */
const MAX_CONSECUTIVE_FAILURES = 30;

/**
 * A list-then-watch that survives the end of its stream: the API server ends every watch after a while (and proxies
 * may cut it sooner), so when a stream ends it reconnects from the last resourceVersion it saw (bookmarks included),
 * and on 410 Gone it lists again and reports the difference. Client-side timeouts play no part.
 */
export class ResourceWatch<T extends KubernetesObject> {
  private readonly known = new Map<string, string>();
  private resourceVersion = '';
  private controller: AbortController | undefined;
  private stopped = false;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Number of watch requests made (for tests and diagnostics). */
  connects = 0;

  constructor(private readonly options: ResourceWatchOptions<T>) {}

  /** Lists (reporting existing objects as ADDED) and starts watching; resolves once the first list is done. */
  async start(): Promise<void> {
    await this.resync();
    this.connect();
  }

  /** Stops watching; no event is reported after it returns. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.controller?.abort();
  }

  private async resync(): Promise<void> {
    const list = await this.options.list();
    const seen = new Set<string>();
    for (const item of list.items) {
      const name = item.metadata?.name ?? '';
      seen.add(name);
      const rv = item.metadata?.resourceVersion ?? '';
      const before = this.known.get(name);
      this.known.set(name, rv);
      if (before === undefined) this.options.onEvent('ADDED', item);
      else if (before !== rv) this.options.onEvent('MODIFIED', item);
    }
    for (const name of [...this.known.keys()]) {
      if (seen.has(name)) continue;
      this.known.delete(name);
      this.options.onEvent('DELETED', { metadata: { name } } as T);
    }
    this.resourceVersion = list.metadata?.resourceVersion ?? '';
  }

  private connect(): void {
    if (this.stopped) return;
    this.connects++;
    let gone = false;
    let delivered = false;
    const watch = new Watch(this.options.kc);
    const query = {
      resourceVersion: this.resourceVersion,
      allowWatchBookmarks: true,
      ...(this.options.labelSelector ? { labelSelector: this.options.labelSelector } : {}),
    };
    const onEvent = (type: string, object: T & { code?: number }) => {
      if (this.stopped) return;
      delivered = true;
      if (type === 'ERROR') {
        if (object.code === 410) gone = true;
        return;
      }
      const rv = object.metadata?.resourceVersion;
      if (rv) this.resourceVersion = rv;
      if (type === 'BOOKMARK') return;
      const name = object.metadata?.name ?? '';
      if (type === 'DELETED') this.known.delete(name);
      else this.known.set(name, rv ?? '');
      if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') this.options.onEvent(type, object);
    };
    const onDone = (error: unknown) => {
      if (this.stopped) return;
      if ((error as { statusCode?: number } | null)?.statusCode === 410) gone = true;
      this.failures = error === null || error === undefined || delivered ? 0 : this.failures + 1;
      if (this.failures >= MAX_CONSECUTIVE_FAILURES) {
        this.options.onGiveUp?.(error);
        return;
      }
      this.timer = setTimeout(() => void this.reconnect(gone), this.options.reconnectDelayMs ?? 200);
    };
    watch.watch(this.options.path, query, onEvent, onDone).then((controller) => {
      this.controller = controller;
      if (this.stopped) controller.abort();
    }, onDone);
  }

  private async reconnect(gone: boolean): Promise<void> {
    if (this.stopped) return;
    if (gone) {
      try {
        await this.resync();
      } catch (error) {
        this.failures++;
        if (this.failures >= MAX_CONSECUTIVE_FAILURES) {
          this.options.onGiveUp?.(error);
          return;
        }
        this.timer = setTimeout(() => void this.reconnect(true), this.options.reconnectDelayMs ?? 200);
        return;
      }
    }
    this.connect();
  }
}
