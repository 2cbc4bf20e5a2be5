import { describe, expect, it } from 'vitest';
import { validateApp } from '../app/app-spec.ts';
import { deriveAppVariants } from '../app/app-variants.ts';
import { renderVariantYaml } from '../variants/render-manifest.ts';
import type { AppShutdownMeasurement } from '../model/app-result.ts';
import type { ResultsFile } from '../model/results.ts';
import { appSummaryLines } from '../report/app-text.ts';
import { renderHtmlReport } from '../report/html-report.ts';
import { makeResultsFixture } from '../report/test-fixtures.ts';
import { recommendForApp } from './app-recommendation.ts';
import { measuredShutdown } from '../app/testing/measurement.ts';

const EXITS = measuredShutdown({ requestStatus: 201, inFlight: { total: 4, completed: 1, failed: 3 } });

/** The fixture run as an app run: its baseline cells become app-as-is, its prestop-drain cells app-prestop. */
function appRun(shutdown: AppShutdownMeasurement = EXITS): ResultsFile {
  const results = makeResultsFixture();
  const rename: Record<string, string> = { baseline: 'app-as-is', 'prestop-drain': 'app-prestop' };
  for (const cell of results.cells) cell.variant = rename[cell.variant]!;
  results.variants = ['app-as-is', 'app-prestop'];
  const spec = validateApp({ command: 'python3 app.py --port {port}', readinessPath: '/healthz' }, 'flags').spec!;
  // The manifests as a run records them: the patch is the difference between app-as-is's and the fix's.
  const derived = deriveAppVariants(spec, shutdown, results.propagation);
  const info = (name: string, from: string) => ({
    ...results.variantInfo[from]!,
    manifestYaml: renderVariantYaml(derived.find((v) => v.name === name)!),
  });
  results.variantInfo = {
    'app-as-is': info('app-as-is', 'baseline'),
    'app-prestop': info('app-prestop', 'prestop-drain'),
  };
  results.app = { spec, shutdown, preStopSeconds: 3, graceSeconds: 30, probeLog: 'app/probe.log' };
  return results;
}

describe('recommendForApp', () => {
  it('is nothing for a run without an app', () => {
    expect(recommendForApp(makeResultsFixture())).toBeUndefined();
  });

  it('says what as-is lost, by mechanism, and proposes the variant that lost nothing as a patch', () => {
    const results = appRun();
    const rec = recommendForApp(results)!;
    const asIsFailed = results.cells
      .filter((c) => c.variant === 'app-as-is')
      .reduce((n, c) => n + c.requests.failed, 0);
    expect(asIsFailed).toBeGreaterThan(0);
    expect(rec.asIs).toMatchObject({ variant: 'app-as-is', cells: 2, failed: asIsFailed });
    expect(Object.values(rec.asIs!.mechanisms).reduce((a, b) => a + b, 0)).toBe(asIsFailed);
    expect(rec.fix).toMatchObject({ variant: 'app-prestop', cells: 2, failed: 0 });
    expect(rec.patch?.yaml).toContain('preStop:\n              sleep:\n                seconds: 3');
    expect(rec.fixIsInTheApp).toBe(false);
  });

  it('proposes nothing when the candidate lost a request', () => {
    const results = appRun();
    results.cells.find((c) => c.variant === 'app-prestop')!.requests.failed = 1;
    const rec = recommendForApp(results)!;
    expect(rec.fix).toBeUndefined();
    expect(rec.patch).toBeUndefined();
    expect(appSummaryLines(results).join('\n')).toContain('None of the derived variants that ran lost nothing');
  });

  it('puts the fix in the app, not the manifest, when SIGTERM never reached it', () => {
    const deaf: AppShutdownMeasurement = {
      ...EXITS,
      sigterm: 'not-caught',
      killed: true,
      exit: { code: 137, signal: 'SIGKILL', afterMs: 35_000 },
      behaviour: 'ignores-sigterm',
    };
    const results = appRun(deaf);
    const rec = recommendForApp(results)!;
    expect(rec.fixIsInTheApp).toBe(true);
    expect(rec.patch).toBeUndefined();
    const summary = appSummaryLines(results).join('\n');
    expect(summary).toContain('SIGTERM never reached the app');
    expect(summary).toContain('the fix is in the app');
    expect(summary).not.toContain('kubectl patch');
  });

  it('is in index.html and summary.md, with the diff against app-as-is', () => {
    const results = appRun();
    const summary = appSummaryLines(results).join('\n');
    expect(summary).toMatch(/^## Your app/);
    expect(summary).toContain("kubectl patch deployment web --type strategic -p '");
    const html = renderHtmlReport(results);
    expect(html).toContain('id="your-app"');
    expect(html).toContain('kubectl patch deployment web --type strategic');
    // app-as-is is the reference the other variants are compared with, not baseline.
    expect(html).not.toContain('Same manifest as baseline');
  });
});
