/** A malformed response; `code` follows Node's llhttp (`HPE_*`), so classifyFailure calls it `other` as before. */
export class HttpParseError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${message}; the server does not speak the HTTP/1.1 the load generator expects, check the target`);
    this.name = 'HttpParseError';
  }
}

/** Node's default --max-http-header-size; also bounds chunk-size and trailer lines. */
const MAX_HEAD_BYTES = 16 * 1024;
const CRLF_CRLF = Buffer.from('\r\n\r\n');
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: [^\r\n]*)?$/;

type BodyState = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-crlf' | 'trailers' | 'eof' | 'done';

/**
 * An incremental parser for one HTTP/1.1 response at a time, fed the chunks a socket delivers however they are split:
 * the status, `x-pod` and whether the connection may carry another request, and the end of the body by
 * content-length, chunked encoding or EOF. Only what the load generator needs; anything else malformed throws.
 */
export class HttpResponseParser {
  /** Status code, 0 until the head is complete. */
  status = 0;
  /** The `x-pod` header (duplicates joined as Node does), null when absent or the head is incomplete. */
  pod: string | null = null;
  /** False when the server said `Connection: close` (or spoke HTTP/1.0 without keep-alive) or the body ends at EOF. */
  keepAlive = true;
  /** Bytes that arrived after the complete response (a misbehaving peer: the connection cannot be reused). */
  extraBytes = 0;
  private state: BodyState = 'head';
  private head: Buffer | undefined;
  private remaining = 0;
  private line = '';

  /** True once the head (status line and headers) has been read. */
  get headComplete(): boolean {
    return this.status !== 0;
  }

  /** Readies the parser for the next response. */
  reset(): void {
    this.status = 0;
    this.pod = null;
    this.keepAlive = true;
    this.extraBytes = 0;
    this.state = 'head';
    this.head = undefined;
    this.remaining = 0;
    this.line = '';
  }

  /** Feeds one chunk; true when the response is complete. Throws HttpParseError on a malformed response. */
  execute(chunk: Buffer): boolean {
    let at = 0;
    while (at < chunk.length) {
      switch (this.state) {
        case 'head':
          at = this.readHead(chunk, at);
          break;
        case 'length': {
          const take = Math.min(this.remaining, chunk.length - at);
          at += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = 'done';
          break;
        }
        case 'chunk-size':
        case 'chunk-crlf':
        case 'trailers':
          at = this.readLine(chunk, at);
          break;
        case 'chunk-data': {
          const take = Math.min(this.remaining, chunk.length - at);
          at += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = 'chunk-crlf';
          break;
        }
        case 'eof':
          return false;
        case 'done':
          this.extraBytes += chunk.length - at;
          return true;
      }
    }
    return this.state === 'done';
  }

  /** The peer closed its side: true when that ends the response (a body delimited by EOF), false when cut short. */
  finishAtEof(): boolean {
    if (this.state === 'eof') this.state = 'done';
    return this.state === 'done';
  }

  private readHead(chunk: Buffer, at: number): number {
    const pending = this.head;
    const buffer = pending ? Buffer.concat([pending, chunk.subarray(at)]) : chunk.subarray(at);
    // A split terminator can start up to 3 bytes back in what was already pending.
    const end = buffer.indexOf(CRLF_CRLF, pending ? Math.max(0, pending.length - 3) : 0);
    if (end < 0) {
      if (buffer.length > MAX_HEAD_BYTES) throw new HttpParseError('HPE_HEADER_OVERFLOW', 'response head over 16 KiB');
      // Copied: the socket may reuse the chunk's memory.
      this.head = Buffer.from(buffer);
      return chunk.length;
    }
    this.head = undefined;
    if (end > MAX_HEAD_BYTES) throw new HttpParseError('HPE_HEADER_OVERFLOW', 'response head over 16 KiB');
    this.parseHead(buffer.toString('latin1', 0, end));
    // Bytes of this chunk consumed: the head's end minus what had been pending before it.
    return at + end + 4 - (pending?.length ?? 0);
  }

  private parseHead(text: string): void {
    const lines = text.split('\r\n');
    const match = STATUS_LINE.exec(lines[0] ?? '');
    if (!match) {
      throw new HttpParseError('HPE_INVALID_CONSTANT', `expected a status line "HTTP/1.x NNN", found "${lines[0]}"`);
    }
    const http10 = match[1] === '0';
    const status = Number(match[2]);
    let length: number | undefined;
    let chunked = false;
    let connection = '';
    let pod: string | null = null;
    for (let i = 1; i < lines.length; i++) {
      const header = lines[i] ?? '';
      const colon = header.indexOf(':');
      if (colon <= 0) throw new HttpParseError('HPE_INVALID_HEADER_TOKEN', `expected "name: value", found "${header}"`);
      const name = header.slice(0, colon).toLowerCase();
      const value = header.slice(colon + 1).trim();
      if (name === 'x-pod') pod = pod === null ? value : `${pod}, ${value}`;
      else if (name === 'connection') connection += `,${value.toLowerCase()}`;
      else if (name === 'content-length') {
        const n = /^\d{1,15}$/.test(value) ? Number(value) : NaN;
        if (Number.isNaN(n) || (length !== undefined && length !== n)) {
          throw new HttpParseError(
            'HPE_INVALID_CONTENT_LENGTH',
            `expected one decimal content-length, found "${value}"`,
          );
        }
        length = n;
      } else if (name === 'transfer-encoding') {
        if (value.toLowerCase() !== 'chunked') {
          throw new HttpParseError(
            'HPE_INVALID_TRANSFER_ENCODING',
            `expected transfer-encoding chunked, found "${value}"`,
          );
        }
        chunked = true;
      }
    }
    // 1xx are interim (e.g. 100 Continue): skip them and read the final response, as Node does.
    if (status >= 100 && status < 200) return;
    const tokens = connection.split(',').map((t) => t.trim());
    this.keepAlive = http10 ? tokens.includes('keep-alive') : !tokens.includes('close');
    this.status = status;
    this.pod = pod;
    if (status === 204 || status === 304) this.state = 'done';
    else if (chunked) this.state = 'chunk-size';
    else if (length !== undefined) this.state = length === 0 ? 'done' : 'length';
    else {
      this.state = 'eof';
      this.keepAlive = false;
    }
    this.remaining = length ?? 0;
  }

  /** Reads up to the end of a line (chunk size, the CRLF after chunk data, or a trailer) and acts on it. */
  private readLine(chunk: Buffer, at: number): number {
    const newline = chunk.indexOf(10, at);
    const end = newline < 0 ? chunk.length : newline;
    this.line += chunk.toString('latin1', at, end);
    if (this.line.length > MAX_HEAD_BYTES) throw new HttpParseError('HPE_HEADER_OVERFLOW', 'chunk line over 16 KiB');
    if (newline < 0) return chunk.length;
    const line = this.line.endsWith('\r') ? this.line.slice(0, -1) : this.line;
    this.line = '';
    if (this.state === 'chunk-crlf') {
      if (line !== '') throw new HttpParseError('HPE_STRICT', `expected CRLF after chunk data, found "${line}"`);
      this.state = 'chunk-size';
    } else if (this.state === 'chunk-size') {
      const size = /^[0-9a-fA-F]{1,12}(?:[ \t]*;.*)?$/.test(line) ? parseInt(line, 16) : NaN;
      if (Number.isNaN(size))
        throw new HttpParseError('HPE_INVALID_CHUNK_SIZE', `expected a hex chunk size, found "${line}"`);
      this.remaining = size;
      this.state = size === 0 ? 'trailers' : 'chunk-data';
    } else if (line === '') {
      this.state = 'done';
    }
    return newline + 1;
  }
}
