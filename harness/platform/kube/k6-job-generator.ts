import { readFile } from 'node:fs/promises';
import { BatchV1Api, CoreV1Api, type KubeConfig, type V1Job } from '@kubernetes/client-node';
import { sleep } from '../../core/clock.ts';
import { HarnessError } from '../../core/errors.ts';
import { K6_SCRIPT_PATH } from '../../load/k6/k6-local-generator.ts';
import { parseK6Points, parseK6Summary, pointsFromLog, summaryFromOutput } from '../../load/k6/k6-output.ts';
import type { LoadGenerator, LoadRunOptions } from '../../load/load-generator.ts';
import type { LoadSummary } from '../../model/sample.ts';
import type { Variant } from '../../variants/variant.ts';
import { K6_JOB_NAME, k6JobManifest, k6RunSeconds, k6ScriptConfigMap } from './k6-job.ts';

/** What the in-cluster generator needs besides the run options. */
export interface K6JobGeneratorOptions {
  /** Loaded kubeconfig of the cluster. */
  kc: KubeConfig;
  /** The cell's namespace (the Job runs next to the workload). */
  namespace: string;
  /** The cell id (a tag on every k6 metric). */
  cellId: string;
  /** The variant, whose slowest termination sets the fixed run time. */
  variant: Variant;
  /** The k6 image, already loaded into the cluster. */
  image: string;
  /** Base URL of the Service inside the cluster. */
  target: string;
  /** Aborted on Ctrl-C: stop waiting for the Job (the namespace's deletion removes it). */
  signal: AbortSignal;
  /** How often the Job's status is read (ms). */
  pollMs?: number;
}

/** `k6 <tag>` from an image reference such as grafana/k6:1.2.0 or grafana/k6:1.2.0@sha256:... */
export function k6EngineName(image: string): string {
  const withoutDigest = image.split('@')[0] ?? image;
  const colon = withoutDigest.lastIndexOf(':');
  return colon > withoutDigest.lastIndexOf('/') ? `k6 ${withoutDigest.slice(colon + 1)}` : 'k6';
}

const finished = (job: V1Job) => (job.status?.succeeded ?? 0) > 0 || (job.status?.failed ?? 0) > 0;

/**
 * True once the k6 pod runs. `status.active` also counts Pending pods (volumes mounting, container being created),
 * so it is used only where the API server predates `status.ready` (Kubernetes < 1.24).
 */
export const k6PodRunning = (job: V1Job) =>
  finished(job) || (job.status?.ready !== undefined ? job.status.ready > 0 : (job.status?.active ?? 0) > 0);

/**
 * Load from inside the cluster: k6 runs as a Job in the cell's namespace against the Service, for a FIXED time
 * (k6RunSeconds) computed up front, because a running Job cannot be told to stop early: aborting `stop` (and
 * `maxDurationMs`) has no effect on it; the run resolves when the Job has finished. The results come out through
 * the pod log (see k6-job.ts) and become samples, delivered once the Job is done.
 */
export class K6JobGenerator implements LoadGenerator {
  readonly name: string;

  constructor(private readonly options: K6JobGeneratorOptions) {
    this.name = k6EngineName(options.image);
  }

  async run(run: LoadRunOptions): Promise<LoadSummary> {
    const { kc, namespace, signal } = this.options;
    const empty: LoadSummary = { scheduled: 0, dropped: 0, started: 0, vus: 0, engine: this.name };
    const core = kc.makeApiClient(CoreV1Api);
    const batch = kc.makeApiClient(BatchV1Api);
    const durationSeconds = k6RunSeconds(run.profile, this.options.variant);
    const script = await readFile(K6_SCRIPT_PATH, 'utf8');
    await core.createNamespacedConfigMap({ namespace, body: k6ScriptConfigMap(namespace, script) });
    const manifest = k6JobManifest({
      namespace,
      cellId: this.options.cellId,
      image: this.options.image,
      target: this.options.target,
      profile: run.profile,
      durationSeconds,
    });
    await batch.createNamespacedJob({ namespace, body: manifest });
    const deadline = Date.now() + (durationSeconds + 180) * 1000;
    let job: V1Job | undefined;
    let started = false;
    try {
      for (;;) {
        job = await batch.readNamespacedJob({ name: K6_JOB_NAME, namespace });
        if (!started && k6PodRunning(job)) {
          // The k6 pod runs: the cell's warm-up starts now (image start-up is not part of it).
          started = true;
          run.onStarted?.();
        }
        if (finished(job)) break;
        if (Date.now() > deadline) {
          throw new HarnessError(
            'k6-job-timeout',
            `k6 Job ${namespace}/${K6_JOB_NAME} did not finish within ${durationSeconds + 180} s`,
            {
              hint: `Look at it with: kubectl -n ${namespace} describe job ${K6_JOB_NAME}`,
            },
          );
        }
        await sleep(this.options.pollMs ?? 1000, signal);
      }
    } catch (error) {
      if (signal.aborted) return empty;
      throw error;
    }
    const log = await this.jobLog(core);
    if ((job.status?.succeeded ?? 0) === 0) {
      throw new HarnessError(
        'k6-job-failed',
        `k6 Job ${namespace}/${K6_JOB_NAME} failed. Log tail:\n${log.slice(-2000)}`,
        {
          hint: `See kubectl -n ${namespace} logs job/${K6_JOB_NAME}`,
        },
      );
    }
    const summary = parseK6Summary(summaryFromOutput(log), this.name);
    for (const sample of parseK6Points(pointsFromLog(log), run.clock.originEpochMs)) run.onSample(sample);
    return summary;
  }

  private async jobLog(core: CoreV1Api): Promise<string> {
    const { namespace } = this.options;
    // The Job controller labels its pods with both; the bare `job-name` is deprecated (Kubernetes 1.27+ sets this one).
    const pods = await core.listNamespacedPod({
      namespace,
      labelSelector: `batch.kubernetes.io/job-name=${K6_JOB_NAME}`,
    });
    const pod = pods.items[0]?.metadata?.name;
    if (!pod) {
      throw new HarnessError(
        'k6-job-no-pod',
        `k6 Job ${namespace}/${K6_JOB_NAME} finished but has no pod to read the results from`,
        {
          hint: `kubectl -n ${namespace} describe job ${K6_JOB_NAME}`,
        },
      );
    }
    return core.readNamespacedPodLog({ name: pod, namespace, container: K6_JOB_NAME });
  }
}
