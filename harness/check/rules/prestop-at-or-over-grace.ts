import { preStopKind } from '../prestop.ts';
import { containerPath, FIX_ASSUMED_SHUTDOWN_SECONDS, graceFor, podPatch, type Rule, type RuleHit } from '../rule.ts';

/**
 * A preStop sleep as long as the grace period, or longer.
 *
 * Sources: Kubernetes docs, "Pod Lifecycle" → "Termination of Pods"
 * (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination): the preStop hook's time counts
 * against terminationGracePeriodSeconds (default 30); "If the preStop hook is still running after the grace period
 * expires, the kubelet requests a small, one-off grace period extension of 2 seconds"; then the runtime sends TERM and,
 * when that time is up too, KILL. "Container Lifecycle Hooks" → "Hook handler execution": the hook must complete
 * before the TERM signal can be sent. KEP-3960 (https://github.com/kubernetes/enhancements/issues/3960): the API
 * rejects a native sleep longer than the grace period, so longer sleeps come from exec.
 */
export const preStopAtOrOverGrace: Rule = {
  id: 'prestop-at-or-over-grace',
  severity: 'error',
  title: 'The preStop sleep uses up the whole grace period',
  help:
    'Fires when a preStop sleep (native sleep.seconds, exec [sleep, N], or a shell script starting with sleep N) ' +
    'is at least terminationGracePeriodSeconds (default 30). preStop time counts against the grace period: the app ' +
    'gets SIGTERM only in the kubelet’s one-off 2 s extension and is SIGKILLed right after, so its drain never runs. ' +
    'Fix: a grace period of the preStop time plus the app’s shutdown time plus a margin, or a shorter sleep.',
  course: 'graceAccounting',
  kinds: ['Deployment', 'StatefulSet', 'DaemonSet'],
  check(workload, { shutdownSeconds }) {
    const hits: RuleHit[] = [];
    const grace = workload.graceSeconds;
    for (const c of workload.containers) {
      const hook = c.preStop === undefined ? undefined : preStopKind(c.preStop);
      const seconds = hook?.form === 'native' || hook?.form === 'exec-sleep' ? hook.seconds : undefined;
      if (seconds === undefined || seconds < grace) continue;
      const shutdown = shutdownSeconds?.seconds ?? FIX_ASSUMED_SHUTDOWN_SECONDS;
      const needed = graceFor(seconds, shutdown);
      const rejected = hook?.form === 'native' && seconds > grace ? ' (the API rejects a native sleep this long)' : '';
      hits.push({
        container: c,
        path: [...containerPath(c), 'lifecycle', 'preStop'],
        message:
          `container ${c.name}: preStop sleeps ${seconds} s, at or over terminationGracePeriodSeconds ${grace}` +
          `${workload.graceSet ? '' : ' (the default)'}${rejected}: the app gets SIGTERM only in the kubelet’s 2 s ` +
          'extension and is SIGKILLed right after, so it never drains',
        why:
          'preStop time counts against the grace period; when the hook is still running at its end, the kubelet ' +
          'grants one 2-second extension, sends SIGTERM and then SIGKILL.',
        fix: {
          description:
            `raise terminationGracePeriodSeconds to ${needed} s: preStop ${seconds} s + ${shutdown} s for the app’s ` +
            'shutdown + a 5 s margin' +
            (shutdownSeconds === undefined
              ? ` (the ${shutdown} s is assumed: give the real time with --shutdown-seconds or the annotation ` +
                'drainlab/shutdown-seconds)'
              : ` (from ${shutdownSeconds.from})`) +
            '; or shorten the sleep: 5 s covers the endpoint propagation on most clusters',
          patch: podPatch({ terminationGracePeriodSeconds: needed }),
        },
      });
    }
    return hits;
  },
};
