/** What a scenario may see of a pod. */
export interface PodInfo {
  name: string;
  /** Pod template hash (ReplicaSet revision). */
  revision: string;
  ready: boolean;
  /** Has a deletion timestamp. */
  terminating: boolean;
}

/** `spec.strategy.rollingUpdate` fields: a number of pods or a percentage of replicas (`"25%"`). */
export interface RollingUpdateFields {
  maxSurge?: number | string;
  maxUnavailable?: number | string;
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
  /**
   * Delete one pod (never forced): with its own grace period, or with `gracePeriodSeconds` as
   * `kubectl delete pod --grace-period` does (0 removes the pod object at once).
   */
  deletePod(name: string, gracePeriodSeconds?: number): Promise<void>;
  /**
   * Make the Deployment's strategy RollingUpdate with these fields (merge: a field not given keeps its value). Starts
   * no rollout by itself: only a template change does.
   */
  setRollingUpdate(rollingUpdate: RollingUpdateFields): Promise<void>;
  /** Set the Deployment's replicas. */
  scale(replicas: number): Promise<void>;
  /** Pods of the Deployment under test, oldest first. */
  listPods(): Promise<PodInfo[]>;
}
