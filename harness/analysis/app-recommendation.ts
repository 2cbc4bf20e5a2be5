import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { appPatch, type AppPatch } from '../app/app-patch.ts';
import { APP_BASE_VARIANT, APP_VARIANT_NAMES } from '../app/app-variants.ts';
import type { Variant } from '../variants/variant.ts';
import type { CellResult, FailureMechanism, ResultsFile } from '../model/results.ts';
import { FAILURE_MECHANISMS } from './request-timeline.ts';

/** Requests of one variant over all its cells of the run. */
export interface VariantLoss {
  /** The variant. */
  variant: string;
  /** Its cells (all scenarios, all repetitions). */
  cells: number;
  /** Cells that did not complete. */
  incomplete: number;
  requests: number;
  failed: number;
  /** Failed requests per mechanism (cells without a timeline count nowhere). */
  mechanisms: Record<FailureMechanism, number>;
  /** Pods killed with SIGKILL, over all its cells. */
  sigkilled: number;
  /** Mean seconds from the disruption until every stopped pod was gone; null when no cell settled. */
  settledSeconds: number | null;
}

/** What an app run says about the app as given, and the change that removed its loss. */
export interface AppRecommendation {
  /** `app-as-is` over the run; undefined when it did not run. */
  asIs: VariantLoss | undefined;
  /** The first derived variant (app-prestop, then app-prestop-grace) that ran complete and lost nothing. */
  fix: VariantLoss | undefined;
  /** The fix as a patch to the user's Deployment (absent when no fix, or the fix changes nothing). */
  patch: AppPatch | undefined;
  /** The app does not get SIGTERM: the fix is in the app (exec form, a signal handler), not in the manifest. */
  fixIsInTheApp: boolean;
  /** When no derived variant lost nothing: the one that lost least (to say what is left). */
  best?: VariantLoss;
}

function lossOf(variant: string, cells: CellResult[]): VariantLoss | undefined {
  const own = cells.filter((c) => c.variant === variant);
  if (own.length === 0) return undefined;
  const mechanisms = Object.fromEntries(FAILURE_MECHANISMS.map((m) => [m, 0])) as Record<FailureMechanism, number>;
  for (const cell of own) {
    for (const m of FAILURE_MECHANISMS) mechanisms[m] += cell.timeline?.mechanisms[m] ?? 0;
  }
  const settled = own.flatMap((c) => (c.settledSeconds === null ? [] : [c.settledSeconds]));
  return {
    variant,
    sigkilled: own.reduce((n, c) => n + c.pods.filter((p) => p.sigkillMs !== null).length, 0),
    settledSeconds: settled.length === 0 ? null : settled.reduce((a, b) => a + b, 0) / settled.length,
    cells: own.length,
    incomplete: own.filter((c) => c.status !== 'complete').length,
    requests: own.reduce((n, c) => n + c.requests.total, 0),
    failed: own.reduce((n, c) => n + c.requests.failed, 0),
    mechanisms,
  };
}

/** The Deployment of a variant as results.json recorded it (variantInfo's manifest), for the patch. */
function recordedVariant(results: ResultsFile, name: string): Variant | undefined {
  const yamlText = results.variantInfo[name]?.manifestYaml;
  if (yamlText === undefined) return undefined;
  const objects = parseAllDocuments(yamlText).map((d) => d.toJS() as { kind?: string } | null);
  const deployment = objects.find((o) => o?.kind === 'Deployment') as V1Deployment | undefined;
  const service = objects.find((o) => o?.kind === 'Service') as V1Service | undefined;
  if (!deployment || !service) return undefined;
  return {
    name,
    deployment,
    service,
    expectedSafe: false,
    summary: { en: '', ja: '' },
    expectation: { en: '', ja: '' },
  };
}

/**
 * An app that never got SIGTERM. Measured before the run for a command line; for a manifest on a real cluster (no
 * run before), from the cells: every stopped pod of `app-as-is` was killed (137), none exited by itself.
 */
function ignoresSigterm(results: ResultsFile): boolean {
  if (results.app) return results.app.shutdown.behaviour === 'ignores-sigterm';
  const stopped = results.cells
    .filter((c) => c.variant === APP_BASE_VARIANT)
    .flatMap((c) => c.pods.filter((p) => p.terminatingMs !== null && p.exitCode !== null));
  return stopped.length > 0 && stopped.every((p) => p.exitCode === 137);
}

/**
 * The recommendation of an app run (undefined for a run without an app): whether `app-as-is` lost requests and how,
 * which derived variant lost none over every one of its cells, and that variant's change as a strategic-merge patch
 * of the Deployment as given. Pure: rebuilt from results.json (the variants' manifests as recorded).
 */
export function recommendForApp(results: ResultsFile): AppRecommendation | undefined {
  if (!results.app && !results.appManifest) return undefined;
  const asIs = lossOf(APP_BASE_VARIANT, results.cells);
  const fixIsInTheApp = ignoresSigterm(results);
  const candidates = APP_VARIANT_NAMES.filter((n) => n !== APP_BASE_VARIANT)
    .map((n) => lossOf(n, results.cells))
    .filter((l): l is VariantLoss => l !== undefined);
  const fix = fixIsInTheApp
    ? undefined
    : candidates.find((l) => l.incomplete === 0 && l.requests > 0 && l.failed === 0);
  let patch: AppPatch | undefined;
  if (fix) {
    const base = recordedVariant(results, APP_BASE_VARIANT);
    const chosen = recordedVariant(results, fix.variant);
    if (base && chosen) patch = appPatch(base, chosen);
  }
  const best = fix
    ? undefined
    : [...candidates].sort((a, b) => a.failed / (a.requests || 1) - b.failed / (b.requests || 1))[0];
  return { asIs, fix, patch, fixIsInTheApp, ...(best ? { best } : {}) };
}
