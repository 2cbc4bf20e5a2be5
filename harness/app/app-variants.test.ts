import { describe, expect, it } from 'vitest';
import { measuredShutdown } from './testing/measurement.ts';
import type { AppShutdownMeasurement } from '../model/app-result.ts';
import { checkLocalSupport } from '../platform/local/spec-support.ts';
import { DEFAULT_PROPAGATION } from '../platform/local/local-platform.ts';
import { validateApp } from './app-spec.ts';
import {
  APP_IMAGE,
  defaultAppVariantNames,
  deriveAppVariants,
  graceSecondsFor,
  needsLongerGrace,
  preStopSecondsFor,
  worstRoutingDelaySeconds,
} from './app-variants.ts';

const spec = validateApp(
  { command: 'python3 app.py --port {port}', readinessPath: '/healthz', env: ['A=1'] },
  'flags',
).spec!;

const measured = (over: Partial<AppShutdownMeasurement> = {}) =>
  measuredShutdown({ port: 1234, readyAfterMs: 300, exit: { code: 143, signal: null, afterMs: 5 }, ...over });

describe('the preStop sleep', () => {
  it('covers the worst routing delay (controller + watch + one sync) plus 1 s, rounded up', () => {
    expect(worstRoutingDelaySeconds(DEFAULT_PROPAGATION)).toBeCloseTo(1.2);
    expect(preStopSecondsFor(DEFAULT_PROPAGATION)).toBe(3);
    // The kubelet's notice runs in parallel with the endpoint removal: it does not lengthen the sleep.
    expect(preStopSecondsFor({ ...DEFAULT_PROPAGATION, kubeletNoticeSeconds: 5 })).toBe(3);
    expect(preStopSecondsFor({ ...DEFAULT_PROPAGATION, proxyMinSyncSeconds: 10 })).toBe(12);
    expect(preStopSecondsFor({ ...DEFAULT_PROPAGATION, proxyMinSyncSeconds: 2 })).toBe(4);
  });

  it('is never below 2 s', () => {
    const instant = {
      kubeletNoticeSeconds: 0,
      endpointsControllerSeconds: 0,
      proxyWatchSeconds: 0,
      proxyMinSyncSeconds: 0,
    };
    expect(preStopSecondsFor(instant)).toBe(2);
  });
});

describe('the grace period', () => {
  it('is needed when the app needs more than the default 30 s leaves after the preStop sleep', () => {
    expect(needsLongerGrace(measured({ exit: { code: 0, signal: null, afterMs: 27_000 } }), 3)).toBe(false);
    expect(needsLongerGrace(measured({ exit: { code: 0, signal: null, afterMs: 27_500 } }), 3)).toBe(true);
    expect(needsLongerGrace(measured({ killed: true, behaviour: 'ignores-sigterm' }), 3)).toBe(true);
  });

  it('is preStop + the measured shutdown + 5 s, rounded up, at least 30', () => {
    expect(graceSecondsFor(measured({ exit: { code: 0, signal: null, afterMs: 40_200 } }), 3)).toBe(49);
    expect(graceSecondsFor(measured(), 3)).toBe(30);
    expect(graceSecondsFor(measured({ killed: true, boundSeconds: 35 }), 3)).toBe(43);
  });
});

describe('the derived variants', () => {
  const variants = deriveAppVariants(spec, measured(), DEFAULT_PROPAGATION);
  const pod = (name: string) => variants.find((v) => v.name === name)!.deployment.spec!.template.spec!;

  it('are the app as given, with a preStop sleep, and with a longer grace period', () => {
    expect(variants.map((v) => v.name)).toEqual(['app-as-is', 'app-prestop', 'app-prestop-grace']);
    expect(pod('app-as-is').containers[0]!.lifecycle).toBeUndefined();
    expect(pod('app-as-is').terminationGracePeriodSeconds).toBe(30);
    expect(pod('app-prestop').containers[0]!.lifecycle).toEqual({ preStop: { sleep: { seconds: 3 } } });
    expect(pod('app-prestop').terminationGracePeriodSeconds).toBe(30);
    const container = pod('app-as-is').containers[0]!;
    expect(container.image).toBe(APP_IMAGE);
    expect([...container.command!, ...container.args!]).toEqual(['python3', 'app.py', '--port', '{port}']);
    expect(container.env).toEqual([{ name: 'A', value: '1' }]);
    expect(container.readinessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    for (const v of variants) {
      expect(v.summary.en.length).toBeGreaterThan(0);
      expect(v.expectation.ja.length).toBeGreaterThan(0);
    }
  });

  it('run on the local platform as they are', () => {
    for (const v of variants) expect(checkLocalSupport(v)).toEqual([]);
  });

  it('include the grace variant by default only when the app needs it and gets SIGTERM', () => {
    expect(defaultAppVariantNames(measured(), DEFAULT_PROPAGATION)).toEqual(['app-as-is', 'app-prestop']);
    const slow = measured({ exit: { code: 0, signal: null, afterMs: 40_000 }, behaviour: 'drains' });
    expect(defaultAppVariantNames(slow, DEFAULT_PROPAGATION)).toEqual([
      'app-as-is',
      'app-prestop',
      'app-prestop-grace',
    ]);
    const deaf = measured({ killed: true, sigterm: 'not-caught', behaviour: 'ignores-sigterm' });
    expect(defaultAppVariantNames(deaf, DEFAULT_PROPAGATION)).toEqual(['app-as-is', 'app-prestop']);
    // The derived variant says that more grace cannot help an app that never gets SIGTERM.
    const grace = deriveAppVariants(spec, deaf, DEFAULT_PROPAGATION).find((v) => v.name === 'app-prestop-grace')!;
    expect(grace.expectation.en).toMatch(/fix is in the app/);
    expect(grace.expectedSafe).toBe(false);
  });
});
