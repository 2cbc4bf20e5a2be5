import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import { parseManifests } from './parse-manifests.ts';
import { checkSources, failsAt } from './run-check.ts';
import { manifest, yamlOf } from './testing/manifests.ts';
import type { Finding } from './finding.ts';

/** The problems checkSources throws for these sources, or [] when it does not throw. */
function problemsOf(sources: { name: string; text: string }[], readProblems: string[] = []): readonly string[] {
  try {
    checkSources(sources, {}, readProblems);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).problems;
  }
}

const deploymentNoPreStop = yamlOf(manifest({ container: { lifecycle: undefined } }));

describe('parseManifests', () => {
  it('reads multi-document YAML and kind: List items, with the line of each object', () => {
    const text = [
      '# from helm template',
      '---',
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: v1',
      '    kind: ConfigMap',
      '    metadata: {name: a}',
      '  - apiVersion: apps/v1',
      '    kind: Deployment',
      '    metadata: {name: b}',
      '---',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: c}',
    ].join('\n');
    const { objects, problems } = parseManifests([{ name: 'x.yaml', text }]);
    expect(problems).toEqual([]);
    expect(objects.map((o) => [o.kind, o.line])).toEqual([
      ['ConfigMap', 6],
      ['Deployment', 9],
      ['Service', 14],
    ]);
    expect(objects[1]!.lineOf(['metadata', 'name'])).toBe(11);
    expect(objects[1]!.lineOf(['spec', 'template'])).toBe(9); // missing: the object's own line
  });

  it('gives one problem per file with a YAML error, at its line', () => {
    const { problems } = parseManifests([
      { name: 'bad.yaml', text: 'kind: Deployment\nmetadata:\n  name: [a\n  x: : y\n' },
      { name: 'dup.yaml', text: 'kind: Deployment\nkind: Service\n' },
      { name: 'ok.yaml', text: 'kind: Service\n' },
    ]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^bad\.yaml:\d+: is not valid YAML \(.+\); fix the syntax on that line$/);
    expect(problems[1]).toMatch(/^dup\.yaml:2: is not valid YAML \(.*unique.*\)/i);
  });
});

describe('checkSources', () => {
  it('points a finding at the container line and names the object', () => {
    const { findings, objects } = checkSources([{ name: 'd.yaml', text: deploymentNoPreStop }]);
    expect(objects).toEqual([{ kind: 'Deployment', name: 'web', namespace: undefined, file: 'd.yaml', line: 1 }]);
    const lines = deploymentNoPreStop.split('\n');
    const f = findings[0]!;
    expect(f.ruleId).toBe('no-prestop-hook');
    expect(f.container).toBe('web');
    expect(lines[f.line - 1]).toMatch(/^\s+- name: web$/);
  });

  it('takes a Service from another file of the same input', () => {
    const [deployment, service] = manifest({ container: { lifecycle: undefined } });
    const { findings } = checkSources([
      { name: 'deployment.yaml', text: yamlOf([deployment]) },
      { name: 'service.yaml', text: yamlOf([service]) },
    ]);
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([['no-prestop-hook', 'error']]);
  });

  it('matches Services by namespace: another namespace does not serve the pods', () => {
    const [deployment, service] = manifest({ container: { lifecycle: undefined } }) as Record<string, unknown>[];
    const inNs = (o: Record<string, unknown>, ns: string) => ({
      ...o,
      metadata: { ...(o.metadata as object), namespace: ns },
    });
    expect(checkSources([{ name: 'a', text: yamlOf([inNs(deployment!, 'a'), inNs(service!, 'b')]) }]).findings).toEqual(
      [],
    );
    const same = checkSources([{ name: 'a', text: yamlOf([inNs(deployment!, 'a'), inNs(service!, 'a')]) }]);
    expect(same.findings.map((f) => f.ruleId)).toEqual(['no-prestop-hook']);
    expect(same.objects[0]!.namespace).toBe('a');
  });

  it('says what it found when there is no workload, one problem', () => {
    expect(
      problemsOf([
        { name: 'a.yaml', text: 'kind: Service\nmetadata: {name: s}\n---\nkind: ConfigMap\n---\nkind: ConfigMap\n' },
      ]),
    ).toEqual([
      'no Deployment, StatefulSet or DaemonSet in a.yaml (found only Service, ConfigMap ×2): give the manifest that ' +
        'holds the workload, e.g. the output of helm template or kustomize build',
    ]);
    expect(problemsOf([{ name: '<stdin>', text: '' }])[0]).toMatch(/in <stdin> \(found no Kubernetes object at all\)/);
  });

  it('reports every problem at once: unreadable inputs, YAML errors, fields the rules cannot read', () => {
    const broken = yamlOf(
      manifest({
        pod: { terminationGracePeriodSeconds: 'thirty' },
        annotations: { 'drainlab/shutdown-seconds': 'soon' },
        spec: { strategy: { rollingUpdate: { maxUnavailable: 'all' } } },
      }),
    );
    const problems = problemsOf(
      [
        { name: 'w.yaml', text: broken },
        { name: 'y.yaml', text: 'a: [' },
        { name: 'c.yaml', text: 'kind: Deployment\nmetadata: {name: x}\nspec: {}\n' },
        {
          name: 'n.yaml',
          text: 'kind: DaemonSet\nmetadata: {name: d}\nspec: {template: {spec: {containers: [{image: x}]}}}\n',
        },
      ],
      ['gone.yaml: cannot read it (no such file); check the path'],
    );
    expect(problems).toEqual([
      'gone.yaml: cannot read it (no such file); check the path',
      expect.stringMatching(/^y\.yaml:1: is not valid YAML/),
      'w.yaml:1: Deployment/web: terminationGracePeriodSeconds must be a whole number of seconds, got "thirty"',
      expect.stringMatching(
        /^w\.yaml:1: Deployment\/web: strategy\.rollingUpdate\.maxUnavailable must be .* got "all"/,
      ),
      'w.yaml:1: Deployment/web: annotation drainlab/shutdown-seconds must be a number of seconds such as "25", got "soon"',
      'c.yaml:1: Deployment/x has no spec.template.spec.containers; a Deployment needs at least one container',
      'n.yaml:1: DaemonSet/d: containers[0] has no name; every container needs one',
    ]);
  });
});

describe('failsAt', () => {
  const f = (severity: Finding['severity']) => ({ severity }) as Finding;
  it('fails at the threshold and above, never with never', () => {
    expect(failsAt([f('warning')], 'error')).toBe(false);
    expect(failsAt([f('warning')], 'warning')).toBe(true);
    expect(failsAt([f('info')], 'warning')).toBe(false);
    expect(failsAt([f('info')], 'info')).toBe(true);
    expect(failsAt([f('error')], 'never')).toBe(false);
    expect(failsAt([], 'info')).toBe(false);
  });
});
