import type { AppShutdownMeasurement } from '../model/app-result.ts';
import type { Bilingual } from '../variants/variant.ts';

const secs = (ms: number) => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);

/** What the app measurably did on SIGTERM, sentence by sentence, in both languages. */
export function shutdownSentences(m: AppShutdownMeasurement): Bilingual[] {
  const out: Bilingual[] = [];
  if (m.sigterm === 'not-caught') {
    out.push({
      en:
        'SIGTERM never reached the app: the process drainlab started (PID 1 of the container) has no SIGTERM handler, ' +
        'and a container’s PID 1 ignores the signals it does not handle; a shell that starts the app without exec ' +
        'does exactly this.',
      ja:
        'SIGTERM はアプリに届きませんでした。drainlab が起動したプロセス（コンテナの PID 1）には SIGTERM のハンドラがなく、' +
        'コンテナの PID 1 は処理しないシグナルを無視します。exec を使わずにアプリを起動するシェルがまさにこれに当たります。',
    });
  }
  out.push(
    m.killed
      ? {
          en: `It was still running ${m.boundSeconds} s after SIGTERM and was killed with SIGKILL (exit ${m.exit.code}).`,
          ja: `SIGTERM の ${m.boundSeconds} 秒後もまだ動いていたため、SIGKILL で強制終了しました（終了コード ${m.exit.code}）。`,
        }
      : {
          en: `It exited ${secs(m.exit.afterMs)} s after SIGTERM with code ${m.exit.code}${m.exit.signal ? ` (${m.exit.signal})` : ''}.`,
          ja: `SIGTERM の ${secs(m.exit.afterMs)} 秒後に終了コード ${m.exit.code}${m.exit.signal ? `（${m.exit.signal}）` : ''} で終了しました。`,
        },
  );
  const c = m.newConnections;
  out.push(
    c.accepted === 0
      ? {
          en: 'No new connection was accepted after SIGTERM.',
          ja: 'SIGTERM の後、新しい接続は受け付けられませんでした。',
        }
      : {
          en: `It kept accepting new connections after SIGTERM (${c.accepted} of ${c.attempts} attempts, the last ${secs(c.lastAcceptedMs ?? 0)} s after it).`,
          ja: `SIGTERM の後も新しい接続を受け付けていました（${c.attempts} 回中 ${c.accepted} 回、最後は SIGTERM の ${secs(c.lastAcceptedMs ?? 0)} 秒後）。`,
        },
  );
  const f = m.inFlight;
  out.push(
    f.total === 0
      ? { en: 'No request was in flight at SIGTERM.', ja: 'SIGTERM の時点で処理中のリクエストはありませんでした。' }
      : f.failed === 0
        ? {
            en: `All ${f.total} requests in flight at SIGTERM completed.`,
            ja: `SIGTERM の時点で処理中だった ${f.total} 件のリクエストはすべて完了しました。`,
          }
        : {
            en: `${f.failed} of ${f.total} requests in flight at SIGTERM were cut without a response.`,
            ja: `SIGTERM の時点で処理中だった ${f.total} 件のうち ${f.failed} 件は応答なしで切断されました。`,
          },
  );
  return out;
}

/** One line for the console. */
export function describeShutdown(m: AppShutdownMeasurement): string {
  return `Your app on SIGTERM (${m.behaviour}): ${shutdownSentences(m)
    .map((s) => s.en)
    .join(' ')}`;
}
