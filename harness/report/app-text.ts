import { recommendForApp, type AppRecommendation, type VariantLoss } from '../analysis/app-recommendation.ts';
import { FAILURE_MECHANISMS } from '../analysis/request-timeline.ts';
import { showCommand } from '../app/app-spec.ts';
import type { ResultsFile } from '../model/results.ts';
import type { Bilingual } from '../variants/variant.ts';
import { MECHANISM_LABELS } from './mechanism-text.ts';
import { shutdownSentences } from '../app/describe-shutdown.ts';

// The words of the app section, shared by index.html (html-app.ts) and summary.md, in both languages.

const int = (n: number) => n.toLocaleString('en-US');
const pct = (failed: number, total: number) => (total === 0 ? '0.00 %' : `${((failed / total) * 100).toFixed(2)} %`);

/** How the variant's loss happened, by mechanism (most first). */
export function mechanismList(loss: VariantLoss): Bilingual[] {
  return FAILURE_MECHANISMS.filter((m) => loss.mechanisms[m] > 0)
    .sort((a, b) => loss.mechanisms[b] - loss.mechanisms[a])
    .map((m) => ({
      en: `${MECHANISM_LABELS[m].en}: ${int(loss.mechanisms[m])}`,
      ja: `${MECHANISM_LABELS[m].ja}: ${int(loss.mechanisms[m])} 件`,
    }));
}

/** The app as given, in one line. */
export function appLine(results: ResultsFile): Bilingual | undefined {
  const manifest = results.appManifest;
  if (manifest) {
    const r = manifest.request;
    const text =
      `Deployment \`${manifest.deployment}\` (${manifest.source}), container \`${manifest.container}\`, ` +
      `Service \`${manifest.service}\` port ${manifest.servicePort}, load \`${r.method} ${r.path}\``;
    return { en: `Your app: ${text}.`, ja: `あなたのアプリ: ${text}。` };
  }
  const app = results.app;
  if (!app) return undefined;
  const r = app.spec.request;
  const text = `\`${showCommand(app.spec.command)}\`, readiness \`${app.spec.readinessPath}\`, load \`${r.method} ${r.path}\``;
  return { en: `Your app: ${text}.`, ja: `あなたのアプリ: ${text}。` };
}

