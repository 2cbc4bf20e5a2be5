import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';

/** Most bytes kept per pod; the rest is counted, not written, so a chatty app cannot fill the disk. */
export const POD_LOG_LIMIT_BYTES = 1024 * 1024;

/** A pod's stdout and stderr lines as they came, in `<dir>/<pod>.log`, cut at POD_LOG_LIMIT_BYTES. */
export class PodLog {
  /** Where the log is. */
  readonly file: string;
  private readonly stream: WriteStream;
  private written = 0;
  private dropped = 0;
  private closed = false;

  constructor(
    dir: string,
    pod: string,
    private readonly limit = POD_LOG_LIMIT_BYTES,
  ) {
    mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, `${pod}.log`);
    this.stream = createWriteStream(this.file);
    // A full disk or a removed folder must not crash the run; the log is for reading, not for results.
    this.stream.on('error', () => undefined);
  }

  /** Appends one line (or counts it once the limit is reached). */
  write(line: string): void {
    if (this.closed) return;
    const bytes = Buffer.byteLength(line) + 1;
    // Once a line did not fit, later ones are left out too: the log stays the unbroken start of the output.
    if (this.dropped > 0 || this.written + bytes > this.limit) {
      this.dropped++;
      return;
    }
    this.written += bytes;
    this.stream.write(`${line}\n`);
  }

  /** Ends the file, noting how many lines were left out. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.dropped > 0)
      this.stream.write(`[drainlab: ${this.dropped} more line(s) not kept: the log is cut at ${this.limit} bytes]\n`);
    this.stream.end();
  }
}
