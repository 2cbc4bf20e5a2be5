import { preStopKind } from '../prestop.ts';
import { graceFor, podPatch, type Rule } from '../rule.ts';
import { POD_SPEC_PATH, type Container } from '../workload.ts';

/**
 * A grace period shorter than the preStop sleep plus the time the app needs after SIGTERM.
 *
 * Sources: Kubernetes docs, "Pod Lifecycle" → "Termination of Pods"
 * (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination): the grace period covers the
 * preStop hook and the time after TERM; when it runs out, the remaining processes are sent KILL. The app's shutdown
 * time is not in any Kubernetes field, so it comes from the user: the pod-template annotation
 * `drainlab/shutdown-seconds` or --shutdown-seconds. Without either the rule does not fire.
 */
export const graceTooShort: Rule = {
  id: 'grace-too-short',
  severity: 'error',
  title: 'The grace period is shorter than preStop plus the app’s shutdown',
  help:
    'Fires when the longest preStop sleep plus the app’s shutdown time (pod-template annotation ' +
    'drainlab/shutdown-seconds, else --shutdown-seconds; without either it does not fire) is more than ' +
    'terminationGracePeriodSeconds (default 30). The kubelet SIGKILLs the app before it has finished its drain, ' +
    'resetting what it was still serving. Fix: a grace period of preStop + shutdown + a margin.',
  course: 'graceAccounting',
  kinds: ['Deployment', 'StatefulSet', 'DaemonSet'],
  check(workload, { serving, shutdownSeconds }) {
    if (shutdownSeconds === undefined) return [];
    const grace = workload.graceSeconds;
    const app = serving.kind === 'no' ? workload.containers : serving.containers;
    // Hooks of different containers run in parallel; the longest one decides when SIGTERM comes last. Hooks of
    // unknown length (httpGet, other programs) count as 0: the finding is then a lower bound.
    let longest: { container: Container; seconds: number } | undefined;
    for (const c of app) {
      const hook = c.preStop === undefined ? undefined : preStopKind(c.preStop);
      const seconds = (hook?.form === 'native' || hook?.form === 'exec-sleep' ? hook.seconds : undefined) ?? 0;
      if (longest === undefined || seconds > longest.seconds) longest = { container: c, seconds };
    }
    if (longest === undefined || longest.seconds >= grace) return []; // prestop-at-or-over-grace says it
    const total = longest.seconds + shutdownSeconds.seconds;
    if (total <= grace) return [];
    const needed = graceFor(longest.seconds, shutdownSeconds.seconds);
    const c = longest.container;
    return [
      {
        container: c,
        path: [...POD_SPEC_PATH, 'terminationGracePeriodSeconds'],
        message:
          (longest.seconds > 0
            ? `preStop ${longest.seconds} s (container ${c.name}) + the app’s ${shutdownSeconds.seconds} s shutdown ` +
              `(${shutdownSeconds.from}) = ${total} s, over`
            : `the app’s ${shutdownSeconds.seconds} s shutdown (${shutdownSeconds.from}) is over`) +
          ` terminationGracePeriodSeconds ${grace}${workload.graceSet ? '' : ' (the default)'}: the app is ` +
          `SIGKILLed ${total - grace} s before its drain ends`,
        why:
          'The grace period covers the preStop hook and the app’s shutdown after SIGTERM together; when it runs out ' +
          'the kubelet sends SIGKILL, and the requests still in flight are reset.',
        fix: {
          description: `raise terminationGracePeriodSeconds to ${needed} s (${total} s + a 5 s margin)`,
          patch: podPatch({ terminationGracePeriodSeconds: needed }),
        },
      },
    ];
  },
};
