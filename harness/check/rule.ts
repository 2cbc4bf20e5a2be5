import type { CourseFact } from './course-facts.ts';
import type { Fix, Severity } from './finding.ts';
import type { Serving } from './serving.ts';
import { POD_SPEC_PATH, type Container, type Workload, type WorkloadKind } from './workload.ts';

/** What a rule knows besides the workload itself. */
export interface RuleContext {
  /** Whether (and through which containers) a Service sends traffic to the pods. */
  serving: Serving;
  /** The app's shutdown time after SIGTERM: the pod-template annotation, else --shutdown-seconds, else unknown. */
  shutdownSeconds: { seconds: number; from: string } | undefined;
}

/** One finding as a rule reports it; the engine adds the object, the line and the course reference. */
export interface RuleHit {
  /** Lower than the rule's severity when the rule is less sure; the rule's own otherwise. */
  severity?: Severity;
  /** The container it is about. */
  container?: Container;
  /** Where in the object it points (for the line number). */
  path: readonly (string | number)[];
  /** What is wrong, with this object's numbers. */
  message: string;
  /** Why that loses requests. */
  why: string;
  /** What to change. */
  fix: Fix;
}

/** One static check of a workload's shutdown settings. */
export interface Rule {
  /** Stable kebab-case id (SARIF ruleId, --format json, the README). */
  id: string;
  /** Severity of its findings unless a finding says less. */
  severity: Severity;
  /** One line: what it finds (SARIF shortDescription). */
  title: string;
  /** A paragraph: when it fires, why it matters, how to fix it (SARIF help). */
  help: string;
  /** The course fact behind it. */
  course: CourseFact;
  /** The kinds it reads. */
  kinds: readonly WorkloadKind[];
  /** Its findings in one workload. */
  check(workload: Workload, context: RuleContext): RuleHit[];
}

/** Where a container sits inside a workload. */
export const containerPath = (c: Container): (string | number)[] => [...POD_SPEC_PATH, 'containers', c.index];

/** A strategic-merge patch of one container (containers merge by name). */
export const containerPatch = (c: Container, fields: Record<string, unknown>): Record<string, unknown> => ({
  spec: { template: { spec: { containers: [{ name: c.name, ...fields }] } } },
});

/** A strategic-merge patch of the pod spec. */
export const podPatch = (fields: Record<string, unknown>): Record<string, unknown> => ({
  spec: { template: { spec: fields } },
});

/**
 * The preStop sleep a fix proposes: the endpoint removal reaches kube-proxy sub-second to a few seconds after the
 * deletion (design brief §3), and the course's recommended variant (`prestop-drain`) sleeps 5 s.
 */
export const FIX_PRESTOP_SECONDS = 5;

/** What a fix adds to preStop + shutdown for the grace period: the app's own timers and its exit are not exact. */
export const FIX_GRACE_MARGIN_SECONDS = 5;

/** The shutdown time a fix assumes when neither the annotation nor --shutdown-seconds gives one. */
export const FIX_ASSUMED_SHUTDOWN_SECONDS = 10;

/** The grace period a fix proposes for a preStop of `preStop` seconds and an app that needs `shutdown` seconds. */
export const graceFor = (preStop: number, shutdown: number): number =>
  Math.ceil(preStop + shutdown) + FIX_GRACE_MARGIN_SECONDS;
