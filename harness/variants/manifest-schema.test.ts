import * as k8s from '@kubernetes/client-node';
import { Job } from 'kubernetes-models/batch/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOAD_PROFILE } from '../model/load-profile.ts';
import { k6JobManifest, k6RunSeconds, k6ScriptConfigMap } from '../platform/kube/k6-job.ts';
import { VARIANTS } from './catalog.ts';

type AttributeMap = { name: string; baseName: string; type: string }[];
const models = k8s as unknown as Record<string, { getAttributeTypeMap?: () => AttributeMap } | undefined>;

/**
 * Every key path of `value` that the Kubernetes OpenAPI schema does not define for `type`. kubernetes-models'
 * validators (ajv, compiled) accept unknown fields and that package ships no JSON schema files, so the field lists
 * come from @kubernetes/client-node's models, which are generated from the same OpenAPI spec.
 */
function unknownFields(value: unknown, type: string, at: string): string[] {
  if (value === null || value === undefined) return [];
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return (value as unknown[]).flatMap((item, i) => unknownFields(item, array[1]!, `${at}[${i}]`));
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return Object.entries(value).flatMap(([k, v]) => unknownFields(v, map[1]!, `${at}.${k}`));
  const attributes = models[type]?.getAttributeTypeMap?.();
  if (!attributes) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => {
    const attribute = attributes.find((a) => a.baseName === key);
    return attribute ? unknownFields(child, attribute.type, `${at}.${key}`) : [`${at}.${key}`];
  });
}

const k6Job = k6JobManifest({
  namespace: 'drainlab-x-abcdef',
  cellId: 'baseline--rolling-update--r1',
  image: 'grafana/k6:1.2.0',
  target: 'http://web.drainlab-x-abcdef.svc.cluster.local',
  profile: DEFAULT_LOAD_PROFILE,
  durationSeconds: k6RunSeconds(DEFAULT_LOAD_PROFILE, VARIANTS[0]!),
});

describe('manifests against the Kubernetes schemas', () => {
  for (const variant of VARIANTS) {
    it(`${variant.name}: Deployment and Service validate and have no unknown field`, () => {
      expect(() => new Deployment(variant.deployment as never).validate()).not.toThrow();
      expect(() => new Service(variant.service as never).validate()).not.toThrow();
      expect(unknownFields(variant.deployment, 'V1Deployment', 'Deployment')).toEqual([]);
      expect(unknownFields(variant.service, 'V1Service', 'Service')).toEqual([]);
    });
  }

  it('the k6 Job and its script ConfigMap validate and have no unknown field', () => {
    expect(() => new Job(k6Job as never).validate()).not.toThrow();
    const cm = k6ScriptConfigMap('drainlab-x-abcdef', 'export default function () {}');
    expect(() => new ConfigMap(cm as never).validate()).not.toThrow();
    expect(unknownFields(k6Job, 'V1Job', 'Job')).toEqual([]);
    expect(unknownFields(cm, 'V1ConfigMap', 'ConfigMap')).toEqual([]);
  });

  it('the checks catch a misspelled field and a wrong type', () => {
    const bad = structuredClone(VARIANTS[0]!.deployment) as unknown as {
      spec: { template: { spec: Record<string, unknown> } };
    };
    bad.spec.template.spec.terminationGracePeriodSecond = 30;
    expect(unknownFields(bad, 'V1Deployment', 'Deployment')).toEqual([
      'Deployment.spec.template.spec.terminationGracePeriodSecond',
    ]);
    const wrong = structuredClone(VARIANTS[0]!.deployment) as unknown as { spec: { replicas: unknown } };
    wrong.spec.replicas = 'three';
    expect(() => new Deployment(wrong as never).validate()).toThrow();
  });
});
