import { parseAllDocuments } from 'yaml';
import type { CellResult, ResultsFile } from '../model/results.ts';
import type { Bilingual } from '../variants/variant.ts';
import {
  momentStats,
  observedPods,
  sigtermBeforeRouting,
  type MomentName,
  type MomentStats,
  type PodRef,
} from './moments.ts';
import { sigtermSeenMs } from './pod-timelines.ts';
import { fewestReadyEndpoints, maxOldTerminatingAtOnce } from './rollout-shape.ts';
import { median } from './stats.ts';

/**
 * The course page's claims (design §3 and §10), each held against one run: the evidence with its numbers, where in the
 * run to see it, and a verdict. Pure: everything comes from results.json.
 */

/** `nuance`: holds, with a qualification the evidence states. */
export type ClaimVerdict = 'holds' | 'nuance' | 'does-not-hold' | 'not-measured';

/** A place in the run: a cell, and optionally a pod and a moment on the cell's clock. */
export interface ClaimLink {
  cellId: string;
  pod?: string;
  atMs?: number;
}

/** One line of evidence, in both languages, with where to see it. */
export interface ClaimEvidence extends Bilingual {
  link?: ClaimLink;
}

export interface CourseClaim {
  /** 1-based, as the course's claims are numbered in the report. */
  number: number;
  /** What the course says, in a sentence. */
  claim: Bilingual;
  verdict: ClaimVerdict;
  evidence: ClaimEvidence[];
  /** What would measure the claim, or its part this run did not measure: flags, and why. */
  measureWith?: { flags: string } & Bilingual;
}

const s2 = (ms: number) => (ms / 1000).toFixed(2);
const range = (m: MomentStats) => `${s2(m.median)} s (${s2(m.min)}–${s2(m.max)}, n=${m.n})`;
const rangeJa = (m: MomentStats) => `${s2(m.median)} 秒（${s2(m.min)}–${s2(m.max)}、n=${m.n}）`;
const link = (ref: PodRef, atMs?: number | null): ClaimLink => ({
  cellId: ref.cell.id,
  pod: ref.pod.name,
  ...(atMs === null || atMs === undefined ? {} : { atMs }),
});
const exampleLink = (m: MomentStats): ClaimLink => ({
  cellId: m.example.cellId,
  pod: m.example.pod,
  atMs: m.example.atMs,
});

/** How far a measured deadline may miss the expected one and still count as it: timers, probes, a busy machine. */
function tolerance(expectedMs: number, timeScale: number): number {
  return Math.max(300, 500 * timeScale, 0.1 * expectedMs);
}

/** How the run's deadlines are judged. */
interface Timing {
  timeScale: number;
  /**
   * How much later than the deadline a kill may be seen: on a real cluster SIGKILL is the exit the container's status
   * reported, which reaches the harness after the kubelet's status update (0 on the emulator, which reports it).
   */
  killSeenLateMs: number;
}

/** `actual` is within the tolerance of `expected`, or up to `lateMs` more after it. */
function near(actualMs: number, expectedMs: number, timing: Timing, lateMs = 0): boolean {
  const tol = tolerance(expectedMs, timing.timeScale);
  return actualMs >= expectedMs - tol && actualMs <= expectedMs + tol + lateMs;
}

/** The pod's grace period as the cell ran it (ms on the cell clock: seconds × the run's time scale). */
function graceMs(ref: PodRef, timeScale: number): number | null {
  const e = ref.cell.events.find((x) => x.kind === 'pod-terminating' && x.pod === ref.pod.name);
  return e?.kind === 'pod-terminating' ? e.gracePeriodSeconds * 1000 * timeScale : null;
}

/** The app's own lifecycle lines for the pod (the workload logs SIGTERM, drain start and end). */
function appLog(ref: PodRef, msg: string): Record<string, unknown> | null {
  const e = ref.cell.events.find((x) => x.kind === 'app-log' && x.pod === ref.pod.name && x.msg === msg);
  return e?.kind === 'app-log' ? (e.detail ?? {}) : null;
}

function stats(refs: readonly PodRef[], name: MomentName): MomentStats | null {
  return momentStats(refs, name);
}

/** A claim this run cannot judge: what was seen, and the flags (with why) that would measure it. */
function notMeasured(
  number: number,
  claim: Bilingual,
  evidence: ClaimEvidence[],
  measureWith: NonNullable<CourseClaim['measureWith']>,
): CourseClaim {
  return { number, claim, verdict: 'not-measured', evidence, measureWith };
}

const noPreStop = (refs: PodRef[]) => refs.filter((r) => r.pod.preStopStartMs === null);

