import type { V1Deployment, V1EnvVar, V1Lifecycle, V1Service } from '@kubernetes/client-node';
import { WORKLOAD_IMAGE } from '../../workloads/image.ts';
import type { ShutdownMode } from './variant.ts';

/** A preStop hook: the native sleep action, or `exec: [sleep, N]` (needed when N exceeds the grace period). */
export type PreStopKnob = { sleepSeconds: number } | { execSleepSeconds: number };

/** The few things a variant changes; everything else is common to all variants. */
export interface WorkloadKnobs {
  /** Variant name; becomes the `drainlab/variant` label. */
  name: string;
  /** What the workload does on SIGTERM. */
  shutdownMode: ShutdownMode;
  /** Optional preStop hook. */
  preStop?: PreStopKnob;
  /** Pod grace period; Kubernetes' default (30) when absent. */
  terminationGracePeriodSeconds?: number;
  /** Cleanup time after the drain, before exit 0 (ms); none when absent. */
  cleanupMs?: number;
  /**
   * How long the app needs after SIGTERM, declared on the pod template as `drainlab/shutdown-seconds` so that
   * `drainlab check` can hold the grace period against preStop plus this time; absent: not declared.
   */
  shutdownSeconds?: number;
}

/** The pod-template annotation that declares how long the app needs after SIGTERM (read by `drainlab check`). */
export const SHUTDOWN_SECONDS_ANNOTATION = 'drainlab/shutdown-seconds';

/** The labels that select the workload's pods. */
export function workloadLabels(variantName: string): Record<string, string> {
  return { 'app.kubernetes.io/name': 'web', 'drainlab/variant': variantName };
}

function preStopLifecycle(preStop: PreStopKnob): V1Lifecycle {
  if ('sleepSeconds' in preStop) return { preStop: { sleep: { seconds: preStop.sleepSeconds } } };
  return { preStop: { exec: { command: ['sleep', String(preStop.execSleepSeconds)] } } };
}

/** Builds the Deployment `web` and Service `web` that every variant shares, with the variant's knobs applied. */
export function workloadTemplate(knobs: WorkloadKnobs): { deployment: V1Deployment; service: V1Service } {
  // Each call builds fresh objects so no caller can mutate another variant's spec through shared references.
  const labels = () => workloadLabels(knobs.name);
  const env: V1EnvVar[] = [
    { name: 'SHUTDOWN_MODE', value: knobs.shutdownMode },
    { name: 'DRAIN_TIMEOUT_MS', value: '20000' },
    { name: 'DRAIN_IDLE_MS', value: '1000' },
    ...(knobs.cleanupMs === undefined ? [] : [{ name: 'SHUTDOWN_CLEANUP_MS', value: String(knobs.cleanupMs) }]),
    // Longer than any load balancer's idle timeout, so the client side closes idle keep-alive connections first.
    { name: 'KEEP_ALIVE_TIMEOUT_MS', value: '65000' },
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
  ];
  const deployment: V1Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: labels() },
    spec: {
      replicas: 3,
      selector: { matchLabels: labels() },
      // maxUnavailable 0: every old pod is replaced only after its successor is ready, so capacity never drops and
      // any lost request is due to termination, not to missing capacity.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      minReadySeconds: 0,
      revisionHistoryLimit: 2,
      template: {
        metadata: {
          labels: labels(),
          ...(knobs.shutdownSeconds === undefined
            ? {}
            : { annotations: { [SHUTDOWN_SECONDS_ANNOTATION]: String(knobs.shutdownSeconds) } }),
        },
        spec: {
          terminationGracePeriodSeconds: knobs.terminationGracePeriodSeconds ?? 30,
          containers: [
            {
              name: 'web',
              image: WORKLOAD_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
              env,
              // Probed every second with a single failure threshold so readiness follows the app's /readyz closely.
              readinessProbe: {
                httpGet: { path: '/readyz', port: 'http' },
                initialDelaySeconds: 0,
                periodSeconds: 1,
                timeoutSeconds: 1,
                successThreshold: 1,
                failureThreshold: 1,
              },
              ...(knobs.preStop ? { lifecycle: preStopLifecycle(knobs.preStop) } : {}),
            },
          ],
        },
      },
    },
  };
  const service: V1Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', labels: labels() },
    spec: {
      type: 'ClusterIP',
      selector: labels(),
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
  };
  return { deployment, service };
}