/** The verdict on the app as given (`asIs`), then the change that removed the loss or why none can (`fix`). */
export function verdictSentences(rec: AppRecommendation): { asIs: Bilingual[]; fix: Bilingual[] } {
  const out: Bilingual[] = [];
  const { asIs, fix } = rec;
  if (asIs === undefined) {
    out.push({
      en: 'app-as-is did not run, so there is no measurement of the app as given.',
      ja: 'app-as-is を実行していないため、与えられたままのアプリの測定はありません。',
    });
  } else if (asIs.failed === 0) {
    out.push({
      en: `As given, your app lost no request (0 of ${int(asIs.requests)} over ${asIs.cells} cell(s)).`,
      ja: `与えられたままで、リクエストは失われませんでした（${asIs.cells} セル、${int(asIs.requests)} 件中 0 件）。`,
    });
  } else {
    out.push({
      en: `As given, your app lost ${int(asIs.failed)} of ${int(asIs.requests)} requests (${pct(asIs.failed, asIs.requests)}) over ${asIs.cells} cell(s).`,
      ja: `与えられたままでは、${asIs.cells} セルで ${int(asIs.requests)} 件中 ${int(asIs.failed)} 件（${pct(asIs.failed, asIs.requests)}）のリクエストが失われました。`,
    });
  }
  const asIsPart = out.splice(0);
  if (rec.fixIsInTheApp) {
    // app-as-is keeps Kubernetes' default grace period.
    const grace = 30;
    if (asIs && asIs.sigkilled > 0) {
      const settled =
        asIs.settledSeconds === null ? '' : `; the rollout settled after ${asIs.settledSeconds.toFixed(1)} s`;
      const settledJa =
        asIs.settledSeconds === null ? '' : `。ロールアウトが収束したのは ${asIs.settledSeconds.toFixed(1)} 秒後でした`;
      out.push({
        en: `Measured in this run: ${asIs.sigkilled} pod(s) of app-as-is were killed with SIGKILL${settled} (mean).`,
        ja: `この実行での実測: app-as-is の Pod ${asIs.sigkilled} 個が SIGKILL で強制終了されました${settledJa}（平均）。`,
      });
    }
    out.push({
      en:
        `What ignoring SIGTERM costs: every old pod lives the whole grace period (${grace} s) before SIGKILL, so a ` +
        'rollout holds old pods that long, and requests still on their kept-alive connections at SIGKILL are reset. ' +
        'No manifest change fixes this: the fix is in the app — start it with exec (`exec python3 app.py` in the ' +
        'script, or the command itself as the container command), forward SIGTERM with a trap, or run an init such ' +
        'as tini. A preStop sleep still removes refusals, but not the SIGKILL.',
      ja:
        `SIGTERM を無視する代償: 古い Pod はどれも SIGKILL までグレース期間（${grace} 秒）いっぱい生き続けるため、ロールアウト中は` +
        'その間古い Pod が残り、SIGKILL の時点でキープアライブ接続上にあるリクエストはリセットされます。マニフェストの変更では直りません。' +
        '直すべきはアプリです。exec で起動する（スクリプト内で `exec python3 app.py`、またはコマンドそのものをコンテナのコマンドにする）、' +
        'trap で SIGTERM を転送する、tini のような init を使う、のいずれかです。preStop の sleep で接続拒否は防げますが、SIGKILL は防げません。',
    });
  } else if (fix) {
    out.push({
      en: `${fix.variant} removed the loss: 0 of ${int(fix.requests)} requests failed over ${fix.cells} cell(s). The change to apply to your Deployment:`,
      ja: `${fix.variant} で損失がなくなりました（${fix.cells} セル、${int(fix.requests)} 件中 0 件の失敗）。Deployment に適用する変更:`,
    });
  } else if (asIs !== undefined && asIs.failed > 0) {
    out.push({
      en: 'None of the derived variants that ran lost nothing over all its cells; see the variants below for how each lost requests.',
      ja: '実行した派生バリアントのうち、すべてのセルで損失ゼロだったものはありません。各バリアントの損失の仕方は下のバリアントの節を参照してください。',
    });
    const best = rec.best;
    if (best && best.failed > 0 && best.mechanisms['refused-before-routing'] === 0) {
      // The preStop removed the race with routing; what is left is the app's own exit under open connections.
      out.push({
        en: `${best.variant} removed every refusal (${int(best.failed)} of ${int(best.requests)} requests still failed). What is left are requests cut when the app exited with connections still open — kept-alive connections stay on a pod after routing stopped sending it new ones. No manifest change fixes that: on SIGTERM the app must drain (finish the requests in flight, answer with \`Connection: close\`, close idle connections, then exit).`,
        ja: `${best.variant} で接続拒否はなくなりました（${int(best.requests)} 件中 ${int(best.failed)} 件はまだ失敗）。残っているのは、接続が開いたままアプリが終了して切れたリクエストです。キープアライブ接続は、ルーティングが新しい接続を送らなくなった後もその Pod に残ります。これはマニフェストの変更では直りません。SIGTERM を受けたらアプリがドレインする（処理中のリクエストを終え、\`Connection: close\` で応答し、アイドルな接続を閉じてから終了する）必要があります。`,
      });
    }
  }
  return { asIs: asIsPart, fix: out };
}

/** Notes on the patch: what the native sleep needs, and the time scale. */
export function patchNotes(results: ResultsFile): Bilingual[] {
  // A manifest's patch names its own Deployment and container; a command line's names drainlab's.
  const rename = results.appManifest
    ? { en: '', ja: '' }
    : {
        en: ' Replace `web` and `app` with your Deployment’s and container’s names.',
        ja: '`web` と `app` はあなたの Deployment とコンテナの名前に置き換えてください。',
      };
  const notes: Bilingual[] = [
    {
      en:
        'The native preStop `sleep` action needs Kubernetes 1.30 or later (beta, on by default; GA in 1.34); on older ' +
        'clusters use `exec: {command: ["sleep", "N"]}`, which needs a `sleep` binary in the image.' +
        rename.en,
      ja:
        'ネイティブの preStop `sleep` アクションには Kubernetes 1.30 以降が必要です（ベータで既定有効、1.34 で GA）。それより古い' +
        'クラスタでは `exec: {command: ["sleep", "N"]}` を使います（イメージに `sleep` が必要です）。' +
        rename.ja,
    },
  ];
  if (results.timeScale !== 1) {
    notes.push({
      en: `This run used time scale ${results.timeScale}: the cluster’s durations were compressed, your app’s own times were not; confirm at time scale 1.`,
      ja: `この実行は時間倍率 ${results.timeScale} でした。クラスタ側の時間は圧縮されましたが、アプリ自身の時間は圧縮されていません。時間倍率 1 で確認してください。`,
    });
  }
  return notes;
}

