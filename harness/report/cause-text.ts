import type { FailureCause } from '../model/sample.ts';
import type { Bilingual } from '../variants/variant.ts';

/** What each failure cause means, for readers of the report (design §6: the vocabulary is explained). */
export const CAUSE_EXPLANATIONS: Record<FailureCause, Bilingual> = {
  refused: {
    en:
      'Connection refused: routing still sent a new connection to the pod, but nothing was listening any more ' +
      '(the server had closed its listener, or the process was gone).',
    ja:
      '接続拒否: ルーティングがまだ新しい接続をその Pod に送ったが、待ち受けが既に閉じられていた' +
      '（サーバーがリスナーを閉じた、またはプロセスが終了していた）。',
  },
  reset: {
    en:
      'Connection reset: the process exited or the socket was destroyed while the request was in flight, ' +
      'typically a kept-alive connection still pinned to a pod that stopped.',
    ja:
      '接続リセット: リクエストの処理中にプロセスが終了した、またはソケットが破棄された。' +
      '多くは、停止した Pod に張り付いたままのキープアライブ接続で起きる。',
  },
  timeout: {
    en: 'Timeout: no response within the request timeout, e.g. the pod stopped answering without closing the connection.',
    ja: 'タイムアウト: 制限時間内に応答がなかった（Pod が接続を閉じないまま応答しなくなった場合など）。',
  },
  'http-5xx': {
    en: 'HTTP 5xx: a response arrived, but with a server-error status, e.g. work rejected while shutting down.',
    ja: 'HTTP 5xx: 応答は返ったが、サーバーエラーのステータスだった（シャットダウン中に処理を拒否した場合など）。',
  },
  other: {
    en: 'Other: any other client-side error, such as a malformed response or an unexpected status.',
    ja: 'その他: 上記以外のクライアント側のエラー（不正な応答、想定外のステータスなど）。',
  },
};
