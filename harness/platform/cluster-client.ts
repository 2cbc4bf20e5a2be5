/** What a scenario may see of a pod. */
export interface PodInfo {
  name: string;
  /** Pod template hash (ReplicaSet revision). */
  revision: string;
  ready: boolean;
  /** Has a deletion timestamp. */
  terminating: boolean;
}

/**
 * The few cluster operations scenarios need, written once and implemented by every platform
 * (the emulator's API store for `local`, @kubernetes/client-node for `kind`).
 */
export interface ClusterClient {
  /** Name of the Deployment under test. */
  readonly deploymentName: string;
  /** Merge-patch annotations into the pod template (triggers a rollout, like `kubectl rollout restart`). */
  patchTemplateAnnotations(annotations: Record<string, string>): Promise<void>;
  /** Delete one pod with its own grace period (no force). */
  deletePod(name: string): Promise<void>;
  /** Set the Deployment's replicas. */
  scale(replicas: number): Promise<void>;
  /** Pods of the Deployment under test, oldest first. */
  listPods(): Promise<PodInfo[]>;
}
