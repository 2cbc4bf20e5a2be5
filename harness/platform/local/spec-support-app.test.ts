import { describe, expect, it } from 'vitest';
import { validateApp } from '../../app/app-spec.ts';
import { appTemplate } from '../../app/app-variants.ts';
import { findVariant } from '../../variants/catalog.ts';
import type { Variant } from '../../variants/variant.ts';
import { checkLocalSupport } from './spec-support.ts';

const spec = validateApp({ command: 'python3 app.py' }, 'flags').spec!;
const text = { summary: { en: '', ja: '' }, expectation: { en: '', ja: '' }, expectedSafe: false };
const appVariant = (): Variant => ({ name: 'mine', ...text, ...appTemplate('mine', spec) });

describe('checkLocalSupport and your app', () => {
  it('accepts the app image with its command and args', () => {
    expect(checkLocalSupport(appVariant())).toEqual([]);
  });

  it('wants a command with the app image', () => {
    const v = appVariant();
    delete v.deployment.spec!.template.spec!.containers[0]!.command;
    expect(checkLocalSupport(v)).toEqual([
      "variant mine: spec.template.spec.containers[0].command is required with image drainlab/app:local: it is your app's command line",
    ]);
  });

  it('refuses command and args with the workload image, and names both images for another image', () => {
    const v = structuredClone(findVariant('baseline')!);
    const container = v.deployment.spec!.template.spec!.containers[0]!;
    container.command = ['node'];
    container.args = ['x.js'];
    expect(checkLocalSupport(v)).toEqual([
      expect.stringMatching(/containers\[0\]\.command is only modelled for your app \(image drainlab\/app:local\)/),
      expect.stringMatching(/containers\[0\]\.args is only modelled for your app/),
    ]);
    container.image = 'nginx:1.27';
    delete container.command;
    delete container.args;
    expect(checkLocalSupport(v)).toEqual([
      expect.stringMatching(
        /image is "nginx:1.27"; the local platform runs only drainlab's workload image .* or your app/,
      ),
    ]);
  });
});
