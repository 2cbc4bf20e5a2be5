/** How bad a finding is; `--fail-on` compares against this order. SARIF calls `info` "note". */
export type Severity = 'error' | 'warning' | 'info';

/** Severities from the most to the least severe. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** Rank of a severity: 0 for error, larger for less severe. */
export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

/** The object a finding is about, as the manifest names it. */
export interface ObjectRef {
  /** `Deployment`, `StatefulSet` or `DaemonSet`. */
  kind: string;
  /** metadata.name. */
  name: string;
  /** metadata.namespace, when the manifest sets it. */
  namespace: string | undefined;
  /** The file as the user gave it (`-` is shown as `<stdin>`). */
  file: string;
  /** 1-based line of the object's first key in that file. */
  line: number;
}

/** One unsafe shutdown setting found in one object. */
export interface Finding {
  /** Stable kebab-case id of the rule, e.g. `no-prestop-hook`. */
  ruleId: string;
  /** The rule's default severity, or a lower one when the rule is less sure (e.g. no Service in the input). */
  severity: Severity;
  /** The object it is about. */
  object: ObjectRef;
  /** The container it is about, when it is about one. */
  container: string | undefined;
  /** 1-based line of the field the finding points at (a container, the strategy), else the object's line. */
  line: number;
  /** What is wrong, in this object's own numbers. */
  message: string;
  /** Why it loses requests, one or two sentences. */
  why: string;
  /** The course fact (design brief §3) the reason comes from, as `course §3: ...`. */
  course: string;
  /** What to change: a sentence and a strategic-merge patch of the object. */
  fix: Fix;
}

/** A fix as `kubectl patch --type strategic` takes it. */
export interface Fix {
  /** The change in words. */
  description: string;
  /**
   * A strategic-merge patch of the workload (containers are merged by name; `null` removes a field), shown as YAML;
   * apply it with `kubectl patch <kind> <name> --type strategic --patch-file fix.yaml`.
   */
  patch: Record<string, unknown>;
}
