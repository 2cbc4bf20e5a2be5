import type { V1Container, V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { VARIANTS, findVariant } from '../../variants/catalog.ts';
import type { Variant } from '../../variants/variant.ts';
import { checkLocalSupport } from './spec-support.ts';

const base = findVariant('prestop-drain') ?? expect.fail('prestop-drain missing');

/** A deep copy of prestop-drain named `name`, changed by `edit` (fixtures mutate only their own copy). */
function fixture(name: string, edit: (d: V1Deployment, c: V1Container, v: Variant) => void): Variant {
  const v: Variant = { ...structuredClone(base), name };
  const c = v.deployment.spec?.template.spec?.containers[0] ?? expect.fail('no container');
  edit(v.deployment, c, v);
  return v;
}

const C0 = 'spec.template.spec.containers[0]';

const VALID: Variant[] = [
  ...VARIANTS,
  fixture('valid-recreate', (d) => {
    if (d.spec) d.spec.strategy = { type: 'Recreate' };
  }),
  fixture('valid-percent-surge', (d) => {
    if (d.spec) d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '0%' } };
  }),
  fixture('valid-prestop-http', (_d, c) => {
    c.lifecycle = { preStop: { httpGet: { path: '/prestop', port: 8080 } } };
  }),
  fixture('valid-sleep-equals-grace', (d, c) => {
    if (d.spec?.template.spec) d.spec.template.spec.terminationGracePeriodSeconds = 10;
    c.lifecycle = { preStop: { sleep: { seconds: 10 } } };
  }),
  fixture('valid-annotations-and-deadline', (d) => {
    if (!d.spec) return;
    d.metadata = { ...d.metadata, annotations: { note: 'x' } };
    d.spec.template.metadata = { ...d.spec.template.metadata, annotations: { 'drainlab/restarted-at': 'now' } };
    d.spec.progressDeadlineSeconds = 60;
  }),
  // What the API server returns: explicit nulls for unset fields and fieldRef.apiVersion filled in.
  fixture('valid-read-back', (_d, c) => {
    const podName = c.env?.find((e) => e.name === 'POD_NAME');
    if (podName?.valueFrom?.fieldRef) podName.valueFrom.fieldRef.apiVersion = 'v1';
    (c as unknown as Record<string, unknown>)['livenessProbe'] = null;
  }),
];

