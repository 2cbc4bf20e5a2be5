import { imageWithoutSleep, preStopKind } from '../prestop.ts';
import { isShell } from '../shell-script.ts';
import { containerPatch, containerPath, FIX_PRESTOP_SECONDS, type Rule, type RuleHit } from '../rule.ts';

/**
 * An exec preStop hook that runs `sleep` (or a shell) in an image that has neither.
 *
 * Sources: Kubernetes docs, "Container Lifecycle Hooks" → "Hook handler implementations"
 * (https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/#hook-handler-implementations): Exec runs
 * a command inside the container, Sleep pauses without anything in the image; "PreStop": "regardless of the outcome
 * of the handler, the container will eventually terminate"; "Debugging Hook handlers": a failed PreStop hook is an
 * event FailedPreStopHook (also seen on this project's development cluster, harness/analysis/failed-hooks.ts). KEP-3960
 * (https://github.com/kubernetes/enhancements/issues/3960): the native sleep action, beta and on by default in 1.30,
 * GA in 1.34. Distroless images (https://github.com/GoogleContainerTools/distroless: "no shell") and Chainguard's
 * static image hold no sleep binary; the `:debug` distroless tags add busybox.
 */
export const execSleepWithoutSleepBinary: Rule = {
  id: 'exec-sleep-without-sleep-binary',
  severity: 'error',
  title: 'An exec preStop sleep in an image without sleep (distroless, static, scratch)',
  help:
    'Fires for a preStop hook `exec: [sleep, N]` or `exec: [sh, -c, ...]` in an image whose name says it has no ' +
    'shell and no sleep (gcr.io/distroless/* except :debug tags, cgr.dev/chainguard/static, scratch). The hook fails ' +
    'at once (a FailedPreStopHook event), so SIGTERM follows with no delay, as if there were no hook. Fix: the native ' +
    '`sleep` action (lifecycle.preStop.sleep.seconds, Kubernetes 1.30+), which needs nothing in the image.',
  course: 'nativeSleep',
  kinds: ['Deployment', 'StatefulSet', 'DaemonSet'],
  check(workload) {
    const hits: RuleHit[] = [];
    for (const c of workload.containers) {
      if (c.preStop === undefined) continue;
      const reason = imageWithoutSleep(c.image);
      const hook = preStopKind(c.preStop);
      if (reason === undefined || hook.form === 'native') continue;
      if (hook.form === 'other' && !isShell(hook.program)) continue;
      const seconds = hook.form === 'exec-sleep' ? (hook.seconds ?? FIX_PRESTOP_SECONDS) : FIX_PRESTOP_SECONDS;
      hits.push({
        container: c,
        path: [...containerPath(c), 'lifecycle', 'preStop'],
        message:
          `container ${c.name}: preStop runs exec ${hook.program} in ${c.image}, ${reason}: the hook fails at once ` +
          'and SIGTERM follows with no delay, as if there were no hook',
        why:
          'An exec hook runs a program inside the container; when the image has no such program the kubelet records ' +
          'a FailedPreStopHook event and stops the container anyway, so the endpoint removal has no time to propagate.',
        fix: {
          description: `replace the exec hook with the native sleep action for ${seconds} s (Kubernetes 1.30+)`,
          patch: containerPatch(c, { lifecycle: { preStop: { exec: null, sleep: { seconds } } } }),
        },
      });
    }
    return hits;
  },
};
