import { recommendForApp } from '../analysis/app-recommendation.ts';
import { shutdownSentences } from '../app/describe-shutdown.ts';
import type { ResultsFile } from '../model/results.ts';
import { bi, biCode, biText } from './bilingual-html.ts';
import { escapeHtml as h } from './escape.ts';
import { appLine, cellShutdownSentences, mechanismList, patchNotes, verdictSentences } from './app-text.ts';

/**
 * The app section of index.html (issue 15), for a run with your own app: the app as given, what it measurably did
 * on SIGTERM, whether it lost requests as given and how, which derived variant removed the loss, and the change as a
 * strategic-merge patch. Empty for a run without an app.
 */
export function renderAppSection(results: ResultsFile): string {
  const app = results.app;
  const rec = recommendForApp(results);
  const line = appLine(results);
  if (!rec || !line) return '';
  const env = Object.entries(app?.spec.env ?? {}).map(([k, v]) => `${k}=${v}`);
  const facts = [
    biCode(line),
    env.length > 0 ? bi(`Env: <code>${h(env.join(' '))}</code>`, `環境変数: <code>${h(env.join(' '))}</code>`) : '',
    app
      ? bi(
          `Output of the measured instance: <code>${h(app.probeLog)}</code>; of each pod: <code>cells/&lt;cell&gt;/pods/&lt;pod&gt;.log</code>.`,
          `測定に使ったインスタンスの出力: <code>${h(app.probeLog)}</code>、各 Pod の出力: <code>cells/&lt;cell&gt;/pods/&lt;pod&gt;.log</code>。`,
        )
      : '',
    ...(results.appManifest?.warnings ?? []).map((w) => bi(h(w), h(w))),
  ].filter(Boolean);
  const shutdown = (app ? shutdownSentences(app.shutdown) : cellShutdownSentences(results)).map(
    (s) => `<li>${biText(s)}</li>`,
  );
  const verdict = verdictSentences(rec);
  const how =
    rec.asIs && rec.asIs.failed > 0
      ? `<ul>${mechanismList(rec.asIs)
          .map((m) => `<li>${biText(m)}</li>`)
          .join('')}</ul>`
      : '';
  const patch = rec.patch
    ? `<pre class="patch">${h(rec.patch.yaml)}</pre><pre>${h(rec.patch.command)}</pre>${patchNotes(results)
        .map((n) => biCode(n, 'p'))
        .join('')}`
    : '';
  return `<section class="app" id="app">
${facts.map((f) => `<p>${f}</p>`).join('\n')}
<h3>${
    app
      ? bi('What it did on SIGTERM (measured before the run)', 'SIGTERM を受けたときの動作（実行前に実測）')
      : bi('What it did on SIGTERM (measured in the cells)', 'SIGTERM を受けたときの動作（セルで実測）')
  }</h3>
<ul>${shutdown.join('')}</ul>
<h3>${bi('As given, and the fix', '与えられたままの結果と修正')}</h3>
${verdict.asIs.map((s) => biCode(s, 'p')).join('\n')}
${how}
${verdict.fix.map((s) => biCode(s, 'p')).join('\n')}
${patch}
</section>`;
}
