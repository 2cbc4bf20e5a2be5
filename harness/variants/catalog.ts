import type { Variant } from './variant.ts';
import type { WorkloadKnobs } from './workload-template.ts';
import { workloadTemplate } from './workload-template.ts';

function variant(knobs: WorkloadKnobs, text: Pick<Variant, 'summary' | 'expectation' | 'expectedSafe'>): Variant {
  return { name: knobs.name, ...text, ...workloadTemplate(knobs) };
}

/** The default matrix (design §4), in report order. Names are a contract: reports and outside checks use them. */
const DEFAULT_VARIANTS: readonly Variant[] = [
  variant(
    { name: 'baseline', shutdownMode: 'exit' },
    {
      expectedSafe: false,
      summary: {
        en: 'No preStop hook; the app exits as soon as it receives SIGTERM.',
        ja: 'preStop フックなし。アプリは SIGTERM を受け取るとすぐに終了します。',
      },
      expectation: {
        en:
          'Errors (refused and reset). Deleting a Pod starts the kubelet shutdown and the endpoint removal in ' +
          'parallel. The process exits the moment SIGTERM arrives, but kube-proxy keeps routing new connections to ' +
          'the Pod until it has applied the endpoint change, so those connections are refused; requests in flight ' +
          'on the exiting process, including those on keep-alive connections, are reset.',
        ja:
          'エラー（接続拒否とリセット）が発生します。Pod が削除されると、kubelet による停止処理とエンドポイントからの除外は' +
          '並行して始まります。プロセスは SIGTERM を受けた瞬間に終了しますが、kube-proxy がエンドポイントの変更を反映する' +
          'までは新しい接続がまだこの Pod に振り分けられるため、その接続は拒否されます。キープアライブ接続上のものも含め、' +
          '処理中だったリクエストはプロセスの終了とともにリセットされます。',
      },
    },
  ),
  variant(
    { name: 'drain-only', shutdownMode: 'drain' },
    {
      expectedSafe: false,
      summary: {
        en: 'No preStop hook; on SIGTERM the app drains gracefully before exiting.',
        ja: 'preStop フックなし。SIGTERM を受けるとグレースフルシャットダウンを行ってから終了します。',
      },
      expectation: {
        en:
          'Fewer errors, but not zero. In-flight requests complete and keep-alive connections are closed after a ' +
          'response with `Connection: close`, so resets mostly disappear. But the listener closes as soon as SIGTERM ' +
          'arrives, while kube-proxy still sends new connections to the Pod until the endpoint removal reaches it ' +
          '(around a second); those connections are refused.',
        ja:
          'エラーは減りますが、ゼロにはなりません。処理中のリクエストは最後まで処理され、キープアライブ接続も ' +
          '`Connection: close` を付けて応答してから閉じるため、リセットはほぼなくなります。しかし SIGTERM を受けた時点で' +
          'リスナーが閉じる一方、エンドポイントからの除外が kube-proxy に反映されるまで（1 秒前後）は新しい接続がこの Pod に' +
          '振り分けられ続けるため、その接続は拒否されます。',
      },
    },
  ),
  variant(
    { name: 'prestop-only', shutdownMode: 'exit', preStop: { sleepSeconds: 5 } },
    {
      expectedSafe: false,
      summary: {
        en: 'preStop hook `sleep 5`; after it, the app exits at once on SIGTERM.',
        ja: 'preStop フックで 5 秒 sleep し、その後 SIGTERM を受けたアプリは即座に終了します。',
      },
      expectation: {
        en:
          'About zero errors without keep-alive, errors with it. The 5 s sleep delays SIGTERM until kube-proxy has ' +
          'stopped routing new connections to the Pod. Established connections, however, stay on the Pod (conntrack ' +
          'entries are not flushed), so keep-alive clients keep sending requests to it; when the process exits, ' +
          'those connections are reset and the requests in flight on them fail.',
        ja:
          'キープアライブ接続を使わなければエラーはほぼゼロですが、使うとエラーが出ます。preStop フックの 5 秒の sleep で' +
          ' SIGTERM が遅れ、その間に kube-proxy は新しい接続の振り分けを止めます。ただし確立済みの TCP 接続は conntrack の' +
          'エントリが消されないため同じ Pod につながったままで、キープアライブ接続のクライアントはこの Pod にリクエストを' +
          '送り続けます。プロセスが即座に終了すると、これらの接続はリセットされ、処理中のリクエストは失敗します。',
      },
    },
  ),
  variant(
    { name: 'prestop-drain', shutdownMode: 'drain', preStop: { sleepSeconds: 5 } },
    {
      expectedSafe: true,
      summary: {
        en: 'preStop hook `sleep 5`, then a graceful drain on SIGTERM: the recommended setup.',
        ja: 'preStop フックで 5 秒 sleep した後、SIGTERM でグレースフルシャットダウンを行います。推奨の構成です。',
      },
      expectation: {
        en:
          'Zero errors. During the preStop sleep the Pod keeps serving while the endpoint removal reaches ' +
          'kube-proxy, so by the time SIGTERM arrives no new connection is routed to it. The drain then completes ' +
          'in-flight requests, closes keep-alive connections after answering with `Connection: close`, and exits 0 ' +
          'well within the 30 s grace period.',
        ja:
          'エラーはゼロになります。preStop フックの sleep の間も Pod はリクエストを処理し続け、その間にエンドポイントからの' +
          '除外が kube-proxy まで反映されるため、SIGTERM が届く頃には新しい接続はもう振り分けられません。続く' +
          'グレースフルシャットダウンで処理中のリクエストを完了させ、キープアライブ接続は `Connection: close` を付けて' +
          '応答してから閉じ、30 秒のグレース期間内に終了コード 0 で終了します。',
      },
    },
  ),
  variant(
    { name: 'ignore-sigterm', shutdownMode: 'ignore' },
    {
      expectedSafe: false,
      summary: {
        en: 'No preStop hook; the app ignores SIGTERM, like a PID 1 process without a signal handler.',
        ja: 'preStop フックなし。シグナルハンドラを持たない PID 1 のプロセスと同じく、アプリは SIGTERM を無視します。',
      },
      expectation: {
        en:
          'Few errors, but the old Pods linger. The process keeps serving after SIGTERM, so kube-proxy has long ' +
          'stopped routing new connections to it when the kubelet sends SIGKILL at the end of the 30 s grace period ' +
          '(exit 137). Keep-alive connections still open at that moment are reset. The rollout itself completes in ' +
          'seconds, as for the other variants: the Deployment controller does not wait for terminating Pods. What is ' +
          'slow is settling: every old Pod keeps running until the SIGKILL, so the cell settles only a whole grace ' +
          'period (30 s) after the last old Pod was deleted.',
        ja:
          'エラーは少ないものの、古い Pod がなかなか消えません。SIGTERM を受けてもプロセスは処理を続けるため、30 秒の' +
          'グレース期間が切れて kubelet が SIGKILL を送る頃（終了コード 137）には、kube-proxy はとうに新しい接続の振り分けを' +
          '止めています。ただしその時点で残っているキープアライブ接続はリセットされます。Deployment コントローラーは終了中の' +
          ' Pod を待たないため、ロールアウト自体は他のバリアントと同じく数秒で完了します。遅いのは収束です。古い Pod は' +
          ' SIGKILL まで動き続けるため、最後の古い Pod が削除されてからグレース期間（30 秒）がまるごと経つまで収束しません。',
      },
    },
  ),
  variant(
    {
      name: 'prestop-exceeds-grace',
      shutdownMode: 'drain',
      preStop: { execSleepSeconds: 40 },
      terminationGracePeriodSeconds: 30,
      // Its shutdown needs longer than the kubelet's 2 s extension: 5 s of cleanup after the drain.
      cleanupMs: 5000,
    },
    {
      expectedSafe: false,
      summary: {
        en: 'preStop hook `exec sleep 40` with a 30 s grace period; the app would drain on SIGTERM but has no time to.',
        ja:
          'preStop フックで exec により 40 秒 sleep し、グレース期間は 30 秒です。アプリは SIGTERM で' +
          'グレースフルシャットダウンする作りですが、その時間が残りません。',
      },
      expectation: {
        en:
          'Killed, and slow to settle. preStop time counts against the grace period: the kubelet waits for the hook ' +
          'until the 30 s are used up, then grants one 2 s extension in which the container gets SIGTERM, and sends ' +
          'SIGKILL when it ends (exit 137). The app needs about 5 s after SIGTERM (drain, then cleanup such as flushing ' +
          'buffers); it gets 2 s and never finishes. Requests still in flight at the kill are reset. The rollout itself ' +
          'completes in seconds (the Deployment controller does not wait for terminating Pods), but each old Pod ' +
          'stays for the whole 32 s until the SIGKILL. The native sleep action cannot express this case (the API ' +
          'rejects sleep seconds above the grace period), so the hook runs `sleep` with exec.',
        ja:
          '強制終了され、収束も遅くなります。preStop フックの実行時間もグレース期間に含まれます。kubelet はグレース' +
          '期間の 30 秒を使い切るまでフックの終了を待ち、その後に一度だけ 2 秒の延長を与えます。SIGTERM はこの延長の中で' +
          '送られ、延長が終わると SIGKILL で強制終了されます（終了コード 137）。このアプリは SIGTERM の後、接続のドレインと' +
          'バッファのフラッシュなどの後始末に約 5 秒を必要としますが、2 秒しか与えられず、終了処理は完了しません。強制終了の' +
          '時点で処理中のリクエストはリセットされます。ロールアウト自体は数秒で完了しますが（Deployment コントローラーは終了中の' +
          ' Pod を待ちません）、古い Pod は SIGKILL までの 32 秒間残り続けます。なお、ネイティブの' +
          ' sleep アクションはグレース期間を超える秒数を API が受け付けないため、この構成では exec で sleep コマンドを実行' +
          'しています。',
      },
    },
  ),
];

