import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_PROPAGATION } from '../platform/local/local-platform.ts';
import { validateApp } from './app-spec.ts';
import { appPatch } from './app-patch.ts';
import { deriveAppVariants } from './app-variants.ts';
import { measuredShutdown } from './testing/measurement.ts';

const spec = validateApp({ command: 'python3 app.py' }, 'flags').spec!;
const slow = measuredShutdown({
  port: 1,
  readyAfterMs: 1,
  exit: { code: 0, signal: null, afterMs: 40_000 },
  boundSeconds: 60,
  newConnections: { attempts: 0, accepted: 0, lastAcceptedMs: null, firstRefusedMs: null },
  inFlight: { total: 0, completed: 0, failed: 0 },
  behaviour: 'drains',
});
const [asIs, prestop, grace] = deriveAppVariants(spec, slow, DEFAULT_PROPAGATION);

describe('appPatch', () => {
  it('is the preStop hook, by container name, as a strategic-merge patch', () => {
    const patch = appPatch(asIs!, prestop!)!;
    expect(patch.yaml).toBe(
      [
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: app',
        '          lifecycle:',
        '            preStop:',
        '              sleep:',
        '                seconds: 3',
        '',
      ].join('\n'),
    );
    expect(patch.command).toBe(
      `kubectl patch deployment web --type strategic -p '{"spec":{"template":{"spec":{"containers":[{"name":"app","lifecycle":{"preStop":{"sleep":{"seconds":3}}}}]}}}}'`,
    );
  });

  it('adds the grace period when the fix changes it, and the JSON says the same as the YAML', () => {
    const patch = appPatch(asIs!, grace!)!;
    const fromYaml = parse(patch.yaml) as unknown;
    expect(fromYaml).toEqual({
      spec: {
        template: {
          spec: {
            terminationGracePeriodSeconds: 48,
            containers: [{ name: 'app', lifecycle: { preStop: { sleep: { seconds: 3 } } } }],
          },
        },
      },
    });
    expect(JSON.parse(/-p '(.*)'$/.exec(patch.command)![1]!)).toEqual(fromYaml);
  });

  it('is nothing when the two are the same, and removes a hook the fix drops', () => {
    expect(appPatch(asIs!, asIs!)).toBeUndefined();
    expect(parse(appPatch(prestop!, asIs!)!.yaml)).toEqual({
      spec: { template: { spec: { containers: [{ name: 'app', lifecycle: null }] } } },
    });
  });
});
