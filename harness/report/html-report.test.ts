import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from './html-report.ts';
import { makeResultsFixture } from './test-fixtures.ts';

describe('renderHtmlReport', () => {
  it('is one self-contained document with no external resource and no script', () => {
    const html = renderHtmlReport(makeResultsFixture());
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(|src=/i);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('labels emulated results, and only those', () => {
    const results = makeResultsFixture();
    expect(renderHtmlReport(results)).toContain('EMULATED (local platform)');
    results.platform = { name: 'kind', emulated: false, versions: { kubernetes: 'v1.34.0' } };
    const kind = renderHtmlReport(results);
    expect(kind).not.toContain('EMULATED');
    expect(kind).toContain('kind; kubernetes v1.34.0');
  });

  it('shows provenance, the verdict table with the recommended row highlighted, and both languages', () => {
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
    const recommended = html.match(/<tr class="recommended">(.*?)<\/tr>/)?.[1] ?? '';
    expect(recommended).toContain('★ prestop-drain');
    expect(recommended).toContain('<span class="no-loss">no loss</span>');
    expect(html).toContain('<span class="loses-requests">loses requests</span>');
    for (const cause of ['refused', 'reset', 'timeout', 'http-5xx', 'other']) {
      expect(html).toContain(`<dt><code>${cause}</code></dt>`);
    }
    expect(html).toContain('接続拒否');
    expect(html).toContain('Connection refused');
  });

  it('has a section per cell with a pod table in seconds relative to the disruption', () => {
    const results = makeResultsFixture();
    const html = renderHtmlReport(results);
    expect(html.match(/<section class="cell"/g)).toHaveLength(4);
    const cell = results.cells[0]!;
    const pod = cell.pods[0]!;
    const rel = (ms: number | null) => ((ms! - cell.disruptionMs!) / 1000).toFixed(2);
    const row = `<tr><td><code>${pod.name}</code></td><td>old</td><td>${rel(pod.createdMs)}</td><td>${rel(pod.readyMs)}</td><td>${rel(pod.terminatingMs)}</td>`;
    expect(html).toContain(row);
    expect(html).toContain('<td>143 (SIGTERM)</td>');
    expect(html).toContain('(completed)');
    expect(html).toContain('Propagation (ms after the pod became Terminating)');
    expect(html).toContain(`<td><code>${pod.name}</code></td><td>100.0</td>`);
  });

  it('renders a hostile variant name and other data strings as text', () => {
    const results = makeResultsFixture();
    const evil = '<img onerror=alert(1)>';
    const info = results.variantInfo.baseline!;
    results.variantInfo = { [evil]: { ...info, summary: { en: '<b>bold</b>', ja: '<i>x</i>' } } };
    results.variants = [evil, 'prestop-drain'];
    for (const cell of results.cells) {
      if (cell.variant === 'baseline') cell.variant = evil;
      cell.pods[0]!.name = '<script>alert(2)</script>';
      cell.error = '"></section><script>alert(3)</script>';
    }
    results.runId = '</title><script>alert(4)</script>';
    results.platform.versions = { '<svg onload=alert(5)>': '1' };
    results.machine.cpuModel = '<iframe>';
    const html = renderHtmlReport(results);
    expect(html).not.toMatch(/<img|<script|<svg|<iframe|<b>|<i>/i);
    expect(html).toContain('&lt;img onerror=alert(1)&gt;');
    expect(html).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;/section&gt;');
  });

  it('handles a cell without disruption, pods or requests', () => {
    const results = makeResultsFixture();
    const cell = results.cells[0]!;
    cell.disruptionMs = null;
    cell.pods = [];
    cell.propagation = [];
    cell.status = 'interrupted';
    const html = renderHtmlReport(results);
    expect(html).toContain('relative to the cell start (no disruption was recorded)');
    expect(html).toContain('No pod events were recorded.');
    expect(html).toContain('<span class="badge bad">interrupted</span>');
    expect(html).toContain('<span class="incomplete">incomplete</span>');
  });
});
