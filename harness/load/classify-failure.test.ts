import { describe, expect, it } from 'vitest';
import { classifyFailure, classifyStatus, REFUSED_WINDOW_MS, type FailureFacts } from './classify-failure.ts';

const fresh: FailureFacts = { timedOut: false, code: 'ECONNRESET', reused: false, responseBytes: 0, connectedForMs: 1 };

describe('classifyFailure', () => {
  it('our own deadline, or the OS one, is a timeout whatever else happened', () => {
    expect(classifyFailure({ ...fresh, timedOut: true, code: undefined })).toBe('timeout');
    expect(classifyFailure({ ...fresh, timedOut: true, reused: true, responseBytes: 10 })).toBe('timeout');
    expect(classifyFailure({ ...fresh, code: 'ETIMEDOUT' })).toBe('timeout');
  });

  it('ECONNREFUSED is refused', () => {
    expect(classifyFailure({ ...fresh, code: 'ECONNREFUSED', connectedForMs: undefined })).toBe('refused');
  });

  it('a reset or EOF before any byte right after connecting on a fresh connection is refused', () => {
    expect(classifyFailure(fresh)).toBe('refused');
    expect(classifyFailure({ ...fresh, code: 'EPIPE' })).toBe('refused');
    expect(classifyFailure({ ...fresh, connectedForMs: undefined })).toBe('refused');
    expect(classifyFailure({ ...fresh, connectedForMs: REFUSED_WINDOW_MS })).toBe('refused');
  });

  it('a reset on a reused connection, after response bytes, or later mid-request is a reset', () => {
    expect(classifyFailure({ ...fresh, reused: true })).toBe('reset');
    expect(classifyFailure({ ...fresh, responseBytes: 1 })).toBe('reset');
    expect(classifyFailure({ ...fresh, connectedForMs: REFUSED_WINDOW_MS + 0.5 })).toBe('reset');
    expect(classifyFailure({ ...fresh, code: 'EPIPE', reused: true })).toBe('reset');
    expect(classifyFailure({ ...fresh, code: 'ERR_STREAM_PREMATURE_CLOSE', responseBytes: 5 })).toBe('reset');
  });

  it('anything else is other', () => {
    expect(classifyFailure({ ...fresh, code: 'HPE_INVALID_CONSTANT' })).toBe('other');
    expect(classifyFailure({ ...fresh, code: 'EHOSTUNREACH' })).toBe('other');
    expect(classifyFailure({ ...fresh, code: undefined })).toBe('other');
  });
});

describe('classifyStatus', () => {
  it('only 200 succeeds; 5xx is http-5xx; anything else is other', () => {
    expect(classifyStatus(200)).toBeNull();
    expect(classifyStatus(500)).toBe('http-5xx');
    expect(classifyStatus(503)).toBe('http-5xx');
    expect(classifyStatus(599)).toBe('http-5xx');
    expect(classifyStatus(204)).toBe('other');
    expect(classifyStatus(404)).toBe('other');
    expect(classifyStatus(600)).toBe('other');
  });
});
