import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from './html-report.ts';
import { makeResultsFixture } from './test-fixtures.ts';

const count = (html: string, re: RegExp) => html.match(re)?.length ?? 0;

describe('renderHtmlReport', () => {
  it('is one self-contained document: inline styles and scripts, no external resource', () => {
    const html = renderHtmlReport(makeResultsFixture());
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).not.toMatch(/<link|<img|<iframe|@import|url\(|src=|href="(?!#)/i);
    expect(html).not.toMatch(/https?:\/\//);
    // Exactly the two inline scripts of the page (language boot, then switch and sorting), none with a source.
    expect(count(html, /<script>/g)).toBe(2);
    expect(count(html, /<script/g)).toBe(2);
  });

  it('holds the course claims against the run: eight verdicts, evidence linking to rows that exist', () => {
    const html = renderHtmlReport(makeResultsFixture());
    const section = html.slice(
      html.indexOf('<h2 id="claims">'),
      html.indexOf('<h2>', html.indexOf('<h2 id="claims">')),
    );
    expect(count(section, /<li class="claim /g)).toBe(8);
    // Fixture: claims 1, 3 and 6 hold; 2 holds with a nuance on the emulator; 4 is only partly measured.
    expect(section).toContain('<li class="claim claim-holds" id="claim-1">');
    expect(section).toContain('<li class="claim claim-nuance" id="claim-2">');
    expect(section).toContain('<li class="claim claim-open" id="claim-5">');
    expect(section).toContain('<code>npm run experiment -- --variants ignore-sigterm</code>');
    const targets = [...section.matchAll(/<a class="evidence" href="#([^"]+)"/g)].map((m) => m[1]!);
    expect(targets.length).toBeGreaterThan(4);
    for (const id of targets) expect(html).toContain(`id="${id}"`);
    expect(targets.some((id) => /^cell-\d+-pod-\d+$/.test(id))).toBe(true);
  });

  it('labels emulated results, and only those', () => {
    const results = makeResultsFixture();
    expect(renderHtmlReport(results)).toContain('EMULATED (local platform)');
    results.platform = { name: 'kind', emulated: false, versions: { kubernetes: 'v1.34.0' } };
    const kind = renderHtmlReport(results);
    expect(kind).not.toContain('EMULATED');
    expect(kind).toContain('kind; kubernetes v1.34.0');
  });

  it('says which cells fell short of the asked rate', () => {
    const results = makeResultsFixture();
    expect(renderHtmlReport(results)).not.toContain('fell short');
    results.cells[0]!.requests.dropped = 12;
    const html = renderHtmlReport(results);
    expect(html).toContain('The load generator fell short of the asked rate:');
    expect(html).toContain(`${results.cells[0]!.id}: 12 of `);
  });

  it('says which cells ran on a machine short of CPU', () => {
    const results = makeResultsFixture();
    results.cells[0]!.harnessDelayMs = { p99: 12, max: 20 };
    expect(renderHtmlReport(results)).not.toContain('short of CPU');
    results.cells[0]!.harnessDelayMs = { p99: 240, max: 1500 };
    const html = renderHtmlReport(results);
    expect(html).toContain('The machine was short of CPU during these cells:');
    expect(html).toContain(`${results.cells[0]!.id}: the machine was short of CPU (the harness was held up to 1500 ms`);
  });

  it('gives the modelled propagation as applied when time is scaled, and none on a real cluster', () => {
    const results = makeResultsFixture();
    results.timeScale = 0.25;
    expect(renderHtmlReport(results)).toContain('minSyncPeriod 1 s (0.25 s at ×0.25)');
    results.platform = { name: 'kind', emulated: false, versions: {} };
    const kind = renderHtmlReport(results);
    expect(kind).not.toContain('Propagation model');
    expect(kind).toContain('real control plane and kube-proxy, measured per pod');
  });

  it('shows provenance, a sortable verdict table with the recommended row at zero, in both languages', () => {
    const html = renderHtmlReport(makeResultsFixture());
    for (const text of [
      '20250115-100000-fixture',
      'drainlab 0.1.0',
      '×1 (real time)',
      '100 req/s, keep-alive, POST',
      'linux x64, 2 × Test CPU @ 2.0GHz, 8 GiB, Node v20.20.0',
      '2025-01-15T10:00:00.000Z → 2025-01-15T10:03:30.000Z',
      'minSyncPeriod 1 s',
    ]) {
      expect(html).toContain(text);
    }
    expect(html).toContain('<table class="sortable verdicts">');
    const recommended = html.match(/<tr class="recommended"[^>]*>(.*?)<\/tr>/s)?.[1] ?? '';
    expect(recommended).toContain('★ prestop-drain</a>');
    expect(recommended).toContain('<td class="zero" data-v="0">0</td>');
    // The verdict words are the console's, in both languages; Japanese adds a gloss.
    expect(recommended).toContain(
      '<span class="no-loss"><span lang="en">no-loss</span><span lang="ja">no-loss <small>（損失なし）</small></span></span>',
    );
    expect(html).toContain('<span lang="en">loses-requests</span>');
    // A row links to its first cell; with two repetitions, each repetition has its own link.
    expect(html).toContain('<tr class="recommended" data-href="#cell-3">');
    expect(recommended).toContain('<a href="#cell-3">1</a> <a href="#cell-4">2</a>');
    expect(html).toContain('接続拒否');
    expect(html).toContain('Connection refused');
    expect(html).toContain('<button type="button" data-lang="ja">');
  });

  it('explains each variant: manifest diff, numbers of this run, and the mechanism of its losses', () => {
    const results = makeResultsFixture();
    const html = renderHtmlReport(results);
    expect(html).toContain('<pre class="diff">');
    // The catalogue's `code` spans are shown as code, not as backticks.
    results.variantInfo.baseline!.expectation.en = 'answers with `Connection: close`';
    expect(renderHtmlReport(results)).toContain('<span lang="en">answers with <code>Connection: close</code></span>');
    expect(html).toContain('<span class="add">+                 seconds: 5</span>');
    expect(html).toContain('<span class="del">-   name: web</span>');
    expect(html).toMatch(/SIGTERM arrived \d\.\d\d s before routing stopped sending new connections/);
    expect(html).toMatch(
      /SIGTERM は、ルーティングがその Pod への新しい接続の振り分けを止める \d\.\d\d 秒前に届いていました/,
    );
    expect(html).toContain('Exit codes of the stopped pods: 143 ×6.');
    expect(html).toContain('<b>refused before routing caught up</b>');
    expect(html).toContain('<b>ルーティング反映前の接続拒否</b>');
    expect(html).toContain(
      '<p class="meaning"><span lang="en">The recommended ★ prestop-drain lost none of 3,004 requests (1 scenario).',
    );
    expect(html).toContain('推奨バリアント ★ prestop-drain は 3,004 件のリクエストを 1 件も失いませんでした');
  });

  it('draws one timeline per cell: request bars and one lane per pod with its markers', () => {
    const results = makeResultsFixture();
    const html = renderHtmlReport(results);
    expect(count(html, /<section class="cell"/g)).toBe(4);
    expect(count(html, /<svg class="timeline"/g)).toBe(4);
    expect(count(html, /<svg x="[\d.]+" y="24" [^>]*class="bars">/g)).toBe(4);
    const first = html.slice(html.indexOf('id="cell-1"'), html.indexOf('id="cell-2"'));
    const cell = results.cells[0]!;
    expect(count(first, /class="pod"/g)).toBe(cell.pods.length);
    expect(count(first, /class="routing"/g)).toBe(cell.pods.filter((p) => p.routingRemovedMs !== null).length);
    expect(first).toContain('SIGTERM sent at');
    expect(first).toContain('routing stopped sending new connections at');
    expect(first).toContain('exited with code 143');
    // Failed buckets have hover targets that say what failed.
    expect(first).toMatch(/<rect x="\d+" y="0" width="1" height="\d+" class="hit"><title>[^<]*refused \d+/);
  });

  it('renders a hostile variant name and other data strings as text', () => {
    const results = makeResultsFixture();
    const evil = '<img onerror=alert(1)>';
    const info = results.variantInfo.baseline!;
    results.variantInfo = {
      [evil]: { ...info, summary: { en: '<b>bold</b>', ja: '<i>x</i>' }, manifestYaml: '<svg onload=alert(6)>' },
      'prestop-drain': results.variantInfo['prestop-drain']!,
    };
    results.variants = [evil, 'prestop-drain'];
    for (const cell of results.cells) {
      if (cell.variant === 'baseline') cell.variant = evil;
      cell.pods[0]!.name = '<script>alert(2)</script>';
      cell.error = '"></section><script>alert(3)</script>';
    }
    results.runId = '</title><script>alert(4)</script>';
    results.platform.versions = { '<svg onload=alert(5)>': '1' };
    results.machine.cpuModel = '<iframe>';
    results.scenarios = ['"><img src=x>'];
    const html = renderHtmlReport(results);
    expect(html).not.toMatch(/<img|<script>alert|<svg onload|<iframe|<b>bold|<i>x/i);
    expect(count(html, /<script/g)).toBe(2);
    expect(html).toContain('&lt;img onerror=alert(1)&gt;');
    expect(html).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;/section&gt;');
  });

  it('defines rollout and settled, explains every verdict (incomplete too) and what one failed request means', () => {
    const html = renderHtmlReport(makeResultsFixture());
    const guide = html.slice(
      html.indexOf('<dl class="guide">'),
      html.indexOf('</dl>', html.indexOf('<dl class="guide">')),
    );
    // Rollout is the Deployment's own "complete"; settled waits for every stopped Pod to be gone.
    expect(guide).toContain('until the Deployment reports its rollout complete');
    expect(guide).toContain('does not wait for old Pods to stop');
    expect(guide).toContain('until every Pod the disruption stopped is gone');
    expect(guide).toContain('Deployment がロールアウト完了を報告するまでの秒数');
    expect(guide).toContain('停止対象の Pod がすべて消えるまでの秒数');
    // Which one is slow for ignore-sigterm, and why.
    expect(guide).toMatch(/with ignore-sigterm the rollout completes in seconds.*does not wait for terminating Pods/);
    expect(guide).toContain('lives until the kubelet sends SIGKILL at the end of its grace period');
    expect(guide).toContain('遅くなるのは収束で');
    for (const verdict of ['no-loss', 'loses-requests', 'incomplete']) {
      expect(guide).toContain(`<dt><span class="${verdict}"><span lang="en">${verdict}</span>`);
    }
    expect(guide).toContain('so no claim is made either way');
    expect(guide).toContain('どちらの判定もしません');
    expect(guide).toContain('a single failed request makes a variant × scenario <code>loses-requests</code>');
    expect(guide).toContain('失敗が 1 件でもあれば');
    // One vocabulary: ★, "95 % interval", バリアント.
    expect(guide).toContain('<dt><span lang="en">★</span>');
    expect(html).toContain('error rate (95 % interval)');
    expect(html).not.toMatch(/95 % CI|変種|>loses requests<|>no loss<|>不完全</);
  });

  it('shows what each scenario does: listed under the table, linked from it, and in every cell', () => {
    const results = makeResultsFixture();
    const html = renderHtmlReport(results);
    expect(html).toContain(
      '<dt id="scenario-1"><code>rolling-update</code></dt><dd><span lang="en">Change the pod template; 3 replicas, maxSurge 1.</span><span lang="ja">Pod テンプレートを変更する。</span></dd>',
    );
    expect(html).toContain(
      '<a href="#scenario-1" title="Change the pod template; 3 replicas, maxSurge 1.\nPod テンプレートを変更する。">rolling-update</a>',
    );
    const cell = html.slice(html.indexOf('id="cell-1"'), html.indexOf('id="cell-2"'));
    expect(cell).toContain('<div class="muted"><p lang="en">Change the pod template; 3 replicas, maxSurge 1.</p>');
    // A results file without scenario descriptions still renders, and says so.
    results.scenarioInfo = {};
    expect(renderHtmlReport(results)).toContain('<span lang="en">No description recorded.</span>');
  });

  it('explains pairs that cannot be told apart, with what to do and each pair in both languages', () => {
    const results = makeResultsFixture();
    expect(renderHtmlReport(results)).not.toContain('variant pair(s) cannot be told apart');
    // One failure per baseline repetition: its interval now overlaps prestop-drain's zero.
    for (const cell of results.cells.filter((c) => c.variant === 'baseline')) {
      cell.requests = { ...cell.requests, failed: 1, succeeded: cell.requests.total - 1 };
    }
    const html = renderHtmlReport(results);
    expect(html).toContain('1 variant pair(s) cannot be told apart with 2 repetition(s).');
    expect(html).toContain('1 組のバリアントは 2 回の繰り返しでは区別できません。');
    expect(html).toContain('this does not mean the variants are equal');
    expect(html).toContain('<code>--repeat 5</code> for a course');
    expect(html).toContain('授業では <code>--repeat 5</code>');
    expect(html).toMatch(
      /<li>rolling-update: <b>baseline<\/b> [\d.]+ % \([\d.]+–[\d.]+ %\) \/ <b>prestop-drain<\/b> 0 % \(0–[\d.]+ %\) — <span lang="en">the 95 % intervals overlap<\/span><span lang="ja">95 % 区間が重なっています<\/span><\/li>/,
    );
  });

  it('gives each variant its rollout and settled times in what happened', () => {
    const results = makeResultsFixture();
    const html = renderHtmlReport(results);
    const row = (variant: string) => results.cells.filter((c) => c.variant === variant);
    const mean = (xs: number[]) => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2);
    const cells = row('baseline');
    const rollout = mean(cells.map((c) => c.rolloutSeconds!));
    const settled = mean(cells.map((c) => c.settledSeconds!));
    expect(html).toContain(
      `The rollout was complete after ${rollout} s; it settled (every stopped Pod gone) after ${settled} s (means).`,
    );
    expect(html).toContain(
      `ロールアウト完了まで ${rollout} 秒、収束（停止した Pod がすべて消える）まで ${settled} 秒でした（平均）。`,
    );
  });

  it('marks incomplete cells and says "no timeline" when a cell has none', () => {
    const results = makeResultsFixture();
    const cell = results.cells[0]!;
    cell.disruptionMs = null;
    cell.pods = [];
    cell.propagation = [];
    cell.status = 'interrupted';
    delete cell.timeline;
    results.status = 'interrupted';
    const html = renderHtmlReport(results);
    expect(html).toContain('relative to the cell start (no disruption was recorded)');
    expect(html).toContain('No timeline: results.json has none for this cell');
    expect(html).toContain('No pod events were recorded.');
    expect(html).toContain('<span class="badge bad">interrupted</span>');
    expect(html).toContain('<span lang="en">incomplete</span>');
    expect(html).toContain('1 cell(s) incomplete');
    // The list of incomplete cells says what the verdict means and what to do.
    expect(html).toContain(
      'Incomplete (verdict <code>incomplete</code>: a repetition is missing, failed, was interrupted',
    );
    expect(html).toContain(`${cell.id}: interrupted`);
  });
});
