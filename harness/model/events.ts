/**
 * The typed lifecycle events every component emits (design §5). Times are milliseconds on the cell's monotonic
 * clock (0 = the moment the cell started). The same model is produced by the emulator (local) and by the
 * Kubernetes watches (kind), so analysis and report never need to know which platform ran.
 */

/** Who observed or caused the event. */
export type EventSource =
  | 'api'
  | 'deployment-controller'
  | 'replicaset-controller'
  | 'kubelet'
  | 'endpointslice-controller'
  | 'kube-proxy'
  | 'app'
  | 'scenario'
  | 'harness';

/** How a preStop hook ended. `abandoned`: the grace period ran out while it was still running. */
export type PreStopOutcome = 'completed' | 'failed' | 'abandoned';

/** Lifecycle messages the workload logs about itself (JSON lines on stderr, field `msg`). */
export const APP_LOG_MESSAGES = [
  'listening',
  'sigterm',
  'drain-start',
  'drain-done',
  'drain-timeout',
  'exit',
  'prestop-http',
] as const;
export type AppLogMessage = (typeof APP_LOG_MESSAGES)[number];

export type EventBody =
  /** The Pod object was created by the ReplicaSet controller. */
  | { kind: 'pod-created'; pod: string; revision: string }
  /** The container process was started (local: the OS process; kind: container started). */
  | { kind: 'pod-started'; pod: string; pid?: number }
  /** The readiness probe passed: the pod counts as Ready. */
  | { kind: 'pod-ready'; pod: string }
  /** The readiness probe failed after being ready. */
  | { kind: 'pod-not-ready'; pod: string }
  /** The Pod got a deletionTimestamp (Terminating). */
  | { kind: 'pod-terminating'; pod: string; gracePeriodSeconds: number }
  /** The kubelet started the preStop hook. */
  | { kind: 'prestop-start'; pod: string; handler: 'exec' | 'httpGet' | 'sleep' }
  /** The preStop hook ended; `reason` says why one failed (a real kubelet's FailedPreStopHook message). */
  | { kind: 'prestop-end'; pod: string; outcome: PreStopOutcome; reason?: string }
  /** The kubelet sent SIGTERM to the container's main process. */
  | { kind: 'sigterm-sent'; pod: string }
  /** The kubelet sent SIGKILL because the grace period ran out. */
  | { kind: 'sigkill-sent'; pod: string }
  /** The container's process ended; exitCode is 128+n when it died of signal n. */
  | { kind: 'pod-exited'; pod: string; exitCode: number; signal: string | null }
  /** The Pod object is gone from the API. */
  | { kind: 'pod-deleted'; pod: string }
  /** The pod's endpoint conditions changed in the EndpointSlice. */
  | { kind: 'endpoint-updated'; pod: string; ready: boolean; serving: boolean; terminating: boolean }
  /** The pod's endpoint was removed from the EndpointSlice. */
  | { kind: 'endpoint-removed'; pod: string }
  /** kube-proxy applied a new routing table: `endpoints` receive new connections from now on. */
  | { kind: 'routing-updated'; endpoints: string[]; added: string[]; removed: string[] }
  /** A lifecycle line the workload logged about itself. */
  | { kind: 'app-log'; pod: string; msg: AppLogMessage; detail?: Record<string, unknown> }
  /** The scenario started disrupting (the moment the disruption was requested). */
  | { kind: 'scenario-start'; scenario: string }
  /** One action the scenario took (patch, delete, scale). */
  | { kind: 'scenario-action'; action: string; target?: string }
  /** The Deployment controller reports the rollout complete (all replicas updated and available). */
  | { kind: 'rollout-complete' }
  /** Nothing is left terminating and the Deployment is complete: the disruption is over. */
  | { kind: 'settled' }
  /** Load generation started / stopped. */
  | { kind: 'load-start' }
  | { kind: 'load-stop' };

export type EventKind = EventBody['kind'];

/** One timestamped lifecycle event. */
export type LifecycleEvent = EventBody & {
  /** Milliseconds on the cell's monotonic clock. */
  t: number;
  /** Who observed or caused it. */
  source: EventSource;
};

/** Where components send their events. */
export type EventSink = (event: LifecycleEvent) => void;
