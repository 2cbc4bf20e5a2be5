import { stringify } from 'yaml';
import { HARNESS_VERSION } from '../core/version.ts';
import type { Severity } from './finding.ts';
import { failsAt, type CheckReport, type FailOn } from './run-check.ts';
import { RULES } from './rules.ts';
import { BLIND_SPOT } from './format-text.ts';

/**
 * `check --format json`: one object, stable for CI scripts (fields are only ever added, under schemaVersion 1):
 *
 * ```
 * {
 *   "schemaVersion": 1,
 *   "tool": { "name": "drainlab check", "version": "0.1.0" },
 *   "inputs": ["deploy.yaml"],                     // as given; stdin is "<stdin>"
 *   "objects": [ { "kind", "name", "namespace" (or null), "file", "line" } ],   // every workload checked
 *   "findings": [ {
 *     "ruleId": "no-prestop-hook", "severity": "error" | "warning" | "info",
 *     "file", "line",                              // line of the field it points at (1-based)
 *     "object": { "kind", "name", "namespace" }, "container" (or null),
 *     "message", "why", "course",                  // course: "course §3: <fact>"
 *     "fix": { "description", "patch" (strategic-merge patch as JSON), "patchYaml" (the same as YAML) }
 *   } ],
 *   "summary": { "error": n, "warning": n, "info": n, "failOn": "error" | "warning" | "info" | "never", "failed": bool },
 *   "rules": [ { "id", "severity", "title" } ],     // every rule, findings or not
 *   "notSeen": "check cannot see what the app does on SIGTERM ..."
 * }
 * ```
 */
export function formatJson(report: CheckReport, failOn: FailOn): string {
  const count = (s: Severity) => report.findings.filter((f) => f.severity === s).length;
  const body = {
    schemaVersion: 1,
    tool: { name: 'drainlab check', version: HARNESS_VERSION },
    inputs: report.inputs,
    objects: report.objects.map((o) => ({ ...o, namespace: o.namespace ?? null })),
    findings: report.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      file: f.object.file,
      line: f.line,
      object: { kind: f.object.kind, name: f.object.name, namespace: f.object.namespace ?? null },
      container: f.container ?? null,
      message: f.message,
      why: f.why,
      course: f.course,
      fix: { description: f.fix.description, patch: f.fix.patch, patchYaml: stringify(f.fix.patch) },
    })),
    summary: {
      error: count('error'),
      warning: count('warning'),
      info: count('info'),
      failOn,
      failed: failsAt(report.findings, failOn),
    },
    rules: RULES.map((r) => ({ id: r.id, severity: r.severity, title: r.title })),
    notSeen: BLIND_SPOT,
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