/** Claim 1: deletion notifies the kubelet and the EndpointSlice controller in parallel. */
function claimParallel(pods: PodRef[]): CourseClaim {
  const claim = {
    en: 'Deleting a Pod notifies the kubelet and the EndpointSlice controller in parallel, so SIGTERM can arrive before routing stops.',
    ja: 'Pod を削除すると kubelet と EndpointSlice コントローラーに並行して通知が届くため、ルーティングが止まる前に SIGTERM が届くことがあります。',
  };
  const plain = noPreStop(pods);
  if (plain.length === 0) {
    return notMeasured(1, claim, [], {
      flags: '--variants baseline',
      en: 'needs a variant without a preStop hook, whose SIGTERM is not delayed',
      ja: 'SIGTERM が遅らされない、preStop フックのないバリアントが必要です',
    });
  }
  const cells = [...new Set(plain.map((r) => r.cell))];
  const gaps = sigtermBeforeRouting(cells).filter((g) =>
    plain.some((r) => r.cell.id === g.cellId && r.pod.name === g.pod),
  );
  const sigterm = stats(plain, 'sigterm');
  const notReady = stats(plain, 'endpointNotReady');
  const evidence: ClaimEvidence[] = [];
  if (sigterm && notReady) {
    evidence.push({
      en: `Without a preStop hook, after the Pod became Terminating: SIGTERM at ${range(sigterm)}, endpoint not ready at ${range(notReady)} — neither waited for the other.`,
      ja: `preStop フックなしで Pod が Terminating になってから、SIGTERM は ${rangeJa(sigterm)}、エンドポイントの not ready は ${rangeJa(notReady)} で、どちらも他方を待っていません。`,
      link: exampleLink(sigterm),
    });
  }
  if (gaps.length === 0) {
    return notMeasured(1, claim, evidence, {
      flags: '--platform local',
      en: 'the moment routing stopped was not observed on this platform (a cluster whose kube-proxy rules are on this machine shows it too), so the race cannot be timed',
      ja: 'このプラットフォームではルーティングが止まった時刻を観測できず（kube-proxy のルールがこのマシン上にあるクラスターでも観測できます）、競合の時間を測れません',
    });
  }
  const first = gaps.filter((g) => g.gapMs < 0);
  const widest = [...gaps].sort((a, b) => a.gapMs - b.gapMs)[0]!;
  evidence.push({
    en: `SIGTERM arrived before routing stopped in ${first.length} of ${gaps.length} pods; median lead ${s2(-(median(gaps.map((g) => g.gapMs)) ?? 0))} s, widest ${s2(-widest.gapMs)} s (new connections could still reach the pod after SIGTERM).`,
    ja: `${gaps.length} 個中 ${first.length} 個の Pod で、ルーティングが止まる前に SIGTERM が届きました。先行時間の中央値 ${s2(-(median(gaps.map((g) => g.gapMs)) ?? 0))} 秒、最大 ${s2(-widest.gapMs)} 秒（SIGTERM の後も新しい接続が届き得た時間）。`,
    link: { cellId: widest.cellId, pod: widest.pod, atMs: widest.sigtermMs },
  });
  return { number: 1, claim, verdict: first.length > 0 ? 'holds' : 'nuance', evidence };
}

/** Claim 2: the course's example timeline, against the measured medians and spread. */
function claimTimeline(pods: PodRef[], results: ResultsFile): CourseClaim {
  const claim = {
    en: 'Example timeline: SIGTERM at 0.1 s, EndpointSlice updated at 0.2 s, kube-proxy notices at 0.5 s, iptables rules updated at 0.8 s.',
    ja: 'タイムラインの例: 0.1 秒で SIGTERM、0.2 秒で EndpointSlice 更新、0.5 秒で kube-proxy が検知、0.8 秒で iptables ルール更新。',
  };
  const plain = noPreStop(pods);
  const sigterm = stats(plain, 'sigterm');
  const notReady = stats(plain, 'endpointNotReady');
  const routing = stats(plain, 'routingRemoved');
  if (!sigterm || !notReady) {
    return notMeasured(2, claim, [], {
      flags: '--variants baseline',
      en: 'needs terminated pods without a preStop hook',
      ja: 'preStop フックなしで終了した Pod が必要です',
    });
  }
  const row = (en: string, ja: string, course: number, m: MomentStats | null): ClaimEvidence =>
    m
      ? {
          en: `${en}: course ${course.toFixed(1)} s, measured ${range(m)}`,
          ja: `${ja}: 講座 ${course.toFixed(1)} 秒、実測 ${rangeJa(m)}`,
          link: exampleLink(m),
        }
      : {
          en: `${en}: course ${course.toFixed(1)} s, not observed`,
          ja: `${ja}: 講座 ${course.toFixed(1)} 秒、観測なし`,
        };
  const evidence: ClaimEvidence[] = [
    row('SIGTERM', 'SIGTERM', 0.1, sigterm),
    row('EndpointSlice: endpoint not ready', 'EndpointSlice: エンドポイント not ready', 0.2, notReady),
    {
      en: 'kube-proxy notices the change: course 0.5 s; not an event of its own (what is measured is when its rules changed)',
      ja: 'kube-proxy が変更を検知: 講座 0.5 秒。それ自体はイベントとして記録されません（測れるのはルールが変わった時刻です）',
    },
    row('iptables rules: no new connections to the pod', 'iptables ルール: Pod への新しい接続なし', 0.8, routing),
  ];
  const byScenario = results.scenarios
    .map((scenario) => ({
      scenario,
      m: stats(
        plain.filter((r) => r.cell.scenario === scenario),
        'routingRemoved',
      ),
    }))
    .filter((x): x is { scenario: string; m: MomentStats } => x.m !== null);
  if (byScenario.length > 1) {
    evidence.push({
      en: `Rules by scenario: ${byScenario.map((x) => `${x.scenario} ${s2(x.m.median)} s`).join(', ')} (kube-proxy applies changes at most once per minSyncPeriod, ${results.propagation.proxyMinSyncSeconds} s; a change right after a sync waits longest).`,
      ja: `シナリオ別のルール更新: ${byScenario.map((x) => `${x.scenario} ${s2(x.m.median)} 秒`).join('、')}（kube-proxy は minSyncPeriod（${results.propagation.proxyMinSyncSeconds} 秒）に 1 回しか反映しないため、同期の直後の変更ほど長く待ちます）。`,
    });
  }
  const earliest = Math.min(sigterm.min, notReady.min);
  if (earliest < 0) {
    evidence.push({
      en: `Times below 0: the harness's own watch saw the pod Terminating up to ${s2(-earliest)} s after the kubelet or the EndpointSlice controller had already acted on it (the API server informs each watcher separately, and a busy machine delays the harness's).`,
      ja: `0 未満の時刻: ハーネス自身の watch が Pod の Terminating を知ったのは、kubelet や EndpointSlice コントローラーが動いた後（最大 ${s2(-earliest)} 秒後）でした（API サーバーは watch ごとに別々に通知し、忙しいマシンではハーネスへの通知が遅れます）。`,
    });
  }
  const ordered = sigterm.median <= (routing?.median ?? Infinity) && notReady.median <= (routing?.median ?? Infinity);
  if (routing && !ordered) {
    return { number: 2, claim, verdict: 'does-not-hold', evidence };
  }
  if (results.platform.emulated) {
    const p = results.propagation;
    evidence.push({
      en: `On the emulator these delays follow its model (kubelet notice ${p.kubeletNoticeSeconds} s, EndpointSlice controller ${p.endpointsControllerSeconds} s, kube-proxy watch ${p.proxyWatchSeconds} s + sync every ${p.proxyMinSyncSeconds} s); a real cluster's are in docs/fidelity.md.`,
      ja: `エミュレーターではこれらの遅延はモデルに従います（kubelet の検知 ${p.kubeletNoticeSeconds} 秒、EndpointSlice コントローラー ${p.endpointsControllerSeconds} 秒、kube-proxy の watch ${p.proxyWatchSeconds} 秒 + ${p.proxyMinSyncSeconds} 秒ごとの同期）。実クラスターの値は docs/fidelity.md にあります。`,
    });
    return { number: 2, claim, verdict: 'nuance', evidence };
  }
  // A real cluster: the order holds; the numbers hold when the rules changed within "sub-second to a few seconds".
  return { number: 2, claim, verdict: routing && routing.median <= 3000 ? 'holds' : 'nuance', evidence };
}