/**
 * Catalog variants outside the default matrix: each measures one course claim the default run leaves open
 * (`--course` or `--variants` runs them).
 */
const EXTRA_VARIANTS: readonly Variant[] = [
  variant(
    {
      name: 'prestop-10s',
      shutdownMode: 'drain',
      preStop: { sleepSeconds: 10 },
      terminationGracePeriodSeconds: 30,
      // A slow shutdown: about 1 s of drain, then 24 s of cleanup; 25 s in all, declared for `drainlab check`.
      cleanupMs: 24_000,
      shutdownSeconds: 25,
    },
    {
      expectedSafe: false,
      summary: {
        en: 'preStop hook `sleep 10`, grace period 30 s, and an app that needs 25 s after SIGTERM to shut down.',
        ja: 'preStop フックで 10 秒 sleep し、グレース期間は 30 秒、アプリは SIGTERM の後の終了処理に 25 秒かかります。',
      },
      expectation: {
        en:
          'No request lost, but the shutdown is cut short. The grace period starts when the Pod is deleted, not at ' +
          'SIGTERM: the 10 s preStop hook uses a third of the 30 s, SIGTERM arrives at about 10 s, and the app has ' +
          'the remaining 20 s. It drains in about a second, but its cleanup needs 24 s more, so the kubelet sends ' +
          'SIGKILL at 30 s (exit 137) before the cleanup ends. The fix is a grace period of at least preStop plus ' +
          'shutdown time (here 10 + 25 = 35 s, so 40 s).',
        ja:
          'リクエストは失われませんが、終了処理は途中で打ち切られます。グレース期間は SIGTERM からではなく Pod の削除から' +
          '数えます。10 秒の preStop フックが 30 秒のうち 3 分の 1 を使い、SIGTERM は約 10 秒後に届き、アプリに残るのは' +
          '残りの 20 秒です。ドレインは 1 秒ほどで終わりますが、後始末にさらに 24 秒かかるため、後始末が終わる前に 30 秒の' +
          '時点で kubelet が SIGKILL を送ります（終了コード 137）。対策は、グレース期間を preStop と終了処理の合計以上に' +
          'すること（ここでは 10 + 25 = 35 秒なので 40 秒）です。',
      },
    },
  ),
];

/** Every catalog variant: the default matrix, then the extras. */
export const VARIANTS: readonly Variant[] = [...DEFAULT_VARIANTS, ...EXTRA_VARIANTS];

/** Variant names in catalog order. */
export const VARIANT_NAMES: readonly string[] = VARIANTS.map((v) => v.name);

/** The default matrix's variants (design §4): what a run without `--variants` measures. */
export const DEFAULT_VARIANT_NAMES: readonly string[] = DEFAULT_VARIANTS.map((v) => v.name);

/** The catalog variant with this exact name, if any. */
export function findVariant(name: string): Variant | undefined {
  return VARIANTS.find((v) => v.name === name);
}
