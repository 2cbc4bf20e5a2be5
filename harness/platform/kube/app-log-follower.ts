import { Writable } from 'node:stream';
import { type KubeConfig, Log } from '@kubernetes/client-node';
import type { Clock } from '../../core/clock.ts';
import { APP_LOG_MESSAGES, type AppLogMessage, type EventSink } from '../../model/events.ts';

const APP_MESSAGES: ReadonlySet<string> = new Set(APP_LOG_MESSAGES);

/** Bytes of one pod's log that are parsed at most (the workload logs a handful of lines). */
const MAX_LOG_BYTES = 1024 * 1024;

/**
 * The one part of the kubelet's work that the API does not show — when SIGTERM actually arrived, when the drain
 * started and ended — comes from the workload's own JSON log lines on stderr. The logs are followed from the moment
 * each pod starts, because a deleted pod's log is gone by teardown. Each line is timed by its own `t` (epoch ms
 * from the pod's clock, which on kind is the host's) rather than by arrival, since the kubelet ships logs late.
 */
export class AppLogFollower {
  private readonly followed = new Map<string, AbortController | undefined>();
  private stopped = false;

  constructor(
    private readonly kc: KubeConfig,
    private readonly namespace: string,
    private readonly container: string,
    private readonly clock: Clock,
    private readonly events: EventSink,
  ) {}

  /** Starts following one pod's log (once per pod; a no-op after stop). */
  follow(pod: string): void {
    if (this.stopped || this.followed.has(pod)) return;
    this.followed.set(pod, undefined);
    let buffered = '';
    let bytes = 0;
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        bytes += chunk.length;
        if (bytes <= MAX_LOG_BYTES) {
          buffered += chunk.toString('utf8');
          const lines = buffered.split('\n');
          buffered = lines.pop() ?? '';
          for (const line of lines) this.onLine(pod, line);
        }
        done();
      },
    });
    new Log(this.kc)
      .log(this.namespace, pod, this.container, sink, { follow: true })
      .then((controller) => {
        if (this.stopped) controller.abort();
        else this.followed.set(pod, controller);
      })
      // A pod deleted before its log could be opened simply has no app-log events.
      .catch(() => undefined);
  }

  /** Stops following every log. */
  stop(): void {
    this.stopped = true;
    for (const controller of this.followed.values()) controller?.abort();
  }

  private onLine(pod: string, line: string): void {
    if (this.stopped || !line.startsWith('{')) return;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    const { t: appEpochMs, msg, pod: _pod, ...rest } = parsed;
    if (typeof msg !== 'string' || !APP_MESSAGES.has(msg)) return;
    const t = typeof appEpochMs === 'number' ? appEpochMs - this.clock.originEpochMs : this.clock.now();
    const detail = { ...rest, ...(typeof appEpochMs === 'number' ? { appEpochMs } : {}) };
    this.events({ kind: 'app-log', pod, msg: msg as AppLogMessage, detail, t, source: 'app' });
  }
}
