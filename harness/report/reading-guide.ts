import type { ClaimVerdict } from '../analysis/course-claims.ts';
import type { DistinctionReason } from '../analysis/distinguish.ts';
import type { Verdict } from '../analysis/verdicts.ts';
import type { Bilingual } from '../variants/variant.ts';

/**
 * The words every output uses to explain results (index.html, summary.md, junit.xml), kept in one place so they
 * never drift apart. The verdict words are the Verdict values themselves, as the console prints them.
 */

/** Marks the recommended variant (expected to lose no request) in every output. */
export const RECOMMENDED_MARK = '★';

/** The name of the uncertainty shown beside an error rate. */
export const INTERVAL_NAME: Bilingual = { en: '95 % interval', ja: '95 % 区間' };

/** A short Japanese gloss shown beside each verdict word (the word itself stays as the console prints it). */
export const VERDICT_GLOSS_JA: Record<Verdict, string> = {
  'no-loss': '損失なし',
  'loses-requests': '損失あり',
  incomplete: '判定なし',
};

/** What each verdict means and what to do about it. */
export const VERDICT_MEANINGS: Record<Verdict, Bilingual> = {
  'no-loss': {
    en:
      'every repetition ran to the end and not one request failed. The 95 % interval still reaches above 0 ' +
      '(0 of 3,000 allows a true rate up to about 0.13 %); more requests or repetitions lower it.',
    ja:
      'すべての繰り返しが最後まで実行され、失敗したリクエストは 1 件もありませんでした。それでも 95 % 区間の上限は 0 を' +
      '超えます（3,000 件中 0 件なら、真の失敗率は約 0.13 % までありえます）。リクエスト数や繰り返しを増やすと上限は下がります。',
  },
  'loses-requests': {
    en:
      'at least one request failed, in any repetition. One failed request is enough: it is a request a user would ' +
      'have lost. For the recommended ★ variant this is not expected: open the cell’s timeline to see when and why ' +
      'it failed, and run again with `--repeat 5` to see whether it recurs.',
    ja:
      'どれかの繰り返しで、少なくとも 1 件のリクエストが失敗しました。1 件でもこの判定になります。利用者から見れば失われた' +
      'リクエストだからです。推奨の ★ バリアントでは想定外の結果なので、そのセルのタイムラインでいつ・なぜ失敗したかを確認し、' +
      '`--repeat 5` で再実行して再現するかを確かめてください。',
  },
  incomplete: {
    en:
      'a repetition is missing, failed, was interrupted, or measured no request, so no claim is made either way ' +
      '(the numbers shown are partial). The list of incomplete cells says why; fix the cause (or let the run ' +
      'finish) and run again.',
    ja:
      '繰り返しのどれかが欠けている、失敗した、中断された、またはリクエストを 1 件も計測しなかったため、どちらの判定も' +
      'しません（表示される数値は途中までのものです）。理由は「不完全なセル」の一覧にあります。原因を取り除いて' +
      '（または実行を最後まで終えて）から、もう一度実行してください。',
  },
};

/** The verdict table's columns whose meaning is not obvious (rollout and settled are in TIME_DEFINITIONS). */
export const COLUMN_MEANINGS: { recommended: Bilingual; errorRate: Bilingual; latency: Bilingual } = {
  recommended: {
    en: 'the recommended variant: expected to lose no request.',
    ja: '推奨のバリアントです。リクエストを 1 件も失わない想定です。',
  },
  errorRate: {
    en: 'failed ÷ requests, pooled over the repetitions, with the 95 % interval (Wilson score interval) of the true rate.',
    ja: '失敗数 ÷ リクエスト数を繰り返し全体で合算した値と、真の率がありうる範囲を示す 95 % 区間（Wilson スコア区間）です。',
  },
  latency: {
    en: 'latency of the successful requests: each cell’s percentile, then the median over repetitions.',
    ja: '成功したリクエストのレイテンシです。セルごとのパーセンタイルを、繰り返し間で中央値にしたものです。',
  },
};

/** The verdict words in the order they are explained. */
export const VERDICTS: readonly Verdict[] = ['no-loss', 'loses-requests', 'incomplete'];

/**
 * Rollout and settled, as analyze-cell measures them: from the disruption to the first `rollout-complete` event
 * (emitted by the Deployment controller) and to the harness's `settled` event.
 */