/** Claim 3: a preStop sleep delays SIGTERM until routing stopped; with draining, no request is lost. */
function claimPreStop(pods: PodRef[]): CourseClaim {
  const claim = {
    en: 'A preStop sleep delays SIGTERM until routing has stopped, and with draining no request is lost.',
    ja: 'preStop の sleep で SIGTERM をルーティングが止まるまで遅らせ、ドレインと組み合わせればリクエストは失われません。',
  };
  const hooked = pods.filter((r) => r.pod.preStopOutcome === 'completed');
  if (hooked.length === 0) {
    return notMeasured(3, claim, [], {
      flags: '--variants prestop-drain',
      en: 'needs a variant whose preStop hook completes',
      ja: '完了する preStop フックを持つバリアントが必要です',
    });
  }
  const evidence: ClaimEvidence[] = [];
  const timed = hooked.flatMap((r) => {
    const sigterm = sigtermSeenMs(r.pod);
    return sigterm === null || r.pod.routingRemovedMs === null
      ? []
      : [{ r, sigterm, marginMs: sigterm - r.pod.routingRemovedMs }];
  });
  const late = timed.filter((t) => t.marginMs < 0);
  if (timed.length > 0) {
    const worst = [...timed].sort((a, b) => a.marginMs - b.marginMs)[0]!;
    evidence.push({
      en: `With a completed preStop hook, SIGTERM came after routing had stopped in ${timed.length - late.length} of ${timed.length} pods (margin median ${s2(median(timed.map((t) => t.marginMs))!)} s, smallest ${s2(worst.marginMs)} s).`,
      ja: `preStop フックが完了した Pod では、${timed.length} 個中 ${timed.length - late.length} 個でルーティングが止まった後に SIGTERM が届きました（余裕の中央値 ${s2(median(timed.map((t) => t.marginMs))!)} 秒、最小 ${s2(worst.marginMs)} 秒）。`,
      link: link(worst.r, worst.sigterm),
    });
  }
  // Variants whose every terminated pod completed its preStop, drained and exited 0: "preStop + draining".
  const byVariant = new Map<string, PodRef[]>();
  for (const r of pods) byVariant.set(r.cell.variant, [...(byVariant.get(r.cell.variant) ?? []), r]);
  const drained = [...byVariant].filter(([, refs]) =>
    refs.every((r) => r.pod.preStopOutcome === 'completed' && r.pod.drainDoneMs !== null && r.pod.exitCode === 0),
  );
  let lost = 0;
  for (const [variant, refs] of drained) {
    const cells = [...new Set(refs.map((r) => r.cell))];
    const failed = cells.reduce((sum, c) => sum + c.requests.failed, 0);
    const total = cells.reduce((sum, c) => sum + c.requests.total, 0);
    lost += failed;
    const worst = [...cells].sort((a, b) => b.requests.failed - a.requests.failed)[0]!;
    evidence.push({
      en: `${variant} (preStop, then drain, exit 0): ${failed} of ${total} requests failed over ${cells.length} cell(s).`,
      ja: `${variant}（preStop の後にドレインして終了コード 0）: ${cells.length} セルで ${total} 件中 ${failed} 件が失敗。`,
      link: { cellId: worst.id },
    });
  }
  if (drained.length === 0) {
    return {
      number: 3,
      claim,
      verdict: late.length > 0 ? 'does-not-hold' : 'not-measured',
      evidence,
      measureWith: {
        flags: '--variants prestop-drain',
        en: 'no variant combined a completed preStop hook with a drain that exited 0',
        ja: '完了する preStop フックと終了コード 0 のドレインを組み合わせたバリアントがありません',
      },
    };
  }
  if (late.length > 0 || lost > 0) return { number: 3, claim, verdict: 'does-not-hold', evidence };
  return { number: 3, claim, verdict: timed.length > 0 ? 'holds' : 'nuance', evidence };
}

