import type { V1DeploymentSpec, V1PodSpec, V1PodTemplateSpec } from '@kubernetes/client-node';

/** Metadata common to every emulated API object. */
export interface ObjectMeta {
  name: string;
  uid: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Cell-clock ms when created. */
  creationMs: number;
  /** Cell-clock ms when deletion was requested (the object is Terminating). */
  deletionMs?: number;
  /** Grace period chosen at deletion. */
  deletionGracePeriodSeconds?: number;
  /** Name of the owning object (ReplicaSet for pods, Deployment for ReplicaSets). */
  ownerName?: string;
  /** Increases on every write, like the API server's resourceVersion. */
  resourceVersion: number;
}

export interface PodStatus {
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  /** Readiness as the kubelet last reported it. */
  ready: boolean;
  /** Cell-clock ms of the last readiness transition (for minReadySeconds). */
  readySinceMs?: number;
  /** Where the pod listens (pod IP and container port), once its process listens. */
  address?: { host: string; port: number };
  /** Container state. */
  container: 'waiting' | 'running' | 'terminated';
  exitCode?: number;
}

export interface PodObject {
  kind: 'Pod';
  metadata: ObjectMeta;
  spec: V1PodSpec;
  status: PodStatus;
}

export interface ReplicaSetObject {
  kind: 'ReplicaSet';
  metadata: ObjectMeta;
  spec: { replicas: number; minReadySeconds: number; template: V1PodTemplateSpec };
  status: { replicas: number; readyReplicas: number; availableReplicas: number };
}

export interface DeploymentObject {
  kind: 'Deployment';
  metadata: ObjectMeta;
  /** Increases on every spec change. */
  generation: number;
  spec: V1DeploymentSpec;
  status: {
    observedGeneration: number;
    replicas: number;
    updatedReplicas: number;
    readyReplicas: number;
    availableReplicas: number;
  };
}

/** One endpoint in the emulated EndpointSlice (discovery.k8s.io/v1 conditions). */
export interface EndpointEntry {
  pod: string;
  host: string;
  port: number;
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
}

export interface EndpointSliceObject {
  kind: 'EndpointSlice';
  metadata: ObjectMeta;
  /** Name of the Service the slice belongs to. */
  service: string;
  endpoints: EndpointEntry[];
}

export type ApiObject = PodObject | ReplicaSetObject | DeploymentObject | EndpointSliceObject;
export type ApiKind = ApiObject['kind'];
export type ObjectOfKind<K extends ApiKind> = Extract<ApiObject, { kind: K }>;