export const TIME_DEFINITIONS: { rollout: Bilingual; settled: Bilingual; slow: Bilingual } = {
  rollout: {
    en:
      'seconds from the disruption until the Deployment reports its rollout complete: every wanted replica updated ' +
      'and available, no old replica counted (what `kubectl rollout status` waits for). A Pod that is already ' +
      'Terminating no longer counts, so this time does not wait for old Pods to stop.',
    ja:
      '障害操作から、Deployment がロールアウト完了を報告するまでの秒数です。必要なレプリカがすべて更新済みかつ利用可能で、' +
      '古いレプリカが数に含まれない状態を指します（`kubectl rollout status` が待つ条件）。既に Terminating の Pod は' +
      '数に含まれないため、この時間は古い Pod の停止を待ちません。',
  },
  settled: {
    en:
      'seconds from the disruption until every Pod the disruption stopped is gone: the rollout is complete, no Pod ' +
      'is Terminating, and only the wanted replicas are left. This is the cell’s quiet state; the gap between ' +
      'rollout and settled is how long old Pods were still shutting down.',
    ja:
      '障害操作から、停止対象の Pod がすべて消えるまでの秒数です。ロールアウトが完了し、Terminating の Pod がなく、' +
      '必要な数のレプリカだけが残った状態で、これがセルの落ち着いた状態です。ロールアウトと収束の差が、古い Pod が' +
      'まだ終了処理中だった時間です。',
  },
  slow: {
    en:
      'Which one is slow: with ignore-sigterm the rollout completes in seconds, like the other variants, because the ' +
      'Deployment controller does not wait for terminating Pods. Settled comes a whole grace period later (30 s, ' +
      'multiplied by the time scale): each old Pod ignores SIGTERM and lives until the kubelet sends SIGKILL at the ' +
      'end of its grace period.',
    ja:
      'どちらが遅くなるか: ignore-sigterm でも、Deployment コントローラーは終了中の Pod を待たないため、ロールアウトは' +
      '他のバリアントと同じく数秒で完了します。遅くなるのは収束で、グレース期間をまるごと（30 秒に時間倍率を掛けた分）' +
      '待ちます。古い Pod は SIGTERM を無視し、グレース期間の終わりに kubelet が SIGKILL を送るまで動き続けるからです。',
  },
};

/** How a single failed request turns into a verdict, and how to read it beside its interval. */
export const ONE_FAILURE: Bilingual = {
  en:
    'The verdict counts requests, not rates: a single failed request makes a variant × scenario `loses-requests`, ' +
    'however small its error rate, and `no-loss` needs every request of every repetition to succeed. The 95 % ' +
    'interval says how large the true loss rate may be given what was measured: 1 failed of 407 is 0.25 % ' +
    '(0.043–1.38 %), 0 of 407 is 0 % (0–0.94 %). The two verdicts differ, yet their intervals overlap: the rates ' +
    'cannot be told apart, and more repetitions decide whether that one failure was a rare event or a pattern.',
  ja:
    '判定は率ではなく件数で決まります。失敗が 1 件でもあれば、失敗率がどれほど小さくてもそのバリアント × シナリオは ' +
    '`loses-requests` になり、`no-loss` になるのはすべての繰り返しのすべてのリクエストが成功したときだけです。95 % 区間は、' +
    '計測結果から真の失敗率がどこまでありうるかを示します。407 件中 1 件の失敗なら 0.25 %（0.043–1.38 %）、407 件中 0 件' +
    'なら 0 %（0–0.94 %）です。判定は異なっても区間は重なっているので、率としては区別できません。その 1 件がまれな出来事か' +
    '傾向かは、繰り返しを増やすとわかります。',
};

/** What "N variant pairs cannot be told apart" means and what to do about it. */
export const TOLD_APART: Bilingual = {
  en:
    'For each scenario, two variants are told apart when the 95 % intervals of their error rates do not overlap ' +
    '(and, with two or more repetitions, their per-repetition error rates do not overlap either). When they overlap, ' +
    'the difference measured may be chance: this does not mean the variants are equal, only that this run cannot ' +
    'show a difference. Two variants that both lost nothing can never be told apart. To narrow the intervals, run ' +
    'more repetitions: `--repeat 5` for a course (about five times as long), or a longer `--duration`.',
  ja:
    'シナリオごとに、2 つのバリアントのエラー率の 95 % 区間が重ならない場合（繰り返しが 2 回以上なら、繰り返しごとの' +
    'エラー率の範囲も重ならない場合）に区別できたとみなします。重なる場合、計測された差は偶然の範囲かもしれません。' +
    'バリアントが同等だという意味ではなく、この実行では差を示せないという意味です。どちらも 1 件も失わなかった' +
    '2 つのバリアントは区別できません。区間を狭めるには繰り返しを増やします。授業では `--repeat 5`（実行時間は約 5 倍）、' +
    'または `--duration` を長くしてください。',
};

/** Each DistinctionReason that leaves a pair undecided, in words. */
export const UNDECIDED_REASONS: Record<DistinctionReason, Bilingual> = {
  'no-data': { en: 'no complete repetition to compare', ja: '比較できる完了した繰り返しがありません' },
  'intervals-overlap': { en: 'the 95 % intervals overlap', ja: '95 % 区間が重なっています' },
  'repetitions-overlap': {
    en: 'the pooled intervals are apart, but the per-repetition rates overlap',
    ja: '合算した区間は離れていますが、繰り返しごとの率の範囲が重なっています',
  },
  'pooled-only': {
    en: 'told apart by the pooled requests; run-to-run variation unknown (use --repeat)',
    ja: '合算したリクエストでは区別できますが、実行ごとのばらつきは不明です（--repeat を使ってください）',
  },
  'every-repetition': { en: 'told apart in every repetition', ja: 'すべての繰り返しで区別できます' },
};

/** The verdict words of a course claim, shared by the HTML report and summary.md. */
export const CLAIM_VERDICT_TEXT: Record<ClaimVerdict, Bilingual> = {
  holds: { en: 'holds', ja: '成り立つ' },
  nuance: { en: 'holds, with a nuance', ja: '条件付きで成り立つ' },
  'does-not-hold': { en: 'does not hold', ja: '成り立たない' },
  'not-measured': { en: 'not measured by this run', ja: 'この実行では未測定' },
};