/** Claim 4: preStop time counts against the grace period; a hook that outlives it is cut, SIGKILL 2 s later. */
function claimGrace(pods: PodRef[], timing: Timing): CourseClaim {
  const { timeScale } = timing;
  const claim = {
    en: 'preStop time counts against the grace period (a 10 s hook leaves 20 s of 30 s); a hook that outlives the grace period is cut, SIGTERM follows, and SIGKILL comes 2 s later.',
    ja: 'preStop の時間はグレース期間に含まれます（10 秒のフックなら 30 秒のうち残りは 20 秒）。グレース期間を超えたフックは打ち切られ、SIGTERM の後、2 秒で SIGKILL が送られます。',
  };
  const evidence: ClaimEvidence[] = [];
  let broken = false;
  const missing: string[] = [];
  const scaleNote = timeScale === 1 ? '' : ` (time scale ${timeScale}: every duration ×${timeScale})`;
  // (a) A completed hook, then an app that outlived the rest of the grace period: the deadline is visible.
  const cut = pods.filter((r) => r.pod.preStopOutcome === 'completed' && r.pod.sigkillMs !== null);
  if (cut.length > 0) {
    const rows = cut.flatMap((r) => {
      const grace = graceMs(r, timeScale);
      const sigterm = sigtermSeenMs(r.pod);
      if (grace === null || sigterm === null || r.pod.preStopStartMs === null || r.pod.preStopEndMs === null) return [];
      const t0 = r.pod.terminatingMs!;
      return [
        {
          r,
          grace,
          hook: r.pod.preStopEndMs - r.pod.preStopStartMs,
          sigterm: sigterm - t0,
          kill: r.pod.sigkillMs! - t0,
        },
      ];
    });
    const off = rows.filter((x) => !near(x.kill, x.grace, timing, timing.killSeenLateMs));
    const m = (pick: (x: (typeof rows)[number]) => number) => median(rows.map(pick)) ?? 0;
    if (rows.length > 0) {
      const ex = rows[Math.floor((rows.length - 1) / 2)]!;
      evidence.push({
        en: `A completed preStop hook of ${s2(m((x) => x.hook))} s, then an app slower than the rest: SIGTERM at ${s2(m((x) => x.sigterm))} s, SIGKILL at ${s2(m((x) => x.kill))} s after Terminating, so the app had ${s2(m((x) => x.kill - x.sigterm))} s of the ${s2(m((x) => x.grace))} s grace period${scaleNote}; ${rows.length - off.length} of ${rows.length} pods were killed within ${s2(tolerance(ex.grace, timeScale))} s of the grace period's end.`,
        ja: `${s2(m((x) => x.hook))} 秒の preStop フックが完了し、その後アプリが残り時間より長くかかった場合: Terminating から ${s2(m((x) => x.sigterm))} 秒で SIGTERM、${s2(m((x) => x.kill))} 秒で SIGKILL。アプリに残ったのは ${s2(m((x) => x.grace))} 秒のグレース期間のうち ${s2(m((x) => x.kill - x.sigterm))} 秒でした${timeScale === 1 ? '' : `（時間倍率 ${timeScale}）`}。${rows.length} 個中 ${rows.length - off.length} 個がグレース期間の終わりから ${s2(tolerance(ex.grace, timeScale))} 秒以内に強制終了されました。`,
        link: link(ex.r, ex.r.pod.sigkillMs),
      });
      if (off.length > 0) broken = true;
    }
  } else {
    const done = pods.filter((r) => r.pod.preStopOutcome === 'completed' && sigtermSeenMs(r.pod) !== null);
    const hook = stats(done, 'preStopEnd');
    const grace = done.length > 0 ? graceMs(done[0]!, timeScale) : null;
    if (hook && grace !== null) {
      evidence.push({
        en: `preStop hooks ended ${range(hook)} after Terminating, leaving about ${s2(grace - hook.median)} s of the ${s2(grace)} s grace period; every app exited before the deadline, so the deadline itself was not seen.`,
        ja: `preStop フックは Terminating から ${rangeJa(hook)} で終わり、${s2(grace)} 秒のグレース期間のうち約 ${s2(grace - hook.median)} 秒が残りました。どのアプリも期限前に終了したため、期限そのものは観測されていません。`,
        link: exampleLink(hook),
      });
    }
    missing.push('prestop-10s');
  }
  // (b) A hook still running when the grace period ended: abandoned, SIGTERM, then SIGKILL after the 2 s extension.
  const outlived = pods.filter((r) => r.pod.preStopOutcome === 'abandoned');
  if (outlived.length > 0) {
    const rows = outlived.flatMap((r) => {
      const grace = graceMs(r, timeScale);
      const sigterm = sigtermSeenMs(r.pod);
      const t0 = r.pod.terminatingMs!;
      if (grace === null || sigterm === null || r.pod.preStopEndMs === null) return [];
      return [
        {
          r,
          grace,
          cut: r.pod.preStopEndMs - t0,
          sigterm: sigterm - t0,
          kill: r.pod.sigkillMs === null ? null : r.pod.sigkillMs - t0,
        },
      ];
    });
    const extension = 2000 * timeScale;
    const ok = rows.filter(
      (x) =>
        near(x.cut, x.grace, timing) &&
        x.kill !== null &&
        near(x.kill - x.sigterm, extension, timing, timing.killSeenLateMs),
    );
    const m = (pick: (x: (typeof rows)[number]) => number) => median(rows.map(pick)) ?? 0;
    if (rows.length > 0) {
      const ex = rows[Math.floor((rows.length - 1) / 2)]!;
      const kills = rows.filter((x) => x.kill !== null);
      evidence.push({
        en: `A preStop hook longer than the ${s2(m((x) => x.grace))} s grace period was cut at ${s2(m((x) => x.cut))} s, SIGTERM followed at ${s2(m((x) => x.sigterm))} s and SIGKILL ${kills.length > 0 ? `${s2(median(kills.map((x) => x.kill! - x.sigterm))!)} s later` : 'never'}${scaleNote}; ${ok.length} of ${rows.length} pods as the course says.`,
        ja: `${s2(m((x) => x.grace))} 秒のグレース期間より長い preStop フックは ${s2(m((x) => x.cut))} 秒で打ち切られ、${s2(m((x) => x.sigterm))} 秒で SIGTERM、${kills.length > 0 ? `その ${s2(median(kills.map((x) => x.kill! - x.sigterm))!)} 秒後に SIGKILL` : 'SIGKILL はなし'}でした。${rows.length} 個中 ${ok.length} 個が講座の説明どおりです。`,
        link: link(ex.r, ex.r.pod.preStopEndMs),
      });
      if (ok.length < rows.length) broken = true;
    }
  } else {
    missing.push('prestop-exceeds-grace');
  }
  const measureWith =
    missing.length === 0
      ? undefined
      : {
          flags: `--variants ${missing.join(',')}`,
          en:
            missing.length === 2
              ? 'no hook met the grace period in this run'
              : missing[0] === 'prestop-10s'
                ? 'the 10 s example: a completed hook and an app slower than the time left, so the deadline shows'
                : 'a hook that outlives the grace period',
          ja:
            missing.length === 2
              ? 'この実行ではグレース期間に達したフックがありません'
              : missing[0] === 'prestop-10s'
                ? '10 秒の例: フックが完了し、アプリが残り時間より遅いと期限が見えます'
                : 'グレース期間より長いフック',
        };
  if (evidence.length === 0) return { number: 4, claim, verdict: 'not-measured', evidence, measureWith };
  return {
    number: 4,
    claim,
    verdict: broken ? 'does-not-hold' : missing.length > 0 ? 'nuance' : 'holds',
    evidence,
    ...(measureWith ? { measureWith } : {}),
  };
}

