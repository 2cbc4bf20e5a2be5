import { isRecord } from './parse-manifests.ts';
import { basename, isShell } from './shell-script.ts';

/** What a preStop hook is, as far as its length and its needs go. */
export type PreStopKind =
  /** `sleep: {seconds: N}` (KEP-3960): the kubelet waits, nothing runs in the container. */
  | { form: 'native'; seconds: number }
  /** `exec: [sleep, N]`, or `exec: [sh, -c, "sleep N ..."]`: needs `sleep` (and the shell) in the image. */
  | { form: 'exec-sleep'; seconds: number | undefined; program: string }
  /** Any other hook (httpGet, exec of another program): its length is not known here. */
  | { form: 'other'; program: string | undefined };

/**
 * The preStop hook of a container, with its sleep time when it is a sleep. For a shell script, the time of the
 * `sleep` that starts it counts (a lower bound when more follows).
 */
export function preStopKind(preStop: Record<string, unknown>): PreStopKind {
  if (isRecord(preStop.sleep) && typeof preStop.sleep.seconds === 'number') {
    return { form: 'native', seconds: preStop.sleep.seconds };
  }
  const command = isRecord(preStop.exec) && Array.isArray(preStop.exec.command) ? preStop.exec.command : undefined;
  if (command === undefined || !command.every((s) => typeof s === 'string'))
    return { form: 'other', program: undefined };
  const [program, ...rest] = command as string[];
  if (program === undefined) return { form: 'other', program: undefined };
  if (basename(program) === 'sleep') return { form: 'exec-sleep', seconds: sleepSeconds(rest[0]), program };
  if (isShell(program)) {
    const c = rest.findIndex((o) => /^-[a-z]*c[a-z]*$/.test(o));
    const script = c === -1 ? undefined : rest[c + 1];
    const first = script === undefined ? undefined : /^\s*(?:exec\s+)?(?:\/\S*\/)?sleep\s+([^\s;&|]+)/.exec(script);
    if (first) return { form: 'exec-sleep', seconds: sleepSeconds(first[1]), program };
  }
  return { form: 'other', program };
}

/** `sleep`'s argument in seconds: `5`, `"5"`, `2.5`, `5s`, `1m` (GNU and busybox sleep take these). */
export function sleepSeconds(arg: string | undefined): number | undefined {
  const m = arg === undefined ? null : /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(arg.replace(/^["']|["']$/g, ''));
  if (!m) return undefined;
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

/**
 * Why an image probably has neither `sleep` nor a shell, or undefined when nothing in its name says so. Judged by
 * name only: distroless images (gcr.io/distroless/*, except the `:debug` tags that add busybox), Chainguard's
 * `static` image, images built `FROM scratch` and tagged so, and tags that say `distroless`.
 */
export function imageWithoutSleep(image: string): string | undefined {
  const [repo = '', tag = ''] = splitImage(image);
  if (/(^|\/)distroless\//.test(repo) && !/debug/.test(tag)) return 'a distroless image (no shell, no sleep)';
  if (/(^|\/)chainguard\/static$/.test(repo) && !/dev/.test(tag)) return 'a static image (no shell, no sleep)';
  if (/(^|[-_.])distroless([-_.]|$)/.test(tag)) return 'a distroless image (no shell, no sleep)';
  if (/(^|\/)scratch$/.test(repo) || /(^|[-_.])scratch([-_.]|$)/.test(tag))
    return 'an image built from scratch (only what was copied in)';
  return undefined;
}

/** `registry/path/name:tag@digest` → [`registry/path/name`, `tag`]. */
function splitImage(image: string): [string, string] {
  const noDigest = image.split('@')[0]!;
  const colon = noDigest.lastIndexOf(':');
  return colon > noDigest.lastIndexOf('/') ? [noDigest.slice(0, colon), noDigest.slice(colon + 1)] : [noDigest, ''];
}
