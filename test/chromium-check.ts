import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';

/** Debian's Chromium, which CI installs (.ci/run); DRAINLAB_CHROMIUM names another executable. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** What to install for the browser test, in one line. */
export const INSTALL_HINT =
  'install Chromium and CJK fonts (Debian/Ubuntu: apt-get install chromium fonts-noto-cjk), ' +
  'or set DRAINLAB_CHROMIUM to a Chromium executable';

/** Whether the report's browser test can run here, and what to do when it cannot. */
export interface ChromiumCheck {
  /** The executable the test would launch. */
  executable: string;
  /** It exists. */
  present: boolean;
  /** CI is "true": CI installs Chromium, so a missing one is a broken CI and must fail rather than skip. */
  required: boolean;
  /** Why the test cannot run and what to install; empty when it can. */
  reason: string;
}

export function checkChromium(
  env: NodeJS.ProcessEnv = process.env,
  exists: (file: string) => boolean = existsSync,
): ChromiumCheck {
  const executable = env.DRAINLAB_CHROMIUM || DEFAULT_CHROMIUM;
  const present = exists(executable);
  return {
    executable,
    present,
    required: env.CI === 'true',
    reason: present ? '' : `Chromium not found at ${executable}: ${INSTALL_HINT}`,
  };
}

/**
 * False only when fontconfig answers and lists no Japanese font: Japanese text would render as boxes in the
 * screenshots. The assertions read text, not pixels, so this warns and does not skip.
 */
export function cjkFontsPresent(): boolean {
  const run = spawnSync('fc-list', [':lang=ja', 'family'], { encoding: 'utf8' });
  return run.status !== 0 || run.stdout.trim() !== '';
}

/**
 * For a browser test file: says why it is skipped (or that screenshots will lack Japanese glyphs), and declares the
 * test that fails where CI is "true" and Chromium is missing, so a broken CI never passes as a skip.
 */
export function declareChromiumRequirement(check: ChromiumCheck, what: string): void {
  if (!check.present && !check.required) {
    console.log(`${what} skipped: ${check.reason}`);
  } else if (check.present && !cjkFontsPresent()) {
    console.log(`${what}: no Japanese font found, screenshots will show boxes; ${INSTALL_HINT}`);
  }
  // Skipped with the rest when Chromium is optional here; otherwise it must be found.
  it.skipIf(!check.present && !check.required)('finds Chromium (required where CI is "true": CI installs it)', () => {
    if (!check.present) {
      expect.fail(`${check.reason}. CI is "true", where a missing Chromium is a broken CI, not a skip.`);
    }
  });
}