/** Claim 5: an app that ignores SIGTERM is killed at the end of the grace period; its requests in flight fail. */
function claimIgnore(pods: PodRef[], timing: Timing): CourseClaim {
  const { timeScale } = timing;
  const claim = {
    en: 'An app that ignores SIGTERM is killed with SIGKILL at the end of the grace period, and its requests in flight fail.',
    ja: 'SIGTERM を無視するアプリはグレース期間の終わりに SIGKILL で強制終了され、処理中のリクエストは失敗します。',
  };
  // Killed, with no hook still running at the deadline, and the app never started to shut down.
  const ignored = pods.filter(
    (r) =>
      r.pod.sigkillMs !== null &&
      r.pod.preStopOutcome !== 'abandoned' &&
      appLog(r, 'drain-start') === null &&
      r.pod.drainDoneMs === null,
  );
  if (ignored.length === 0) {
    return notMeasured(5, claim, [], {
      flags: '--variants ignore-sigterm',
      en: 'needs an app that ignores SIGTERM',
      ja: 'SIGTERM を無視するアプリが必要です',
    });
  }
  const rows = ignored.flatMap((r) => {
    const grace = graceMs(r, timeScale);
    return grace === null ? [] : [{ r, grace, kill: r.pod.sigkillMs! - r.pod.terminatingMs! }];
  });
  const onTime = rows.filter((x) => near(x.kill, x.grace, timing, timing.killSeenLateMs));
  const codes = [...new Set(ignored.map((r) => (r.pod.exitCode === null ? '?' : String(r.pod.exitCode))))];
  const cells = [...new Set(ignored.map((r) => r.cell))];
  const killedRequests = cells.reduce((sum, c) => sum + (c.timeline?.mechanisms['killed-at-deadline'] ?? 0), 0);
  const ex = rows[Math.floor((rows.length - 1) / 2)] ?? null;
  const evidence: ClaimEvidence[] = [
    {
      en: `${ignored.length} pod(s) kept running after SIGTERM; SIGKILL came ${rows.length > 0 ? `${s2(median(rows.map((x) => x.kill))!)} s` : '?'} after Terminating (grace period ${rows.length > 0 ? `${s2(rows[0]!.grace)} s` : '?'}; ${onTime.length} of ${rows.length} on time), exit code ${codes.join(', ')}.`,
      ja: `${ignored.length} 個の Pod が SIGTERM の後も動き続け、Terminating から ${rows.length > 0 ? `${s2(median(rows.map((x) => x.kill))!)} 秒` : '?'}で SIGKILL されました（グレース期間 ${rows.length > 0 ? `${s2(rows[0]!.grace)} 秒` : '?'}、${rows.length} 個中 ${onTime.length} 個が期限どおり）。終了コード ${codes.join('、')}。`,
      ...(ex ? { link: link(ex.r, ex.r.pod.sigkillMs) } : {}),
    },
    {
      en: `Requests reset by the kill: ${killedRequests} over ${cells.length} cell(s).`,
      ja: `強制終了でリセットされたリクエスト: ${cells.length} セルで ${killedRequests} 件。`,
      link: {
        cellId: [...cells].sort(
          (a, b) =>
            (b.timeline?.mechanisms['killed-at-deadline'] ?? 0) - (a.timeline?.mechanisms['killed-at-deadline'] ?? 0),
        )[0]!.id,
      },
    },
  ];
  if (onTime.length < rows.length || rows.length === 0) return { number: 5, claim, verdict: 'does-not-hold', evidence };
  if (killedRequests === 0) {
    evidence.push({
      en: 'No request was in flight at the kill: routing had long stopped sending it new connections, so only requests on kept-alive connections could be, and none were at that moment.',
      ja: '強制終了の時点で処理中のリクエストはありませんでした。ルーティングはとうに新しい接続を送っておらず、処理中になり得るのはキープアライブ接続上のリクエストだけで、その瞬間にはありませんでした。',
    });
    return { number: 5, claim, verdict: 'nuance', evidence };
  }
  return { number: 5, claim, verdict: 'holds', evidence };
}

