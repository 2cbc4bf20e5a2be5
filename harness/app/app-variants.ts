import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import type { AppShutdownMeasurement } from '../model/app-result.ts';
import type { PropagationSettings } from '../model/results.ts';
import type { Variant } from '../variants/variant.ts';
import type { AppSpec } from './app-spec.ts';

/** The image name that stands for "the user's command line" on the local platform (never pulled anywhere). */
export const APP_IMAGE = 'drainlab/app:local';
/** The derived variants, in report order; names are a contract like the catalog's. */
export const APP_VARIANT_NAMES = ['app-as-is', 'app-prestop', 'app-prestop-grace'] as const;
export type AppVariantName = (typeof APP_VARIANT_NAMES)[number];
/** The variant every other app variant is diffed against, and the one the patch is written for. */
export const APP_BASE_VARIANT: AppVariantName = 'app-as-is';
/** Kubernetes' default grace period. */
const DEFAULT_GRACE_SECONDS = 30;
/** Added to the modelled routing delay, so that a slow sync or a busy node still fits in the preStop sleep. */
const PRESTOP_MARGIN_SECONDS = 1;
/** The shortest preStop sleep drainlab proposes. */
const MIN_PRESTOP_SECONDS = 2;
/** Added to preStop + the measured shutdown for the grace period. */
const GRACE_MARGIN_SECONDS = 5;

/** The Deployment's and the container's names in the derived manifests (the patch names them too). */
export const APP_DEPLOYMENT_NAME = 'web';
export const APP_CONTAINER_NAME = 'app';

/** What a derived variant changes against the app as given. */
export interface AppKnobs {
  /** Native preStop `sleep` seconds; none when absent. */
  preStopSeconds?: number;
  /** terminationGracePeriodSeconds; Kubernetes' default (30) when absent. */
  graceSeconds?: number;
}

/**
 * The worst time from a pod's deletion until routing stops sending it new connections, seconds: the EndpointSlice
 * controller, kube-proxy's watch and one whole minSyncPeriod (the kubelet's notice runs in parallel, so it does not
 * add). With the defaults 0.1 + 0.1 + 1 = 1.2 s.
 */
export function worstRoutingDelaySeconds(propagation: PropagationSettings): number {
  return propagation.endpointsControllerSeconds + propagation.proxyWatchSeconds + propagation.proxyMinSyncSeconds;
}

/** preStop sleep seconds: the worst routing delay plus a margin, rounded up, at least 2 (3 with the defaults). */
export function preStopSecondsFor(propagation: PropagationSettings): number {
  const raw = worstRoutingDelaySeconds(propagation) + PRESTOP_MARGIN_SECONDS;
  return Math.max(MIN_PRESTOP_SECONDS, Math.ceil(raw - 1e-9));
}

/** Seconds the app measurably needs after SIGTERM (the whole bound when it ignored SIGTERM). */
export function shutdownSeconds(shutdown: AppShutdownMeasurement): number {
  return shutdown.killed ? shutdown.boundSeconds : shutdown.exit.afterMs / 1000;
}

/** True when the app needs more than the default grace period leaves after the preStop hook. */
export function needsLongerGrace(shutdown: AppShutdownMeasurement, preStopSeconds: number): boolean {
  return shutdown.killed || shutdownSeconds(shutdown) > DEFAULT_GRACE_SECONDS - preStopSeconds;
}

/** Grace for `app-prestop-grace`: preStop + measured shutdown + 5 s, rounded up, never below the default 30. */
export function graceSecondsFor(shutdown: AppShutdownMeasurement, preStopSeconds: number): number {
  const raw = preStopSeconds + shutdownSeconds(shutdown) + GRACE_MARGIN_SECONDS;
  return Math.max(DEFAULT_GRACE_SECONDS, Math.ceil(raw));
}

/** The labels that select the app's pods. */
function appLabels(variant: string): Record<string, string> {
  return { 'app.kubernetes.io/name': APP_DEPLOYMENT_NAME, 'drainlab/variant': variant };
}

/**
 * The app's Deployment and Service: the command as the container's command (the `{port}` placeholder kept; the
 * local kubelet fills it in), its env, an httpGet readiness probe on its readiness path (every second, one failure,
 * as the catalog's), 3 replicas, maxSurge 1, maxUnavailable 0, and the knobs.
 */
export function appTemplate(
  name: string,
  spec: AppSpec,
  knobs: AppKnobs = {},
): { deployment: V1Deployment; service: V1Service } {
  const [program, ...args] = spec.command;
  const deployment: V1Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: APP_DEPLOYMENT_NAME, labels: appLabels(name) },
    spec: {
      replicas: 3,
      selector: { matchLabels: appLabels(name) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      revisionHistoryLimit: 2,
      template: {
        metadata: { labels: appLabels(name) },
        spec: {
          terminationGracePeriodSeconds: knobs.graceSeconds ?? DEFAULT_GRACE_SECONDS,
          containers: [
            {
              name: APP_CONTAINER_NAME,
              image: APP_IMAGE,
              command: [program ?? ''],
              ...(args.length > 0 ? { args } : {}),
              ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
              ...(Object.keys(spec.env).length > 0
                ? { env: Object.entries(spec.env).map(([k, v]) => ({ name: k, value: v })) }
                : {}),
              readinessProbe: {
                httpGet: { path: spec.readinessPath, port: 'http' },
                periodSeconds: 1,
                timeoutSeconds: 1,
                successThreshold: 1,
                failureThreshold: 1,
              },
              ...(knobs.preStopSeconds === undefined
                ? {}
                : { lifecycle: { preStop: { sleep: { seconds: knobs.preStopSeconds } } } }),
            },
          ],
        },
      },
    },
  };
  const service: V1Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: APP_DEPLOYMENT_NAME, labels: appLabels(name) },
    spec: {
      type: 'ClusterIP',
      selector: appLabels(name),
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
  };
  return { deployment, service };
}