/**
 * What the app as given did on SIGTERM, measured in the cells (a manifest on a real cluster is not started before
 * the run): how its stopped pods ended and how long after Terminating.
 */
export function cellShutdownSentences(results: ResultsFile): Bilingual[] {
  const pods = results.cells
    .filter((c) => c.variant === 'app-as-is')
    .flatMap((c) => c.pods.filter((p) => p.terminatingMs !== null && p.exitedMs !== null));
  if (pods.length === 0) {
    return [{ en: 'No pod of app-as-is was seen to exit.', ja: 'app-as-is の Pod の終了は観測されませんでした。' }];
  }
  const codes = new Map<string, number>();
  for (const p of pods) codes.set(String(p.exitCode), (codes.get(String(p.exitCode)) ?? 0) + 1);
  const after = pods.map((p) => (p.exitedMs! - p.terminatingMs!) / 1000).sort((a, b) => a - b);
  const mid = after[Math.floor((after.length - 1) / 2)]!;
  const list = [...codes].map(([code, n]) => `${code} ×${n}`).join(', ');
  const meaning: Bilingual[] = [];
  if (codes.has('143')) {
    meaning.push({
      en: '143 is 128 + 15: the app ended on SIGTERM itself, without a handler that drains.',
      ja: '143 は 128 + 15 で、アプリは SIGTERM そのもので終了しました（ドレインするハンドラがありません）。',
    });
  }
  if (codes.has('137')) {
    meaning.push({
      en: '137 is SIGKILL at the end of the grace period: the app did not stop on SIGTERM.',
      ja: '137 はグレース期間の終わりの SIGKILL で、アプリが SIGTERM で止まらなかったことを示します。',
    });
  }
  return [
    {
      en: `Its ${pods.length} stopped pod(s) exited with ${list}, ${mid.toFixed(1)} s after Terminating (median; ${after[0]!.toFixed(1)}–${after.at(-1)!.toFixed(1)} s).`,
      ja: `停止した ${pods.length} 個の Pod の終了コードは ${list}、Terminating から ${mid.toFixed(1)} 秒後でした（中央値。${after[0]!.toFixed(1)}–${after.at(-1)!.toFixed(1)} 秒）。`,
    },
    ...meaning,
  ];
}

/** summary.md lines for an app run (empty otherwise). */
export function appSummaryLines(results: ResultsFile): string[] {
  const rec = recommendForApp(results);
  const line = appLine(results);
  if (!rec || !line) return [];
  const lines = ['## Your app', '', line.en, ''];
  if (results.app) {
    const measured = shutdownSentences(results.app.shutdown).map((s) => s.en);
    lines.push(
      `**On SIGTERM (measured before the run):** \`${results.app.shutdown.behaviour}\`. ${measured.join(' ')}`,
      '',
    );
  } else {
    const measured = cellShutdownSentences(results).map((s) => s.en);
    lines.push(`**On SIGTERM (measured in the cells):** ${measured.join(' ')}`, '');
  }
  const verdict = verdictSentences(rec);
  lines.push(...verdict.asIs.map((s) => s.en), '');
  if (rec.asIs && rec.asIs.failed > 0) lines.push(...mechanismList(rec.asIs).map((m) => `- ${m.en}`), '');
  lines.push(...verdict.fix.map((s) => s.en), '');
  if (rec.patch) {
    lines.push('```yaml', rec.patch.yaml.trimEnd(), '```', '', '```sh', rec.patch.command, '```', '');
    lines.push(...patchNotes(results).map((n) => n.en), '');
  }
  return lines;
}