/** Claim 6: draining completes the requests in flight and the process exits 0. */
function claimDrain(pods: PodRef[]): CourseClaim {
  const claim = {
    en: 'Draining completes the requests in flight, and the process exits 0.',
    ja: 'ドレインにより処理中のリクエストは完了し、プロセスは終了コード 0 で終了します。',
  };
  const draining = pods.filter((r) => appLog(r, 'drain-start') !== null);
  if (draining.length === 0) {
    return notMeasured(6, claim, [], {
      flags: '--variants drain-only,prestop-drain',
      en: 'needs an app that drains on SIGTERM',
      ja: 'SIGTERM でドレインするアプリが必要です',
    });
  }
  const finished = draining.filter((r) => r.pod.drainDoneMs !== null);
  const clean = finished.filter((r) => r.pod.exitCode === 0);
  const killedAfter = finished.filter((r) => r.pod.sigkillMs !== null);
  const killedDuring = draining.filter((r) => r.pod.drainDoneMs === null && r.pod.sigkillMs !== null);
  const inFlight = draining.reduce((sum, r) => sum + Number(appLog(r, 'drain-start')?.['inFlight'] ?? 0), 0);
  const served = finished.reduce((sum, r) => sum + Number(appLog(r, 'drain-done')?.['requestsServed'] ?? 0), 0);
  // Cells whose every terminated pod drained and exited 0: no request there may have been reset by an exit.
  const cleanCells = [...new Set(clean.map((r) => r.cell))].filter((c) =>
    c.pods.every((p) => p.terminatingMs === null || (p.drainDoneMs !== null && p.exitCode === 0)),
  );
  const resets = cleanCells.reduce(
    (sum, c) =>
      sum + (c.timeline?.mechanisms['reset-on-exit'] ?? 0) + (c.timeline?.mechanisms['killed-at-deadline'] ?? 0),
    0,
  );
  const ex = clean[Math.floor((clean.length - 1) / 2)] ?? finished[0] ?? draining[0]!;
  const variantsOf = (refs: PodRef[], sep: string) => [...new Set(refs.map((r) => r.cell.variant))].join(sep);
  const evidence: ClaimEvidence[] = [
    {
      en: `${draining.length} pod(s) started a drain with ${inFlight} request(s) in flight; ${finished.length} finished it (answering ${served} request(s) while draining); ${clean.length} exited 0.`,
      ja: `${draining.length} 個の Pod が処理中のリクエスト ${inFlight} 件を抱えてドレインを始め、${finished.length} 個がドレインを終え（ドレイン中に ${served} 件に応答）、${clean.length} 個が終了コード 0 で終了しました。`,
      link: link(ex, ex.pod.drainDoneMs ?? ex.pod.exitedMs),
    },
  ];
  if (cleanCells.length > 0) {
    evidence.push({
      en: `Requests reset by a process exit in the ${cleanCells.length} cell(s) where every pod drained and exited 0: ${resets}.`,
      ja: `すべての Pod がドレインして終了コード 0 で終了した ${cleanCells.length} セルで、プロセス終了によりリセットされたリクエスト: ${resets} 件。`,
    });
  }
  if (killedAfter.length > 0) {
    const k = killedAfter[0]!;
    evidence.push({
      en: `${killedAfter.length} pod(s) finished the drain but were killed during their cleanup (${variantsOf(killedAfter, ', ')}): the grace period ended first, so the exit code was ${k.pod.exitCode ?? '?'}, not 0.`,
      ja: `${killedAfter.length} 個の Pod はドレインを終えたものの、後始末の途中で強制終了されました（${variantsOf(killedAfter, '、')}）。先にグレース期間が切れたため、終了コードは 0 ではなく ${k.pod.exitCode ?? '?'} でした。`,
      link: link(k, k.pod.sigkillMs),
    });
  }
  if (killedDuring.length > 0) {
    const k = killedDuring[0]!;
    evidence.push({
      en: `${killedDuring.length} pod(s) were killed before their drain finished (${variantsOf(killedDuring, ', ')}): a drain completes only when the grace period leaves it time.`,
      ja: `${killedDuring.length} 個の Pod はドレインが終わる前に強制終了されました（${variantsOf(killedDuring, '、')}）。ドレインが完了するのは、グレース期間に時間が残っているときだけです。`,
      link: link(k, k.pod.sigkillMs),
    });
  }
  if (resets > 0) {
    // A finished drain means the requests in flight at SIGTERM completed (drain-done waits for them); a reset there
    // hit a connection as the drain closed it, which no drain can answer.
    evidence.push({
      en: 'Every drain there finished, so the requests in flight at SIGTERM completed; the reset ones reached a connection as the drain closed it (a kept-alive connection between requests, or one still queued at the closed listener).',
      ja: 'そこでのドレインはすべて完了しており、SIGTERM の時点で処理中だったリクエストは完了しています。リセットされたのは、ドレインが接続を閉じるのと同時に届いたリクエストです（リクエストの合間のキープアライブ接続、または閉じたリスナーの待ち行列に残っていた接続）。',
    });
  }
  if (finished.length === 0) return { number: 6, claim, verdict: 'does-not-hold', evidence };
  return { number: 6, claim, verdict: clean.length < draining.length || resets > 0 ? 'nuance' : 'holds', evidence };
}

