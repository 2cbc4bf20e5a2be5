import type { V1ConfigMap, V1Job } from '@kubernetes/client-node';
import { k6Env } from '../../load/k6/k6-env.ts';
import { K6_REQUEST_METRIC, POINTS_MARKERS } from '../../load/k6/k6-output.ts';
import type { LoadProfile } from '../../model/load-profile.ts';
import { terminationSeconds } from '../../runner/cell-plan.ts';
import type { Variant } from '../../variants/variant.ts';

/** Name of the Job (and of its pod's container) that runs k6 in a cell's namespace. */
export const K6_JOB_NAME = 'k6-load';
/** ConfigMap that carries k6/drain-load.ts into the Job. */
export const K6_SCRIPT_CONFIGMAP = 'k6-script';
const SCRIPT_DIR = '/scripts';
const SCRIPT_FILE = 'drain-load.ts';
const POINTS_FILE = '/tmp/points.ndjson';

/** Seconds the k6 pod may need to start after the Job is created (image already loaded into kind). */
export const K6_START_SLACK_SECONDS = 5;
/** Seconds a 3-replica rolling update needs beyond the slowest termination (new pods start and get ready). */
export const ROLLOUT_SLACK_SECONDS = 20;

/**
 * How long the in-cluster k6 runs, fixed up front because a Job cannot be told to stop early: warm-up, then the
 * longer of the profile's duration and the variant's slowest termination plus rollout slack, then cool-down, plus
 * the k6 pod's start-up time (which otherwise eats into the warm-up).
 */
export function k6RunSeconds(profile: LoadProfile, variant: Variant): number {
  const disruption = Math.max(profile.durationSeconds, terminationSeconds(variant) + ROLLOUT_SLACK_SECONDS);
  return Math.ceil(profile.warmupSeconds + disruption + profile.cooldownSeconds + K6_START_SLACK_SECONDS);
}

/** What the k6 Job needs. */
export interface K6JobOptions {
  /** The cell's namespace. */
  namespace: string;
  /** The cell id, recorded as a tag on every k6 metric. */
  cellId: string;
  /** The k6 image, e.g. grafana/k6:<pinned> (loaded into kind beforehand, so it is never pulled). */
  image: string;
  /** Base URL of the Service, e.g. http://web.<ns>.svc.cluster.local. */
  target: string;
  /** The load profile. */
  profile: LoadProfile;
  /** Fixed run time in seconds (k6RunSeconds). */
  durationSeconds: number;
}

/**
 * The shell the k6 container runs: k6, then only the per-request points (one compact line per request, the built-in
 * metrics dropped) gzipped and base64-encoded between markers on stdout, so they come out through the pod log
 * without streaming k6's full NDJSON (about 13 points per request) against the kubelet's log size limit.
 */
function k6Shell(): string {
  return [
    `k6 run --quiet --no-color --out json=${POINTS_FILE} ${SCRIPT_DIR}/${SCRIPT_FILE}`,
    'code=$?',
    `echo '${POINTS_MARKERS.begin}'`,
    `grep '"metric":"${K6_REQUEST_METRIC}"' ${POINTS_FILE} | grep '"type":"Point"' | gzip -c | base64`,
    `echo '${POINTS_MARKERS.end}'`,
    // 99 = thresholds crossed; the script sets none, but the data is complete either way.
    'if [ "$code" = 99 ]; then exit 0; fi',
    'exit $code',
  ].join('\n');
}

/** The ConfigMap that holds the k6 script text. */
export function k6ScriptConfigMap(namespace: string, script: string): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: K6_SCRIPT_CONFIGMAP, namespace, labels: { 'app.kubernetes.io/name': 'k6' } },
    data: { [SCRIPT_FILE]: script },
  };
}

/** The Job that runs k6 once, in the cell's namespace, against the Service (never port-forward). */
export function k6JobManifest(opts: K6JobOptions): V1Job {
  const labels = { 'app.kubernetes.io/name': 'k6', 'app.kubernetes.io/managed-by': 'drainlab' };
  const env = k6Env({
    target: opts.target,
    profile: opts.profile,
    cellId: opts.cellId,
    durationSeconds: opts.durationSeconds,
  });
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: K6_JOB_NAME, namespace: opts.namespace, labels },
    spec: {
      backoffLimit: 0,
      // Bounded even if k6 hangs: its run time plus time to start, wind down and print.
      activeDeadlineSeconds: opts.durationSeconds + 120,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: K6_JOB_NAME,
              image: opts.image,
              imagePullPolicy: 'IfNotPresent',
              command: ['sh', '-c', k6Shell()],
              env: Object.entries(env).map(([name, value]) => ({ name, value })),
              resources: { requests: { cpu: '250m', memory: '128Mi' } },
              volumeMounts: [
                { name: 'script', mountPath: SCRIPT_DIR, readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            },
          ],
          volumes: [
            { name: 'script', configMap: { name: K6_SCRIPT_CONFIGMAP } },
            { name: 'tmp', emptyDir: {} },
          ],
        },
      },
    },
  };
}

/** The k6 command line a real run uses, with its environment, for --dry-run output. */
export function describeK6Invocation(opts: K6JobOptions): string {
  const env = k6Env({
    target: opts.target,
    profile: opts.profile,
    cellId: opts.cellId,
    durationSeconds: opts.durationSeconds,
  });
  const assignments = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return [
    `# Job ${K6_JOB_NAME} in namespace ${opts.namespace}, image ${opts.image}, script from ConfigMap ${K6_SCRIPT_CONFIGMAP}`,
    `${assignments.join(' \\\n  ')} \\\n  k6 run --quiet --no-color --out json=${POINTS_FILE} ${SCRIPT_DIR}/${SCRIPT_FILE}`,
  ].join('\n');
}
