/** Image name the variants use for the workload; the local kubelet runs the bundle (ensureWorkloadBundle) for it. */
export const WORKLOAD_IMAGE = 'drainlab/workload:dev';