/** A rollout started by changing the pod template (the scenario logs `rollout restart`). */
const isRollingUpdate = (cell: CellResult) =>
  cell.events.some((e) => e.kind === 'scenario-action' && e.action.startsWith('rollout restart'));

/** Claim 7: a rolling update replaces old pods one at a time, each finishing before the next replacement. */
function claimOneAtATime(results: ResultsFile): CourseClaim {
  const claim = {
    en: 'A rolling update replaces old pods one at a time, and an old pod finishes before the next one is replaced.',
    ja: 'ローリングアップデートは古い Pod を 1 つずつ入れ替え、古い Pod が終わってから次を入れ替えます。',
  };
  const cells = results.cells.filter((c) => isRollingUpdate(c) && c.pods.some((p) => p.generation === 'old'));
  if (cells.length === 0) {
    return notMeasured(7, claim, [], {
      flags: '--scenarios rolling-update',
      en: 'needs a rolling update',
      ja: 'ローリングアップデートが必要です',
    });
  }
  const evidence: ClaimEvidence[] = [];
  let overlapped = false;
  // One step of the rollout replaces up to maxSurge + maxUnavailable old pods (1 with the catalog's strategy): more
  // old pods than that terminating together means the controller went on without waiting for them to finish.
  const rows = cells.map((c) => {
    const replicas = c.pods.filter((p) => p.generation === 'old').length;
    const strategy = cellStrategy(c, results);
    const step =
      (resolveStrategyValue(strategy.maxSurge, replicas, true) ?? 1) +
      (resolveStrategyValue(strategy.maxUnavailable, replicas, false) ?? 0);
    return { c, step: Math.max(1, step), peak: maxOldTerminatingAtOnce(c.pods) };
  });
  // Per variant and scenario the cell with the most at once; then variants alike grouped into one line.
  const tops = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    const key = JSON.stringify([r.c.variant, r.c.scenario, r.step]);
    const top = tops.get(key);
    if (top === undefined || r.peak.count > top.peak.count) tops.set(key, r);
  }
  const groups = new Map<string, (typeof rows)[number][]>();
  for (const r of tops.values()) {
    const key = JSON.stringify([r.c.scenario, r.step, r.peak.count]);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const group of groups.values()) {
    const { c, step, peak } = group[0]!;
    if (peak.count > step) overlapped = true;
    const names = group.map((r) => r.c.variant);
    evidence.push({
      en: `${c.scenario} (${step} per step): at most ${peak.count} old pod(s) terminating at once — ${names.join(', ')}.`,
      ja: `${c.scenario}（1 ステップ ${step} 個）: 同時に終了中だった古い Pod は最大 ${peak.count} 個 — ${names.join('、')}。`,
      link: { cellId: c.id, ...(peak.atMs === null ? {} : { atMs: peak.atMs }) },
    });
  }
  if (overlapped) {
    evidence.push({
      en: 'The Deployment controller counts only available, non-terminating pods: once a new pod is ready it deletes the next old one without waiting for the previous to exit, so a preStop hook or a slow shutdown makes old pods overlap.',
      ja: 'Deployment コントローラーは利用可能で終了中でない Pod だけを数えます。新しい Pod が Ready になると、前の Pod の終了を待たずに次の古い Pod を削除するため、preStop フックや遅い終了処理があると古い Pod が重なります。',
    });
  }
  return { number: 7, claim, verdict: overlapped ? 'does-not-hold' : 'holds', evidence };
}

/** A rolling-update field against the replica count: percentages round down for maxUnavailable, up for maxSurge. */
export function resolveStrategyValue(value: number | string, replicas: number, roundUp: boolean): number | null {
  if (typeof value === 'number') return value;
  const pct = /^(\d+)%$/.exec(value.trim());
  if (pct) return (roundUp ? Math.ceil : Math.floor)((Number(pct[1]) / 100) * replicas);
  return /^\d+$/.test(value.trim()) ? Number(value) : null;
}

/**
 * The rolling-update strategy a cell ran with: the scenario's own (its action `set rolling update strategy (maxSurge
 * 0, maxUnavailable 2)`) or else the variant's manifest (Kubernetes' defaults 25 % / 25 % when it sets none).
 */
export function cellStrategy(
  cell: CellResult,
  results: ResultsFile,
): { maxSurge: number | string; maxUnavailable: number | string } {
  const action = cell.events.find(
    (e) => e.kind === 'scenario-action' && e.action.startsWith('set rolling update strategy'),
  );
  let maxSurge: number | string = '25%';
  let maxUnavailable: number | string = '25%';
  const yamlText = results.variantInfo[cell.variant]?.manifestYaml;
  if (yamlText !== undefined) {
    for (const doc of parseAllDocuments(yamlText)) {
      const obj = doc.toJS() as { kind?: string; spec?: { strategy?: { rollingUpdate?: Record<string, unknown> } } };
      const ru = obj?.kind === 'Deployment' ? obj.spec?.strategy?.rollingUpdate : undefined;
      if (ru?.['maxSurge'] !== undefined) maxSurge = ru['maxSurge'] as number | string;
      if (ru?.['maxUnavailable'] !== undefined) maxUnavailable = ru['maxUnavailable'] as number | string;
    }
  }
  if (action?.kind === 'scenario-action') {
    const surge = /maxSurge (\S+?)[,)]/.exec(action.action);
    const unavailable = /maxUnavailable (\S+?)[,)]/.exec(action.action);
    if (surge) maxSurge = /^\d+$/.test(surge[1]!) ? Number(surge[1]) : surge[1]!;
    if (unavailable) maxUnavailable = /^\d+$/.test(unavailable[1]!) ? Number(unavailable[1]) : unavailable[1]!;
  }
  return { maxSurge, maxUnavailable };
}

