import { stringify } from 'yaml';
import type { Finding, ObjectRef } from './finding.ts';
import type { CheckReport, FailOn } from './run-check.ts';

/** The closing line of every report: what a static check cannot know. */
export const BLIND_SPOT =
  'check cannot see what the app does on SIGTERM (exit at once, ignore it, drain): npm run experiment measures it';

const WIDTH = 110;

/**
 * The report for people: findings grouped per object (file, kind/name, line), each with its severity, rule id,
 * message, why (with the course fact) and fix as a strategic-merge patch in YAML; then a count, and the blind spot.
 */
export function formatText(report: CheckReport, failOn: FailOn): string {
  const out: string[] = [];
  for (const object of report.objects) {
    const findings = report.findings.filter((f) => f.object === object);
    if (findings.length === 0) continue;
    out.push(`${object.file}:${object.line}: ${object.kind}/${object.name}${ns(object)}`);
    for (const f of findings) out.push(...formatFinding(f), '');
    out.push(`  apply a fix: save its YAML as fix.yaml, then ${kubectlPatch(object)}`, '');
  }
  const counts = (['error', 'warning', 'info'] as const).map((s) => {
    const n = report.findings.filter((f) => f.severity === s).length;
    return `${n} ${s}${n === 1 || s === 'info' ? '' : 's'}`;
  });
  const checked = `${report.objects.length} workload${report.objects.length === 1 ? '' : 's'} in ${report.inputs.join(', ')}`;
  out.push(
    report.findings.length === 0
      ? `No findings in ${checked}.`
      : `${report.findings.length} finding${report.findings.length === 1 ? '' : 's'} (${counts.join(', ')}) in ${checked}` +
          (failOn === 'never' ? '.' : `; --fail-on ${failOn}.`),
  );
  out.push(`info: ${BLIND_SPOT}.`);
  return `${out.join('\n')}\n`;
}

function formatFinding(f: Finding): string[] {
  const pad = ' '.repeat(10);
  const where = [f.container === undefined ? '' : `container ${f.container}`, `line ${f.line}`].filter(Boolean);
  return [
    `  ${f.severity.padEnd(8)}${f.ruleId} (${where.join(', ')})`,
    ...wrap(f.message, pad, pad),
    ...wrap(f.why, `${pad}why:  `, `${pad}      `),
    ...wrap(f.course, `${pad}      `, `${pad}      `),
    ...wrap(`${f.fix.description}:`, `${pad}fix:  `, `${pad}      `),
    ...stringify(f.fix.patch)
      .trimEnd()
      .split('\n')
      .map((l) => `${pad}      ${l}`),
  ];
}

/** `kubectl patch` for an object, with its namespace when the manifest sets one. */
export function kubectlPatch(object: ObjectRef): string {
  const namespace = object.namespace === undefined ? '' : ` -n ${object.namespace}`;
  return `kubectl patch ${object.kind.toLowerCase()} ${object.name}${namespace} --type strategic --patch-file fix.yaml`;
}

const ns = (object: ObjectRef) => (object.namespace === undefined ? '' : ` (namespace ${object.namespace})`);

/**
 * Words wrapped to the report's width: the first line starts with `first`, the others with `rest`. A number and its
 * unit (`35 s`) stay on one line.
 */
function wrap(text: string, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.replace(/(\d) s\b/g, '$1\u00a0s').split(' ')) {
    const indent = lines.length === 0 ? first : rest;
    if (line !== '' && indent.length + line.length + 1 + word.length > WIDTH) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push((lines.length === 0 ? first : rest) + line);
  return lines.map((l) => l.replaceAll('\u00a0', ' '));
}
