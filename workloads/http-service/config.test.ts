import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseConfig, parseWorkRange } from './config.ts';

describe('parseConfig', () => {
  it('uses the documented defaults for an empty environment', () => {
    expect(parseConfig({})).toEqual({
      ok: true,
      config: {
        pod: hostname(),
        host: '0.0.0.0',
        port: 8080,
        mode: 'drain',
        drainTimeoutMs: 20_000,
        drainIdleMs: 1_000,
        cleanupMs: 0,
        keepAliveTimeoutMs: 65_000,
        work: { min: 0, max: 0 },
        readyDelayMs: 0,
        timeScale: 1,
      },
    });
  });

  it('scales drain, idle and ready-delay durations but not keep-alive or work', () => {
    const result = parseConfig({
      TIME_SCALE: '0.1',
      DRAIN_TIMEOUT_MS: '30000',
      DRAIN_IDLE_MS: '2000',
      READY_DELAY_MS: '5000',
      KEEP_ALIVE_TIMEOUT_MS: '70000',
      WORK_MS: '20-80',
      SHUTDOWN_MODE: 'ignore',
      PORT: '0',
      POD_NAME: 'web-1',
    });
    expect(result).toMatchObject({
      ok: true,
      config: {
        pod: 'web-1',
        port: 0,
        mode: 'ignore',
        drainTimeoutMs: 3_000,
        drainIdleMs: 200,
        readyDelayMs: 500,
        keepAliveTimeoutMs: 70_000,
        work: { min: 20, max: 80 },
        timeScale: 0.1,
      },
    });
  });

  it('treats empty values as unset', () => {
    expect(parseConfig({ PORT: '', SHUTDOWN_MODE: ' ', POD_NAME: '' })).toMatchObject({
      ok: true,
      config: { port: 8080, mode: 'drain', pod: hostname() },
    });
  });

  it('reports every bad value at once, one line each naming the variable and the value', () => {
    const result = parseConfig({
      PORT: '70000',
      HOST: '127.0.0.1',
      SHUTDOWN_MODE: 'graceful',
      DRAIN_TIMEOUT_MS: '20s',
      DRAIN_IDLE_MS: '-5',
      KEEP_ALIVE_TIMEOUT_MS: '1e3',
      WORK_MS: '100-10',
      READY_DELAY_MS: '0.5',
      TIME_SCALE: '-1',
    });
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    const names = ['PORT', 'SHUTDOWN_MODE', 'DRAIN_TIMEOUT_MS', 'DRAIN_IDLE_MS', 'KEEP_ALIVE_TIMEOUT_MS'];
    names.push('WORK_MS', 'READY_DELAY_MS', 'TIME_SCALE');
    expect(problems).toHaveLength(names.length);
    for (const name of names) expect(problems.filter((line) => line.startsWith(`invalid ${name}=`))).toHaveLength(1);
    expect(problems).toContain(
      'invalid SHUTDOWN_MODE="graceful": expected one of exit, drain, ignore, none; fix it or unset it',
    );
  });

  it.each(['0', 'abc', 'NaN', 'Infinity', '1/2'])('rejects TIME_SCALE=%s', (value) => {
    expect(parseConfig({ TIME_SCALE: value }).ok).toBe(false);
  });

  it.each(['1', '0.5', '2.5', '.25'])('accepts TIME_SCALE=%s', (value) => {
    expect(parseConfig({ TIME_SCALE: value })).toMatchObject({ ok: true, config: { timeScale: Number(value) } });
  });
});

describe('parseWorkRange', () => {
  it('reads N and MIN-MAX', () => {
    expect(parseWorkRange('25')).toEqual({ min: 25, max: 25 });
    expect(parseWorkRange('20-80')).toEqual({ min: 20, max: 80 });
    expect(parseWorkRange(undefined)).toEqual({ min: 0, max: 0 });
  });

  it.each(['80-20', '-5', '1.5', '10-', '60001', 'x'])('rejects %s', (raw) => {
    expect(parseWorkRange(raw)).toBeUndefined();
  });
});
