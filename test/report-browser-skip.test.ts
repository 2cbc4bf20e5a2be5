import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkChromium } from './chromium-check.ts';
import { ROOT } from './run-cli.ts';

/**
 * The report's browser test without Chromium, run as a developer would run it (vitest on that file, in a child
 * process): skipped with the reason printed on a workstation, failed where CI is "true".
 */

const MISSING = '/nonexistent/drainlab-test/chromium';

function runBrowserTest(env: NodeJS.ProcessEnv): { code: number | null; output: string } {
  // The child must not think it is a worker of this vitest, and must decide CI for itself.
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'CI' && key !== 'NODE_ENV'),
  );
  const run = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', 'test/report-browser.test.ts', '--reporter=verbose'],
    {
      cwd: ROOT,
      env: { ...clean, NO_COLOR: '1', DRAINLAB_CHROMIUM: MISSING, ...env },
      encoding: 'utf8',
      timeout: 50_000,
    },
  );
  return { code: run.status, output: `${run.stdout}\n${run.stderr}` };
}

describe('checkChromium', () => {
  it('uses DRAINLAB_CHROMIUM, else /usr/bin/chromium, and requires it only when CI is "true"', () => {
    expect(checkChromium({}, () => true)).toEqual({
      executable: '/usr/bin/chromium',
      present: true,
      required: false,
      reason: '',
    });
    const missing = checkChromium({ DRAINLAB_CHROMIUM: MISSING, CI: 'true' }, () => false);
    expect(missing).toMatchObject({ executable: MISSING, present: false, required: true });
    expect(missing.reason).toBe(
      `Chromium not found at ${MISSING}: install Chromium and CJK fonts (Debian/Ubuntu: apt-get install chromium ` +
        'fonts-noto-cjk), or set DRAINLAB_CHROMIUM to a Chromium executable',
    );
    expect(checkChromium({ CI: '1' }, () => false).required).toBe(false);
  });
});

describe('the report browser test without Chromium', () => {
  it('is skipped with the reason printed, and starts no experiment', () => {
    const { code, output } = runBrowserTest({});
    expect(code, output).toBe(0);
    expect(output).toContain(`report browser test skipped: Chromium not found at ${MISSING}`);
    expect(output).toContain('apt-get install chromium fonts-noto-cjk');
    expect(output).toMatch(/Tests\s+\d+ skipped \(\d+\)/);
    expect(output).not.toMatch(/passed|failed/i);
  });

  it('fails where CI is "true", naming what is missing', () => {
    const { code, output } = runBrowserTest({ CI: 'true' });
    expect(code, output).toBe(1);
    expect(output).toContain('finds Chromium (required where CI is "true": CI installs it)');
    expect(output).toContain(`Chromium not found at ${MISSING}`);
    expect(output).toContain('a missing Chromium is a broken CI, not a skip');
    expect(output).toMatch(/Tests\s+1 failed \| \d+ skipped/);
  });
});
