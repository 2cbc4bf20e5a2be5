import { InputError } from '../core/errors.ts';
import { courseRef } from './course-facts.ts';
import { severityRank, type Finding, type ObjectRef, type Severity } from './finding.ts';
import { parseManifests, type Source } from './parse-manifests.ts';
import type { RuleContext } from './rule.ts';
import { RULES } from './rules.ts';
import { servingOf } from './serving.ts';
import { readService, readWorkload, SHUTDOWN_ANNOTATION, WORKLOAD_KINDS, type Workload } from './workload.ts';

/** What the user set besides the manifests. */
export interface CheckOptions {
  /** --shutdown-seconds: the app's shutdown time for workloads without the annotation. */
  shutdownSeconds?: number;
}

/** Everything `check` found, before formatting. */
export interface CheckReport {
  /** The inputs as the user named them, in order. */
  inputs: string[];
  /** Every workload checked, in input order. */
  objects: ObjectRef[];
  /** Every finding, by object (input order), then rule order. */
  findings: Finding[];
}

/** The `--fail-on` threshold: the least severe finding that fails the check, or never. */
export type FailOn = Severity | 'never';

/**
 * Checks every Deployment, StatefulSet and DaemonSet in the sources. Bad input (YAML errors, no workload at all,
 * fields the rules cannot read), with the problems met reading the inputs (`readProblems`), is an InputError with
 * one message per problem, and no findings.
 */
export function checkSources(
  sources: readonly Source[],
  options: CheckOptions = {},
  readProblems: readonly string[] = [],
): CheckReport {
  const parsed = parseManifests(sources);
  const objects = parsed.objects;
  const problems = [...readProblems, ...parsed.problems];
  const workloads: Workload[] = [];
  for (const object of objects) {
    if (!(WORKLOAD_KINDS as readonly string[]).includes(object.kind)) continue;
    const read = readWorkload(object);
    problems.push(...read.problems);
    if (read.workload) workloads.push(read.workload);
  }
  if (problems.length === 0 && workloads.length === 0)
    problems.push(
      noWorkload(
        sources,
        objects.map((o) => o.kind),
      ),
    );
  if (problems.length > 0) throw new InputError(problems, 'see drainlab check --help');
  const services = objects.filter((o) => o.kind === 'Service').map(readService);
  const findings: Finding[] = [];
  for (const workload of workloads) {
    const context: RuleContext = {
      serving: servingOf(workload, services),
      shutdownSeconds:
        workload.shutdownSeconds !== undefined
          ? { seconds: workload.shutdownSeconds, from: `annotation ${SHUTDOWN_ANNOTATION}` }
          : options.shutdownSeconds !== undefined
            ? { seconds: options.shutdownSeconds, from: '--shutdown-seconds' }
            : undefined,
    };
    for (const rule of RULES) {
      if (!rule.kinds.includes(workload.kind)) continue;
      for (const hit of rule.check(workload, context)) {
        findings.push({
          ruleId: rule.id,
          severity: hit.severity ?? rule.severity,
          object: workload.ref,
          container: hit.container?.name,
          line: workload.source.lineOf(hit.path),
          message: hit.message,
          why: hit.why,
          course: courseRef(rule.course),
          fix: hit.fix,
        });
      }
    }
  }
  return { inputs: sources.map((s) => s.name), objects: workloads.map((w) => w.ref), findings };
}

/** Whether the findings fail the check at this threshold (exit 1), or not (exit 0). */
export function failsAt(findings: readonly Finding[], failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return findings.some((f) => severityRank(f.severity) <= severityRank(failOn));
}

function noWorkload(sources: readonly Source[], kinds: string[]): string {
  const names = sources.map((s) => s.name).join(', ');
  const counts = new Map<string, number>();
  for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  const found =
    counts.size === 0
      ? 'no Kubernetes object at all'
      : `only ${[...counts].map(([k, n]) => (n > 1 ? `${k} ×${n}` : k)).join(', ')}`;
  return (
    `no Deployment, StatefulSet or DaemonSet in ${names} (found ${found}): give the manifest that holds the ` +
    'workload, e.g. the output of helm template or kustomize build'
  );
}
