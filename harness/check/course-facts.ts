/**
 * The facts of the course page (design brief §3, "Domain facts the harness must model") that `check`'s reasons come
 * from, each shortened to one line. A finding shows one as `course §3: <title>: <fact>`; the rules cite the Kubernetes
 * documents behind each fact in their own comments (harness/check/rules.ts).
 */
export const COURSE_FACTS = {
  parallelNotification: {
    title: 'termination in parallel',
    text:
      'deleting a pod starts the kubelet shutdown and the endpoint removal at the same time; kube-proxy applies the ' +
      'removal later (sub-second to a few seconds), so new connections still arrive after SIGTERM',
  },
  graceAccounting: {
    title: 'grace-period accounting',
    text:
      'the kubelet runs preStop, then sends SIGTERM to PID 1, then SIGKILL when terminationGracePeriodSeconds ' +
      '(default 30) runs out; preStop time counts against the grace period, with one 2-second extension',
  },
  nativeSleep: {
    title: 'native sleep action',
    text:
      'lifecycle.preStop.sleep.seconds (KEP-3960: beta and on by default in 1.30, GA in 1.34) needs nothing in the ' +
      'image; exec sleep needs a sleep binary in it; the API rejects sleep seconds above the grace period',
  },
  pid1: {
    title: 'SIGTERM and PID 1',
    text:
      'a process that is PID 1 without a SIGTERM handler ignores SIGTERM and dies only at SIGKILL when the grace ' +
      'period ends; a shell that is PID 1 does not pass SIGTERM on to the app it started',
  },
  readiness: {
    title: 'endpoints follow readiness',
    text:
      'the EndpointSlice controller marks an endpoint ready (and serving) from the pod’s readiness; without a ' +
      'readiness probe a pod counts as ready as soon as its containers run',
  },
  rollingUpdate: {
    title: 'rolling update',
    text:
      'RollingUpdate defaults to maxSurge 25 % (rounded up) and maxUnavailable 25 % (rounded down); maxUnavailable ' +
      'bounds how far serving capacity drops, and the controller does not wait for terminating pods',
  },
} as const;

/** One of the course facts above. */
export type CourseFact = keyof typeof COURSE_FACTS;

/** The fact as a finding shows it: `course §3: title: text`. */
export function courseRef(fact: CourseFact): string {
  const { title, text } = COURSE_FACTS[fact];
  return `course §3: ${title}: ${text}`;
}
