import { basename, scriptEnd, shellEntrypoint, withExec } from '../shell-script.ts';
import { containerPatch, containerPath, type Rule, type RuleHit } from '../rule.ts';

/**
 * An entrypoint `sh -c "<script>"` whose last command is not `exec`: the shell stays PID 1.
 *
 * Sources: Kubernetes docs, "Pod Lifecycle" → "Termination of Pods"
 * (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination): the runtime sends TERM to
 * process 1 in each container. Linux pid_namespaces(7): the init of a PID namespace gets only the signals it has a
 * handler for, so a shell that is PID 1 ignores SIGTERM; it does not pass it on to its child either. Dockerfile
 * reference, ENTRYPOINT shell form: the executable "will not be PID 1 and will not receive Unix signals".
 * Measured here: dash 0.5.12 (Debian's sh) stays the parent even of `sh -c 'sleep 3'`, while bash 5.2 replaced itself
 * with the last command of `cd /tmp; sleep 3`; bash does that only in some cases and older versions less, so bash is
 * a warning and every other shell an error. An init in front of the app itself (tini, dumb-init) passes signals on.
 */
export const shellWithoutExec: Rule = {
  id: 'shell-without-exec',
  severity: 'error',
  title: 'A `sh -c` entrypoint that does not exec the app: SIGTERM never reaches it',
  help:
    'Fires for a container started as `sh -c "<script>"` (command and args together) whose last command does not ' +
    'start with exec and that has no trap for TERM. The shell is then PID 1: it ignores SIGTERM and does not pass it ' +
    'on, so the app never drains and is SIGKILLed when the grace period ends. bash is a warning (bash 5.1+ often ' +
    'replaces itself with the last command, older versions do not). Fix: `exec` in front of the last command, or ' +
    'start the app without a shell (an init such as tini or dumb-init in front of the app is fine too).',
  course: 'pid1',
  kinds: ['Deployment', 'StatefulSet', 'DaemonSet'],
  check(workload) {
    const hits: RuleHit[] = [];
    for (const c of workload.containers) {
      const entry = shellEntrypoint(c.command, c.args);
      if (entry === undefined) continue;
      const end = scriptEnd(entry.script);
      if (end.commands === 0 || end.execs || end.trapsTerm) continue;
      const isBash = basename(entry.shell) === 'bash';
      const list = [...((entry.field === 'command' ? c.command : c.args) ?? [])];
      list[entry.index] = withExec(entry.script);
      hits.push({
        severity: isBash ? 'warning' : 'error',
        container: c,
        path: [...containerPath(c), entry.field],
        message:
          `container ${c.name} starts through ${entry.shell} -c and its last command (${shorten(end.last)}) has no ` +
          'exec: the shell stays PID 1, ignores SIGTERM and does not pass it on, so the app is SIGKILLed at the end ' +
          'of the grace period without draining' +
          (isBash ? ' (bash 5.1+ often replaces itself with the last command, older bash does not: write exec)' : ''),
        why:
          'The runtime sends SIGTERM to PID 1 of the container only. A shell as PID 1 has no handler for it, so the ' +
          'signal is dropped; exec makes the app PID 1 in the shell’s place (tini or dumb-init in front of the app ' +
          'also pass SIGTERM on).',
        fix: {
          description: `put exec in front of the last command, so the app replaces the shell`,
          patch: containerPatch(c, { [entry.field]: list }),
        },
      });
    }
    return hits;
  },
};

const shorten = (text: string): string => (text.length > 60 ? `${text.slice(0, 57)}...` : text);
