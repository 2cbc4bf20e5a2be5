import { describe, expect, it } from 'vitest';
import { renderJUnit } from './junit-xml.ts';
import { makeResultsFixture } from './test-fixtures.ts';

function testcases(xml: string): string[] {
  return xml.match(/<testcase [\s\S]*?<\/testcase>/g) ?? [];
}

describe('renderJUnit', () => {
  it('has a suite per scenario and a case per cell, passing when expectations hold', () => {
    const results = makeResultsFixture();
    const xml = renderJUnit(results);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(xml).toMatch(/<testsuites name="drainlab 20250115-100000-fixture" tests="4" failures="0" errors="0"/);
    expect(xml).toMatch(/<testsuite name="rolling-update" tests="4" failures="0" errors="0" skipped="0" time="/);
    const cases = testcases(xml);
    expect(cases).toHaveLength(4);
    const expectedTime = (results.cells[0]!.durationMs / 1000).toFixed(3);
    expect(cases[0]).toContain(
      `<testcase name="baseline rep 1" classname="drainlab.rolling-update" time="${expectedTime}">`,
    );
    // baseline loses requests but is not expected to be safe: that is the lesson, not a failure.
    expect(cases[0]).not.toContain('<failure');
    expect(cases[0]).toMatch(
      /<system-out>verdict loses-requests \(expected for this variant: what the lab shows\); requests \d+, failed [1-9]\d* \([\d.]+ %, 95 % interval [\d.]+–[\d.]+ %\)/,
    );
    // The recommended variant's clean cell: the report's words, marker, interval, latency and both times.
    expect(cases[2]).toMatch(
      /<system-out>verdict no-loss \(★ recommended variant: expected no-loss\); requests \d+, failed 0 \(0 %, 95 % interval 0–[\d.]+ %\), causes: —; latency of successes p50 \/ p95 \/ p99 [\d.]+ \/ [\d.]+ \/ [\d.]+ ms; rollout [\d.]+ s, settled [\d.]+ s after the disruption<\/system-out>/,
    );
    expect(cases[3]).toContain('name="prestop-drain rep 2"');
  });

  it('fails an expected-safe variant that lost requests', () => {
    const results = makeResultsFixture();
    const cell = results.cells[3]!;
    cell.requests = { ...cell.requests, failed: 3, succeeded: cell.requests.total - 3 };
    cell.failuresByCause.refused = 3;
    cell.errorRate = 3 / cell.requests.total;
    const xml = renderJUnit(results);
    expect(xml).toMatch(/<testsuites [^>]*failures="1" errors="0"/);
    const failing = testcases(xml)[3]!;
    expect(failing).toMatch(
      /<failure message="loses-requests: ★ prestop-drain is the recommended variant, expected no-loss; 3 of \d+ requests failed \([\d.]+ %, 95 % interval [\d.]+–[\d.]+ %; refused 3\)" type="loses-requests">/,
    );
  });

  it('errors on failed or interrupted cells and fails cells that measured nothing', () => {
    const results = makeResultsFixture();
    results.cells[0]!.status = 'failed';
    results.cells[0]!.error = 'pod never became ready';
    results.cells[1]!.status = 'interrupted';
    results.cells[2]!.requests = { total: 0, failed: 0, succeeded: 0, dropped: 0 };
    const xml = renderJUnit(results);
    expect(xml).toMatch(/<testsuite name="rolling-update" tests="4" failures="1" errors="2"/);
    const cases = testcases(xml);
    expect(cases[0]).toContain(
      '<error message="cell failed: pod never became ready; verdict incomplete (no claim is made)" type="failed">',
    );
    expect(cases[1]).toContain(
      '<error message="cell interrupted: no reason recorded; verdict incomplete (no claim is made)" type="interrupted">',
    );
    expect(cases[2]).toContain(
      '<failure message="incomplete: no request was measured in this cell, so no claim is made" type="incomplete">',
    );
    expect(cases[2]).toContain('<system-out>verdict incomplete');
  });

  it('escapes every data string', () => {
    const results = makeResultsFixture();
    const evil = `<x a="1" b='2'>&`;
    for (const cell of results.cells) {
      cell.variant = cell.variant === 'baseline' ? evil : cell.variant;
      cell.scenario = `sc${evil}`;
    }
    results.scenarios = [`sc${evil}`];
    results.runId = evil;
    results.cells[1]!.status = 'failed';
    results.cells[1]!.error = `boom ${evil}\u0000`;
    const xml = renderJUnit(results);
    const escaped = '&lt;x a=&quot;1&quot; b=&#39;2&#39;&gt;&amp;';
    expect(xml).not.toContain(evil);
    expect(xml).not.toContain('\u0000');
    expect(xml).toContain(`<testcase name="${escaped} rep 1" classname="drainlab.sc${escaped}"`);
    expect(xml).toContain(`<testsuite name="sc${escaped}"`);
    expect(xml).toContain(`message="cell failed: boom ${escaped}\ufffd; verdict incomplete (no claim is made)"`);
    // Every tag is balanced: no raw markup leaked in.
    const opens = (xml.match(/<testcase /g) ?? []).length;
    expect(opens).toBe((xml.match(/<\/testcase>/g) ?? []).length);
  });
});
