import type { FailureMechanism } from '../model/results.ts';
import type { Bilingual } from '../variants/variant.ts';
import { CAUSE_EXPLANATIONS } from './cause-text.ts';

/** Short names of the failure mechanisms, for legends and lists. */
export const MECHANISM_LABELS: Record<FailureMechanism, Bilingual> = {
  'refused-before-routing': { en: 'refused before routing caught up', ja: 'ルーティング反映前の接続拒否' },
  'reset-on-exit': { en: 'reset when the process exited', ja: 'プロセス終了時のリセット' },
  'pinned-keepalive': { en: 'reset on a pinned keep-alive connection', ja: '張り付いたキープアライブ接続のリセット' },
  'killed-at-deadline': { en: 'SIGKILL at the deadline', ja: '期限切れによる SIGKILL' },
  timeout: { en: 'timeout', ja: 'タイムアウト' },
  'http-5xx': { en: 'HTTP 5xx', ja: 'HTTP 5xx' },
  other: { en: 'other error', ja: 'その他のエラー' },
};

/** Why each mechanism loses requests: the course's explanation, attached to the numbers that show it happened. */
export const MECHANISM_EXPLANATIONS: Record<FailureMechanism, Bilingual> = {
  'refused-before-routing': {
    en:
      'The pod had already closed its listener (or exited) while kube-proxy was still sending it new connections. ' +
      'Deleting a pod starts the kubelet’s shutdown and the endpoint removal at the same time, and the endpoint ' +
      'change takes a while to reach the routing rules of every node; whatever arrives in between is refused.',
    ja:
      'kube-proxy がまだ新しい接続をこの Pod に振り分けている間に、Pod 側は既にリスナーを閉じて（あるいはプロセスが' +
      '終了して）いました。Pod を削除すると、kubelet による停止処理とエンドポイントからの除外は同時に始まりますが、' +
      'エンドポイントの変更が各ノードのルーティングルールに反映されるまでには時間がかかります。その間に届いた接続は' +
      '拒否されます。',
  },
  'reset-on-exit': {
    en:
      'The process ended while requests were still in flight on its connections, so the kernel reset those ' +
      'connections and the requests failed mid-way.',
    ja:
      'リクエストを処理している最中にプロセスが終了したため、カーネルがその接続をリセットし、処理中のリクエストは' +
      '途中で失敗しました。',
  },
  'pinned-keepalive': {
    en:
      'Routing had already stopped sending new connections to the pod, but an established connection stays on its ' +
      'pod: its conntrack entry is not flushed. The client kept sending requests on its kept-alive connection, and ' +
      'they were reset when the process exited.',
    ja:
      'ルーティングは既にこの Pod へ新しい接続を振り分けていませんでしたが、確立済みの接続は conntrack のエントリが' +
      '消されないため、同じ Pod につながったままです。クライアントはそのキープアライブ接続でリクエストを送り続け、' +
      'プロセスの終了とともにリセットされました。',
  },
  'killed-at-deadline': {
    en:
      'The grace period ran out before the pod finished shutting down, so the kubelet sent SIGKILL (exit 137) and ' +
      'every connection still open at that moment was reset.',
    ja:
      'Pod の終了処理が終わる前にグレース期間が切れたため、kubelet が SIGKILL を送り（終了コード 137）、その時点で' +
      'まだ開いていた接続はすべてリセットされました。',
  },
  timeout: CAUSE_EXPLANATIONS.timeout,
  'http-5xx': CAUSE_EXPLANATIONS['http-5xx'],
  other: CAUSE_EXPLANATIONS.other,
};
