/**
 * Names and pinned versions of the kind path, in one place so the README, the nightly workflow and the code agree.
 * The cluster name is fixed: the harness only ever creates, reuses or deletes the cluster of this name.
 */
export const KIND_CLUSTER_NAME = 'drainlab';

/** kind release the node image in manifests/kind/cluster.yaml was built for (the nightly job installs this one). */
export const KIND_VERSION = 'v0.33.0';

/** The k6 image of the load Job; pinned by tag (k6 >= 0.57 runs TypeScript scripts directly). */
export const K6_IMAGE = 'grafana/k6:2.2.0';

/** How long `kind create cluster` may wait for the control plane (`--wait`). */
export const KIND_WAIT = '120s';

/** Repository name of the workload image; each run builds a unique tag so clusters never run a stale image. */
export const WORKLOAD_IMAGE_REPOSITORY = 'drainlab/workload';

/** `drainlab/workload:<runId>`. */
export function workloadImageTag(runId: string): string {
  return `${WORKLOAD_IMAGE_REPOSITORY}:${runId.toLowerCase().replace(/[^a-z0-9_.-]/g, '-')}`;
}

/** With `--context` nothing is loaded into a cluster: the workload image must be pullable, named by this variable. */
export const WORKLOAD_IMAGE_ENV = 'DRAINLAB_WORKLOAD_IMAGE';