/** Each invalid fixture and the problems it must produce (substrings, one per expected line). */
const INVALID: [Variant, string[]][] = [
  [
    fixture('invalid-liveness', (_d, c) => {
      c.livenessProbe = { httpGet: { path: '/healthz', port: 'http' } };
    }),
    [
      `variant invalid-liveness: ${C0}.livenessProbe is not modelled by the local platform; remove it or use --platform kind`,
    ],
  ],
  [
    fixture('invalid-second-container', (d, c) => {
      d.spec?.template.spec?.containers.push({ ...structuredClone(c), name: 'sidecar', image: 'envoyproxy/envoy:v1' });
    }),
    [
      'spec.template.spec.containers has 2 containers; the local platform runs exactly one',
      `spec.template.spec.containers[1].image is "envoyproxy/envoy:v1"; the local platform runs only drainlab's workload image`,
    ],
  ],
  [
    fixture('invalid-top-level-field', (d) => {
      (d as unknown as Record<string, unknown>)['status'] = { replicas: 3 };
    }),
    ['variant invalid-top-level-field: status is not modelled by the local platform'],
  ],
  [
    fixture('invalid-image', (_d, c) => {
      c.image = 'nginx:1.27';
    }),
    [`${C0}.image is "nginx:1.27"; the local platform runs only drainlab's workload image (drainlab/workload:dev)`],
  ],
  [
    fixture('invalid-sleep-beyond-grace', (d, c) => {
      if (d.spec?.template.spec) d.spec.template.spec.terminationGracePeriodSeconds = 30;
      c.lifecycle = { preStop: { sleep: { seconds: 40 } } };
    }),
    [`${C0}.lifecycle.preStop.sleep.seconds is 40 but terminationGracePeriodSeconds is 30; Kubernetes rejects`],
  ],
  [
    fixture('invalid-sleep-beyond-default-grace', (d, c) => {
      if (d.spec?.template.spec) delete d.spec.template.spec.terminationGracePeriodSeconds;
      c.lifecycle = { preStop: { sleep: { seconds: 31 } } };
    }),
    [`${C0}.lifecycle.preStop.sleep.seconds is 31 but terminationGracePeriodSeconds is 30`],
  ],
  [
    fixture('invalid-two-prestop-handlers', (_d, c) => {
      c.lifecycle = { preStop: { sleep: { seconds: 5 }, exec: { command: ['sleep', '5'] } } };
    }),
    [`${C0}.lifecycle.preStop has handlers exec and sleep; Kubernetes requires exactly one`],
  ],
  [
    fixture('invalid-empty-prestop', (_d, c) => {
      c.lifecycle = { preStop: {} };
    }),
    [`${C0}.lifecycle.preStop has no handler`],
  ],
  [
    fixture('invalid-tcp-prestop', (_d, c) => {
      c.lifecycle = { preStop: { tcpSocket: { port: 8080 } } };
    }),
    [`${C0}.lifecycle.preStop.tcpSocket is not modelled`],
  ],
  [
    fixture('invalid-negative-numbers', (d) => {
      if (!d.spec?.template.spec) return;
      d.spec.replicas = -1;
      d.spec.template.spec.terminationGracePeriodSeconds = -5;
    }),
    ['spec.replicas is -1; Kubernetes requires a non-negative integer', 'terminationGracePeriodSeconds is -5'],
  ],
  [
    fixture('invalid-zero-surge-and-unavailable', (d) => {
      if (d.spec) d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '0%', maxUnavailable: 0 } };
    }),
    ['spec.strategy.rollingUpdate has maxSurge and maxUnavailable both 0'],
  ],
  [
    fixture('invalid-bad-percent', (d) => {
      if (d.spec) d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 'lots', maxUnavailable: 0 } };
    }),
    ['spec.strategy.rollingUpdate.maxSurge is "lots"; Kubernetes requires a non-negative integer or a percentage'],
  ],
  [
    fixture('invalid-env-field-ref', (_d, c) => {
      c.env = [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }];
    }),
    [`${C0}.env[0].valueFrom.fieldRef.fieldPath is "spec.nodeName"; the local platform models only "metadata.name"`],
  ],
  [
    fixture('invalid-udp-and-https', (_d, c) => {
      c.ports = [{ name: 'http', containerPort: 8080, protocol: 'UDP' }];
      if (c.readinessProbe?.httpGet) c.readinessProbe.httpGet.scheme = 'HTTPS';
    }),
    [`${C0}.ports[0].protocol is "UDP"`, `${C0}.readinessProbe.httpGet.scheme is "HTTPS"`],
  ],
  [
    fixture('invalid-probe-port-name', (_d, c) => {
      if (c.readinessProbe?.httpGet) c.readinessProbe.httpGet.port = 'metrics';
    }),
    [`${C0}.readinessProbe.httpGet.port is "metrics" but the container has no port of that name`],
  ],
  [
    fixture('invalid-selector', (d) => {
      if (d.spec) d.spec.selector = { matchLabels: { app: 'other' } };
    }),
    ['spec.selector.matchLabels does not match spec.template.metadata.labels'],
  ],
  [
    fixture('invalid-recreate-with-rolling', (d) => {
      if (d.spec) d.spec.strategy = { type: 'Recreate', rollingUpdate: { maxSurge: 1 } };
    }),
    ['spec.strategy.rollingUpdate must not be set when spec.strategy.type is Recreate'],
  ],
  [
    fixture('invalid-service', (_d, _c, v) => {
      v.service = structuredClone(v.service);
      if (!v.service.spec) return;
      v.service.spec.type = 'NodePort';
      v.service.spec.externalTrafficPolicy = 'Local';
      v.service.spec.ports = [{ port: 80, targetPort: 'web', nodePort: 30080 }];
      v.service.spec.selector = { app: 'nothing' };
    }),
    [
      'variant invalid-service: Service spec.type is "NodePort"; the local platform models only "ClusterIP"',
      'Service spec.externalTrafficPolicy is not modelled',
      'Service spec.ports[0].nodePort is not modelled',
      'Service spec.ports[0].targetPort is "web" but the container has no port of that name (found: http)',
      'Service spec.selector does not select the Deployment',
    ],
  ],
];

describe('checkLocalSupport', () => {
  it.each(VALID.map((v) => [v.name, v] as const))('accepts %s', (_name, variant) => {
    expect(checkLocalSupport(variant)).toEqual([]);
  });

  it.each(INVALID.map(([v, expected]) => [v.name, v, expected] as const))(
    'reports %s by path',
    (name, variant, expected) => {
      const problems = checkLocalSupport(variant);
      // Exactly the expected problems, each prefixed with the variant name: no duplicates, nothing extra.
      expect(problems).toHaveLength(expected.length);
      for (const text of expected) {
        expect(
          problems.filter((p) => p.includes(text)),
          `${text}\nin:\n${problems.join('\n')}`,
        ).toHaveLength(1);
      }
      for (const p of problems) expect(p.startsWith(`variant ${name}: `)).toBe(true);
    },
  );

  it('reports every problem of a variant at once', () => {
    const many = fixture('many', (d, c) => {
      c.livenessProbe = { httpGet: { path: '/', port: 'http' } };
      c.image = 'busybox';
      c.resources = { limits: { cpu: '1' } };
      if (d.spec) d.spec.paused = true;
    });
    expect(checkLocalSupport(many)).toHaveLength(4);
  });

  it('leaves the catalog objects untouched', () => {
    const before = JSON.stringify(VARIANTS);
    for (const v of VARIANTS) checkLocalSupport(v);
    expect(JSON.stringify(VARIANTS)).toBe(before);
  });
});
