import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { APP_IMAGE } from '../app/app-variants.ts';
import { checkLocalSupport } from '../platform/local/spec-support.ts';
import { validateConfig } from './validate-config.ts';

const APP = { command: 'python3 app.py --port {port}', readinessPath: '/healthz' };

describe('an experiment file with app:', () => {
  it('builds knob variants from the app, and lets the file name the derived variants', () => {
    const { config, problems } = validateConfig(
      {
        app: APP,
        variants: ['app-as-is', { name: 'mine', preStop: { sleepSeconds: 8 }, terminationGracePeriodSeconds: 40 }],
      },
      'f.yaml',
    );
    expect(problems).toEqual([]);
    expect(config.variants).toEqual(['app-as-is', 'mine']);
    const mine = config.customVariants[0]!;
    const pod = mine.deployment.spec!.template.spec!;
    expect(pod.terminationGracePeriodSeconds).toBe(40);
    expect(pod.containers[0]).toMatchObject({ image: APP_IMAGE, lifecycle: { preStop: { sleep: { seconds: 8 } } } });
    expect(checkLocalSupport(mine)).toEqual([]);
  });

  it('reports every problem with its path: the app section, and workload knobs on an app variant', () => {
    const { problems } = validateConfig(
      {
        app: { command: 'x', readinessPath: 'healthz', extra: 1 },
        variants: [{ name: 'mine', shutdownMode: 'drain', cleanupMs: 5 }],
      },
      'f.yaml',
    );
    expect(problems).toEqual([
      expect.stringMatching(/^app\.extra: unknown field/),
      expect.stringMatching(/^app\.readinessPath must be a path starting with \//),
      expect.stringMatching(/^variants\[0\]\.shutdownMode: does not apply to your app/),
      expect.stringMatching(/^variants\[0\]\.cleanupMs: does not apply to your app/),
    ]);
  });

  it('without app:, the derived variants are unknown and their names are reserved', () => {
    const { problems } = validateConfig(
      { variants: ['app-prestop', { name: 'app-as-is', shutdownMode: 'exit' }] },
      'f',
    );
    expect(problems).toEqual([
      expect.stringMatching(/^variants\[0\]: unknown variant "app-prestop"/),
      expect.stringMatching(/^variants\[1\]\.name: "app-as-is" is a catalog variant/),
    ]);
  });

  it('examples/app-python.yaml is valid and runs on the local platform', () => {
    const file = path.resolve(import.meta.dirname, '../../examples/app-python.yaml');
    const { config, problems } = validateConfig(parse(readFileSync(file, 'utf8')), file);
    expect(problems).toEqual([]);
    expect(config.app?.command[0]).toBe('python3');
    for (const v of config.customVariants) expect(checkLocalSupport(v)).toEqual([]);
  });
});