/** The three derived variants with their texts, from the measured shutdown and the propagation model. */
export function deriveAppVariants(
  spec: AppSpec,
  shutdown: AppShutdownMeasurement,
  propagation: PropagationSettings,
): Variant[] {
  const s = preStopSecondsFor(propagation);
  const grace = graceSecondsFor(shutdown, s);
  const routing = worstRoutingDelaySeconds(propagation).toFixed(1);
  const needs = shutdownSeconds(shutdown).toFixed(1);
  const ignores = shutdown.behaviour === 'ignores-sigterm';
  return [
    {
      name: 'app-as-is',
      expectedSafe: false,
      summary: {
        en: 'Your app as given: readiness probe, no preStop hook, grace period 30 s.',
        ja: '与えられたままのアプリ: readiness probe あり、preStop フックなし、グレース期間 30 秒。',
      },
      expectation: {
        en: ignores
          ? 'SIGTERM does not reach the app (measured), so each old pod lives the whole grace period and is then killed; requests still on its kept-alive connections at SIGKILL are reset.'
          : 'SIGTERM arrives while routing may still send new connections to the pod: when the app stops listening at once, those are refused, and requests in flight when it exits are reset.',
        ja: ignores
          ? 'SIGTERM がアプリに届かない（実測）ため、古い Pod はグレース期間いっぱい生き続けてから強制終了され、その時点でキープアライブ接続上にあるリクエストはリセットされます。'
          : 'ルーティングがまだ新しい接続をその Pod に送りうる間に SIGTERM が届きます。アプリがすぐにリッスンをやめると、その接続は拒否され、終了時に処理中だったリクエストはリセットされます。',
      },
      ...appTemplate('app-as-is', spec),
    },
    {
      name: 'app-prestop',
      expectedSafe: !ignores && !needsLongerGrace(shutdown, s),
      summary: {
        en: `Adds a preStop hook \`sleep ${s}\`: the modelled worst routing delay (${routing} s) plus 1 s, rounded up.`,
        ja: `preStop フック \`sleep ${s}\` を追加します（モデル上の最悪のルーティング遅延 ${routing} 秒 + 1 秒を切り上げ）。`,
      },
      expectation: {
        en: `SIGTERM comes ${s} s after the deletion, when routing has stopped sending the pod new connections, so nothing is refused; requests on connections the app keeps alive can still be cut if it exits without draining.`,
        ja: `SIGTERM は削除の ${s} 秒後、ルーティングがその Pod に新しい接続を送らなくなってから届くため、接続拒否は起きません。ただしアプリがドレインせずに終了すると、キープアライブ接続上のリクエストは切れることがあります。`,
      },
      ...appTemplate('app-prestop', spec, { preStopSeconds: s }),
    },
    {
      name: 'app-prestop-grace',
      expectedSafe: !ignores,
      summary: {
        en: `preStop \`sleep ${s}\` and a grace period of ${grace} s: preStop + the measured shutdown (${needs} s) + 5 s.`,
        ja: `preStop \`sleep ${s}\` とグレース期間 ${grace} 秒（preStop + 実測の終了時間 ${needs} 秒 + 5 秒）。`,
      },
      expectation: {
        en: ignores
          ? 'A longer grace period cannot help an app that never receives SIGTERM: it only keeps old pods longer. The fix is in the app (exec form, a signal handler).'
          : 'Like app-prestop, and the app has the time it measurably needs after SIGTERM before SIGKILL.',
        ja: ignores
          ? 'SIGTERM を受け取らないアプリには、グレース期間を延ばしても古い Pod が長く残るだけで効果がありません。直すべきはアプリ側です（exec 形式、シグナルハンドラ）。'
          : 'app-prestop と同じで、さらに SIGKILL までに、アプリが SIGTERM 後に実測で必要とする時間があります。',
      },
      ...appTemplate('app-prestop-grace', spec, { preStopSeconds: s, graceSeconds: grace }),
    },
  ];
}

/** The derived variants a run uses when none are named: as-is and preStop, and the grace one when it is needed. */
export function defaultAppVariantNames(shutdown: AppShutdownMeasurement, propagation: PropagationSettings): string[] {
  const s = preStopSecondsFor(propagation);
  const grace = needsLongerGrace(shutdown, s) && shutdown.behaviour !== 'ignores-sigterm';
  return grace ? [...APP_VARIANT_NAMES] : ['app-as-is', 'app-prestop'];
}
