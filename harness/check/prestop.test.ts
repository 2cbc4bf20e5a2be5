import { describe, expect, it } from 'vitest';
import { imageWithoutSleep, preStopKind, sleepSeconds } from './prestop.ts';

describe('preStopKind', () => {
  it('reads native, exec and shell sleeps with their seconds', () => {
    expect(preStopKind({ sleep: { seconds: 5 } })).toEqual({ form: 'native', seconds: 5 });
    expect(preStopKind({ exec: { command: ['/bin/sleep', '40'] } })).toEqual({
      form: 'exec-sleep',
      seconds: 40,
      program: '/bin/sleep',
    });
    expect(preStopKind({ exec: { command: ['sh', '-c', 'sleep 10 && nginx -s quit'] } })).toMatchObject({
      form: 'exec-sleep',
      seconds: 10,
    });
    expect(preStopKind({ exec: { command: ['sleep', 'infinity'] } })).toMatchObject({ seconds: undefined });
  });

  it('calls everything else other, keeping the program', () => {
    expect(preStopKind({ httpGet: { path: '/x', port: 80 } })).toEqual({ form: 'other', program: undefined });
    expect(preStopKind({ exec: { command: ['/app/drain'] } })).toEqual({ form: 'other', program: '/app/drain' });
    expect(preStopKind({ exec: { command: ['sh', '-c', 'nginx -s quit'] } })).toEqual({ form: 'other', program: 'sh' });
  });
});

describe('sleepSeconds', () => {
  it('takes the units GNU and busybox sleep take', () => {
    expect(sleepSeconds('5')).toBe(5);
    expect(sleepSeconds('2.5')).toBe(2.5);
    expect(sleepSeconds('5s')).toBe(5);
    expect(sleepSeconds('1m')).toBe(60);
    expect(sleepSeconds('1h')).toBe(3600);
    expect(sleepSeconds('"7"')).toBe(7);
    expect(sleepSeconds('$DELAY')).toBeUndefined();
  });
});

describe('imageWithoutSleep', () => {
  it('knows distroless, Chainguard static and scratch by name', () => {
    for (const image of [
      'gcr.io/distroless/static-debian12',
      'gcr.io/distroless/nodejs22-debian12:nonroot',
      'gcr.io/distroless/base@sha256:abc',
      'cgr.dev/chainguard/static:latest',
      'example.com/app:1.2-distroless',
      'example.com/app:scratch',
      'scratch',
    ]) {
      expect(imageWithoutSleep(image), image).toBeDefined();
    }
  });

  it('leaves images that have sleep alone, including the debug tags', () => {
    for (const image of [
      'gcr.io/distroless/base:debug',
      'gcr.io/distroless/base-debian12:debug-nonroot',
      'node:24-slim',
      'alpine:3.22',
      'cgr.dev/chainguard/node:latest',
      'localhost:5000/web:1',
      '',
    ]) {
      expect(imageWithoutSleep(image), image).toBeUndefined();
    }
  });
});
