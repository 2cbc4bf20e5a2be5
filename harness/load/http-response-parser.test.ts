import { describe, expect, it } from 'vitest';
import { HttpParseError, HttpResponseParser } from './http-response-parser.ts';

/** Feeds `text` split at `cuts`; returns the parser and at which piece (index) it said complete, -1 if never. */
function feed(text: string, cuts: number[] = []): { parser: HttpResponseParser; completeAt: number } {
  const parser = new HttpResponseParser();
  const bytes = Buffer.from(text, 'latin1');
  const bounds = [0, ...cuts, bytes.length];
  let completeAt = -1;
  for (let i = 0; i + 1 < bounds.length; i++) {
    // A fresh copy per piece, as a socket delivers.
    const piece = Buffer.from(bytes.subarray(bounds[i], bounds[i + 1]));
    if (parser.execute(piece) && completeAt < 0) completeAt = i;
  }
  return { parser, completeAt };
}

/** Every split of `text` into two pieces, and into single bytes. */
function everySplit(text: string): number[][] {
  const splits: number[][] = [[]];
  for (let cut = 1; cut < text.length; cut++) splits.push([cut]);
  splits.push(Array.from({ length: text.length - 1 }, (_, i) => i + 1));
  return splits;
}

const LENGTH = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Pod: web-1\r\n\r\nhello';
const CHUNKED =
  'HTTP/1.1 503 Service Unavailable\r\ntransfer-encoding: chunked\r\nx-pod: web-2\r\n\r\n' +
  '4\r\nwork\r\na;ext=1\r\n0123456789\r\n0\r\nx-trailer: t\r\n\r\n';

describe('HttpResponseParser', () => {
  it('reads a content-length response split at every byte boundary', () => {
    for (const cuts of everySplit(LENGTH)) {
      const { parser, completeAt } = feed(LENGTH, cuts);
      expect(completeAt, `cuts ${cuts.join(',')}`).toBe(cuts.length);
      expect(parser).toMatchObject({ status: 200, pod: 'web-1', keepAlive: true, extraBytes: 0 });
    }
  });

  it('reads a chunked response with extensions and trailers split at every byte boundary', () => {
    for (const cuts of everySplit(CHUNKED)) {
      const { parser, completeAt } = feed(CHUNKED, cuts);
      expect(completeAt, `cuts ${cuts.join(',')}`).toBe(cuts.length);
      expect(parser).toMatchObject({ status: 503, pod: 'web-2', keepAlive: true, extraBytes: 0 });
    }
  });

  it('is not complete before the last body byte', () => {
    const { parser, completeAt } = feed(LENGTH.slice(0, -1));
    expect(completeAt).toBe(-1);
    expect(parser.headComplete).toBe(true);
    expect(parser.finishAtEof()).toBe(false);
    expect(feed(CHUNKED.slice(0, -2)).completeAt).toBe(-1);
  });

  it('reports Connection: close, HTTP/1.0 and an EOF-delimited body as not reusable', () => {
    expect(feed('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n').parser.keepAlive).toBe(false);
    expect(feed('HTTP/1.1 200 OK\r\nConnection: Keep-Alive, Close\r\nContent-Length: 0\r\n\r\n').parser.keepAlive).toBe(
      false,
    );
    expect(feed('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n').parser.keepAlive).toBe(false);
    expect(feed('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n').parser.keepAlive).toBe(true);
    const eof = feed('HTTP/1.1 200 OK\r\n\r\nuntil the end');
    expect(eof.completeAt).toBe(-1);
    expect(eof.parser.keepAlive).toBe(false);
    expect(eof.parser.finishAtEof()).toBe(true);
  });

  it('ends bodiless responses at the head, skips 1xx, and counts bytes after the response', () => {
    expect(feed('HTTP/1.1 204 No Content\r\n\r\n').completeAt).toBe(0);
    const after1xx = feed('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    expect(after1xx).toMatchObject({ completeAt: 0, parser: { status: 200 } });
    expect(feed(`${LENGTH}HTTP/1.1`).parser.extraBytes).toBe(8);
  });

  it('resets for the next response', () => {
    const { parser } = feed(LENGTH);
    parser.reset();
    expect(parser).toMatchObject({ status: 0, pod: null, headComplete: false });
    expect(parser.execute(Buffer.from('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n'))).toBe(true);
    expect(parser).toMatchObject({ status: 404, pod: null });
  });

  it('throws HPE_* errors on a malformed response', () => {
    const code = (text: string) => {
      try {
        feed(text);
      } catch (err) {
        expect(err).toBeInstanceOf(HttpParseError);
        return (err as HttpParseError).code;
      }
      return 'parsed';
    };
    expect(code('SSH-2.0-OpenSSH\r\n\r\n')).toBe('HPE_INVALID_CONSTANT');
    expect(code('HTTP/1.1 2000 OK\r\n\r\n')).toBe('HPE_INVALID_CONSTANT');
    expect(code('HTTP/1.1 200 OK\r\nno colon\r\n\r\n')).toBe('HPE_INVALID_HEADER_TOKEN');
    expect(code('HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n')).toBe('HPE_INVALID_CONTENT_LENGTH');
    expect(code('HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n')).toBe(
      'HPE_INVALID_CONTENT_LENGTH',
    );
    expect(code('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n')).toBe('HPE_INVALID_TRANSFER_ENCODING');
    expect(code('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')).toBe('HPE_INVALID_CHUNK_SIZE');
    expect(code('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n')).toBe('HPE_STRICT');
    expect(code(`HTTP/1.1 200 OK\r\nx: ${'a'.repeat(17_000)}`)).toBe('HPE_HEADER_OVERFLOW');
  });
});
