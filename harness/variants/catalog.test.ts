import type { V1Container } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { Variant } from './variant.ts';
import { DEFAULT_VARIANT_NAMES, VARIANTS, VARIANT_NAMES, findVariant } from './catalog.ts';
import { WORKLOAD_IMAGE } from '../../workloads/image.ts';

function container(v: Variant): V1Container {
  const c = v.deployment.spec?.template.spec?.containers[0];
  if (!c) throw new Error(`variant ${v.name} has no container`);
  return c;
}

const env = (v: Variant) => Object.fromEntries((container(v).env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));
const must = (name: string) => findVariant(name) ?? expect.fail(`variant ${name} missing`);

describe('variant catalog', () => {
  it('has the contract names in order, and only prestop-drain is expected safe', () => {
    expect(VARIANT_NAMES).toEqual([
      'baseline',
      'drain-only',
      'prestop-only',
      'prestop-drain',
      'ignore-sigterm',
      'prestop-exceeds-grace',
      'prestop-10s',
    ]);
    expect(DEFAULT_VARIANT_NAMES).toEqual(VARIANT_NAMES.slice(0, 6));
    expect(VARIANTS.filter((v) => v.expectedSafe).map((v) => v.name)).toEqual(['prestop-drain']);
    expect(findVariant('prestop-drain')?.name).toBe('prestop-drain');
    expect(findVariant('Baseline')).toBeUndefined();
  });

  it('sets the shutdown mode, preStop hook and grace period each variant is about', () => {
    const knobs = VARIANTS.map((v) => ({
      name: v.name,
      mode: env(v)['SHUTDOWN_MODE'],
      preStop: container(v).lifecycle?.preStop,
      grace: v.deployment.spec?.template.spec?.terminationGracePeriodSeconds,
    }));
    expect(knobs).toEqual([
      { name: 'baseline', mode: 'exit', preStop: undefined, grace: 30 },
      { name: 'drain-only', mode: 'drain', preStop: undefined, grace: 30 },
      { name: 'prestop-only', mode: 'exit', preStop: { sleep: { seconds: 5 } }, grace: 30 },
      { name: 'prestop-drain', mode: 'drain', preStop: { sleep: { seconds: 5 } }, grace: 30 },
      { name: 'ignore-sigterm', mode: 'ignore', preStop: undefined, grace: 30 },
      {
        name: 'prestop-exceeds-grace',
        mode: 'drain',
        preStop: { exec: { command: ['sleep', '40'] } },
        grace: 30,
      },
      { name: 'prestop-10s', mode: 'drain', preStop: { sleep: { seconds: 10 } }, grace: 30 },
    ]);
  });

  it('declares the shutdown time of prestop-10s time for check, and only there', () => {
    const declared = VARIANTS.filter((v) => v.deployment.spec?.template.metadata?.annotations !== undefined);
    expect(declared.map((v) => [v.name, v.deployment.spec?.template.metadata?.annotations])).toEqual([
      ['prestop-10s', { 'drainlab/shutdown-seconds': '25' }],
    ]);
    expect(env(must('prestop-10s'))['SHUTDOWN_CLEANUP_MS']).toBe('24000');
  });

  it('shares the common Deployment and Service parts', () => {
    for (const v of VARIANTS) {
      const labels = { 'app.kubernetes.io/name': 'web', 'drainlab/variant': v.name };
      const d = v.deployment;
      expect(d.metadata?.name).toBe('web');
      expect(d.spec?.selector.matchLabels).toEqual(labels);
      expect(d.spec?.template.metadata?.labels).toEqual(labels);
      expect(d.spec?.replicas).toBe(3);
      expect(d.spec?.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
      expect([d.spec?.minReadySeconds, d.spec?.revisionHistoryLimit]).toEqual([0, 2]);
      expect(d.spec?.template.spec?.containers).toHaveLength(1);
      const c = container(v);
      expect([c.name, c.image, c.imagePullPolicy]).toEqual(['web', WORKLOAD_IMAGE, 'IfNotPresent']);
      expect(c.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
      expect(env(v)).toMatchObject({
        DRAIN_TIMEOUT_MS: '20000',
        DRAIN_IDLE_MS: '1000',
        KEEP_ALIVE_TIMEOUT_MS: '65000',
        POD_NAME: { fieldRef: { fieldPath: 'metadata.name' } },
      });
      expect(c.readinessProbe).toEqual({
        httpGet: { path: '/readyz', port: 'http' },
        initialDelaySeconds: 0,
        periodSeconds: 1,
        timeoutSeconds: 1,
        successThreshold: 1,
        failureThreshold: 1,
      });
      expect(c.livenessProbe).toBeUndefined();
      expect(c.resources).toBeUndefined();
      expect(v.service.metadata?.name).toBe('web');
      expect(v.service.spec).toEqual({
        type: 'ClusterIP',
        selector: labels,
        ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
      });
    }
  });

  it('builds independent objects, so changing one variant cannot change another', () => {
    const a = must('baseline');
    const b = must('drain-only');
    expect(a.deployment.spec?.selector.matchLabels).not.toBe(a.deployment.spec?.template.metadata?.labels);
    expect(container(a).readinessProbe).not.toBe(container(b).readinessProbe);
  });

  it('explains each variant in English and Japanese with the course terms', () => {
    for (const v of VARIANTS) {
      for (const text of [v.summary, v.expectation]) {
        expect(text.en.length, v.name).toBeGreaterThan(20);
        expect(text.ja, v.name).toMatch(/[\u3040-\u30ff]/);
        expect(text.ja, v.name).not.toMatch(/\s{2,}/);
      }
    }
    const allJa = VARIANTS.map((v) => v.summary.ja + v.expectation.ja).join('\n');
    for (const term of [
      'Pod',
      'preStop フック',
      'SIGTERM',
      'グレースフルシャットダウン',
      'エンドポイント',
      'kube-proxy',
    ]) {
      expect(allJa).toContain(term);
    }
    expect(allJa).toContain('キープアライブ接続');
    expect(must('baseline').expectation.en).toMatch(/refused/);
    expect(must('prestop-only').expectation.ja).toContain('conntrack');
  });

  it('says what the data shows for variants that ignore or outlast SIGTERM: a fast rollout, slow to settle', () => {
    // Measured: the Deployment reports the rollout complete in seconds because it does not wait for terminating
    // Pods; the old Pods live until SIGKILL at the end of the grace period, so only settling takes that long.
    for (const name of ['ignore-sigterm', 'prestop-exceeds-grace']) {
      const { en, ja } = must(name).expectation;
      expect(en, name).not.toMatch(/slow rollout|minutes/);
      expect(en, name).toContain('does not wait for terminating Pods');
      expect(en, name).toMatch(/slow to settle|slow is settling/);
      expect(ja, name).not.toMatch(/数分|ロールアウトが非常に遅く|ロールアウトも遅く/);
      expect(ja, name).toContain('Deployment コントローラーは終了中の Pod を待');
    }
    const allJa = VARIANTS.map((v) => v.summary.ja + v.expectation.ja).join('\n');
    expect(allJa).not.toContain('変種');
  });
});