/** Claim 8: a larger maxUnavailable lets more pods stop serving at once. */
function claimMaxUnavailable(results: ResultsFile): CourseClaim {
  const claim = {
    en: 'maxUnavailable: a larger value lets more pods stop serving at once during a rolling update.',
    ja: 'maxUnavailable: 値が大きいほど、ローリングアップデート中に同時に処理を止める Pod が増えます。',
  };
  type Row = {
    cell: CellResult;
    replicas: number;
    unavailable: number;
    surge: number;
    low: { count: number; atMs: number };
  };
  const rows: Row[] = [];
  for (const cell of results.cells) {
    if (!isRollingUpdate(cell) || cell.disruptionMs === null) continue;
    const replicas = cell.pods.filter((p) => p.generation === 'old').length;
    const strategy = cellStrategy(cell, results);
    const unavailable = resolveStrategyValue(strategy.maxUnavailable, replicas, false);
    const surge = resolveStrategyValue(strategy.maxSurge, replicas, true);
    // Until everything settled: the last old pod's endpoint leaves after the rollout reports complete.
    const after = (kind: string) => cell.events.find((e) => e.kind === kind && e.t >= cell.disruptionMs!)?.t;
    const done = after('settled') ?? after('rollout-complete');
    if (unavailable === null || surge === null || done === undefined) continue;
    const low = fewestReadyEndpoints(cell.events, cell.disruptionMs, done);
    if (low) rows.push({ cell, replicas, unavailable, surge, low });
  }
  const groups = new Map<number, Row[]>();
  for (const r of rows) groups.set(r.unavailable, [...(groups.get(r.unavailable) ?? []), r]);
  const evidence: ClaimEvidence[] = [...groups]
    .sort((a, b) => a[0] - b[0])
    .map(([unavailable, group]) => {
      const lowest = [...group].sort((a, b) => a.low.count - b.low.count)[0]!;
      const highest = [...group].sort((a, b) => b.low.count - a.low.count)[0]!;
      const typical = median(group.map((r) => r.low.count))!;
      const spread =
        lowest.low.count === highest.low.count
          ? `${lowest.low.count}`
          : `${typical} (median; ${lowest.low.count}–${highest.low.count})`;
      const spreadJa =
        lowest.low.count === highest.low.count
          ? `${lowest.low.count}`
          : `${typical}（中央値。${lowest.low.count}–${highest.low.count}）`;
      return {
        en: `maxUnavailable ${unavailable} (maxSurge ${lowest.surge}, ${lowest.replicas} replicas): fewest ready endpoints during the rollout ${spread} (${group.length} cell(s); the strategy allows ${Math.max(0, lowest.replicas - unavailable)}).`,
        ja: `maxUnavailable ${unavailable}（maxSurge ${lowest.surge}、${lowest.replicas} レプリカ）: ロールアウト中の Ready なエンドポイントの最小数 ${spreadJa}（${group.length} セル。strategy が許す下限は ${Math.max(0, lowest.replicas - unavailable)}）。`,
        link: { cellId: lowest.cell.id, atMs: lowest.low.atMs },
      };
    });
  const measureWith = {
    flags: '--scenarios rolling-update,rolling-update-wide',
    en: 'compares the catalog strategy (maxUnavailable 0) with a wider one (maxUnavailable 2)',
    ja: 'カタログの strategy（maxUnavailable 0）と広い strategy（maxUnavailable 2）を比べます',
  };
  if (groups.size < 2) {
    return { number: 8, claim, verdict: 'not-measured', evidence, measureWith };
  }
  // Holds when the low point falls as maxUnavailable grows. Each group's typical low point (the median over its
  // cells) is compared, so one cell whose pods all failed a probe on a busy machine does not decide the verdict.
  const lows = [...groups].sort((a, b) => a[0] - b[0]).map(([, g]) => median(g.map((r) => r.low.count))!);
  const falls = lows.every((v, i) => i === 0 || v <= lows[i - 1]!) && lows.at(-1)! < lows[0]!;
  // Fewer than the strategy allows: pods that were not terminating lost readiness (a failed probe), which
  // maxUnavailable does not bound: it only limits how many pods the controller takes down on purpose.
  const below = rows.filter((r) => r.low.count < r.replicas - r.unavailable);
  if (below.length > 0) {
    const r = below[0]!;
    evidence.push({
      en: `${below.length} cell(s) went below what the strategy allows: pods that were not being replaced failed their readiness probe (on a busy machine, a probe timeout), and maxUnavailable bounds only the pods the controller takes down.`,
      ja: `${below.length} セルで strategy が許す下限を下回りました。入れ替え対象でない Pod がレディネスプローブに失敗したためで（忙しいマシンではプローブのタイムアウト）、maxUnavailable が抑えるのはコントローラーが意図して止める Pod だけです。`,
      link: { cellId: r.cell.id, atMs: r.low.atMs },
    });
  }
  if (!falls) return { number: 8, claim, verdict: 'does-not-hold', evidence };
  return { number: 8, claim, verdict: below.length > 0 ? 'nuance' : 'holds', evidence };
}

/** Every course claim, in the course's order, judged on this run. */
export function checkCourseClaims(results: ResultsFile): CourseClaim[] {
  const done = results.cells.filter((c) => c.status === 'complete');
  const pods = observedPods(results, done);
  const timing = { timeScale: results.timeScale, killSeenLateMs: results.platform.emulated ? 0 : 1500 };
  const run = { ...results, cells: done };
  return [
    claimParallel(pods),
    claimTimeline(pods, run),
    claimPreStop(pods),
    claimGrace(pods, timing),
    claimIgnore(pods, timing),
    claimDrain(pods),
    claimOneAtATime(run),
    claimMaxUnavailable(run),
  ];
}
