import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCourseClaims } from '../harness/analysis/course-claims.ts';
import type { ResultsFile } from '../harness/model/results.ts';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'drainlab-claims-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The claims a default run leaves open (4: the 10 s hook's arithmetic, 7 and 8: the shape of a rollout), measured for
 * real by the catalog's extra variant and scenario, at a quarter of real time.
 */
describe('the course claims measured by the catalog extras (prestop-10s, rolling-update-wide)', () => {
  it(
    'times the grace period, the overlap of old pods and the low point of ready pods',
    { timeout: 150_000 },
    async () => {
      const out = path.join(dir, 'run');
      const run = await runCli(
        [
          'experiment',
          '--variants',
          'baseline,prestop-10s,prestop-exceeds-grace',
          '--scenarios',
          'rolling-update,rolling-update-wide',
          '--time-scale',
          '0.25',
          '--parallel',
          '3',
          '--out',
          out,
        ],
        { timeoutMs: 140_000 },
      );
      expect(run.code, run.stderr).toBe(0);
      const results = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as ResultsFile;
      const claims = checkCourseClaims(results);
      const claim = (n: number) => claims.find((c) => c.number === n)!;

      // Claim 4: the 10 s hook (2.5 s here) leaves 20 s (5 s) of the 30 s (7.5 s); the 40 s hook is cut at the grace
      // period, SIGTERM follows and SIGKILL comes 2 s (0.5 s) later. Every part measured: nothing left to suggest.
      expect(claim(4).measureWith).toBeUndefined();
      expect(claim(4).verdict).toBe('holds');
      const [tenSeconds, outlived] = claim(4).evidence.map((e) => e.en);
      const had = /the app had ([\d.]+) s of the ([\d.]+) s grace period/.exec(tenSeconds!);
      expect(Number(had![2])).toBe(7.5);
      expect(Number(had![1])).toBeGreaterThan(4.5);
      expect(Number(had![1])).toBeLessThan(5.5);
      expect(outlived).toMatch(/cut at 7\.\d\d s, SIGTERM followed at 7\.\d\d s and SIGKILL 0\.[3-7]\d s later/);

      // Claim 7: with a preStop hook the old pods overlap (3 at once); baseline's exit at once does not.
      expect(claim(7).verdict).toBe('does-not-hold');
      expect(claim(7).evidence.map((e) => e.en)).toContain(
        'rolling-update (1 per step): at most 1 old pod(s) terminating at once — baseline.',
      );
      expect(
        claim(7).evidence.some((e) => /^rolling-update \(1 per step\): at most 3 old pod.*prestop-10s/.test(e.en)),
      ).toBe(true);

      // Claim 8: both strategies measured; the wider one's low point is lower.
      expect(claim(8).verdict).not.toBe('not-measured');
      expect(claim(8).evidence[0]!.en).toMatch(/^maxUnavailable 0 \(maxSurge 1, 3 replicas\)/);
      expect(claim(8).evidence[1]!.en).toMatch(/^maxUnavailable 2 \(maxSurge 0, 3 replicas\)/);

      // The report and summary.md carry them.
      const html = readFileSync(path.join(out, 'index.html'), 'utf8');
      expect(html).toContain('<h2 id="claims">');
      expect(html).toMatch(/<li class="claim claim-holds" id="claim-4">/);
      const summary = readFileSync(path.join(out, 'summary.md'), 'utf8');
      expect(summary).toContain('4. ✅ **holds** — preStop time counts against the grace period');
    },
  );
});
