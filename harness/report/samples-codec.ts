import { open, readFile, type FileHandle } from 'node:fs/promises';
import { constants as zlibConstants, gunzipSync, gzipSync } from 'node:zlib';
import { HarnessError } from '../core/errors.ts';
import { FAILURE_CAUSES, type FailureCause, type RequestSample } from '../model/sample.ts';

/**
 * Compact per-request storage (design §6): records of 16 bytes per request, little-endian, no header; on disk
 * SamplesFileWriter gzips them in 64 KiB members (about 10 bytes per request).
 *
 * | offset | type | field |
 * |---|---|---|
 * | 0 | u32 | scheduled time, µs on the cell clock |
 * | 4 | u32 | start time, µs on the cell clock |
 * | 8 | u32 | duration, µs |
 * | 12 | u16 | HTTP status (0 = no response) |
 * | 14 | u8 | cause: 0 = ok, i + 1 = FAILURE_CAUSES[i]; bit 7 set when the connection was reused |
 * | 15 | u8 | pod index into CellResult.samplePods; 255 = unknown |
 *
 * Clamping: times are rounded to whole µs and clamped to [0, 2^32 − 1] µs (about 71.6 minutes: a cell longer than
 * that saturates), status to [0, 65535]. Only the first 254 distinct pods get an index (0..253); later pods, like
 * unknown ones, are stored as 255 and read back as null. A cause byte outside the vocabulary reads back as `other`,
 * and a trailing partial record (a crash mid-write) is ignored.
 */

/** Bytes per request record. */
export const SAMPLE_RECORD_BYTES = 16;
/** Pod index meaning "unknown pod". */
export const UNKNOWN_POD_INDEX = 255;
/** Distinct pods that can get an index. */
export const MAX_INDEXED_PODS = 254;

const REUSED_BIT = 0x80;
const U32_MAX = 0xffff_ffff;
const OTHER_INDEX = FAILURE_CAUSES.indexOf('other');

function clamp(value: number, max: number): number {
  if (!Number.isFinite(value)) return value > 0 ? max : 0;
  return Math.min(max, Math.max(0, Math.round(value)));
}

/** Writes one sample as a 16-byte record into `target` at `offset` (a new buffer by default) and returns it. */
export function encodeSample(
  sample: RequestSample,
  podIndex: number,
  target: Buffer = Buffer.alloc(SAMPLE_RECORD_BYTES),
  offset = 0,
): Buffer {
  // A cause outside the vocabulary (bad input at runtime) is stored as `other`, never as "ok".
  const causeIndex = sample.cause === null ? -1 : FAILURE_CAUSES.indexOf(sample.cause);
  const causeCode = sample.cause === null ? 0 : (causeIndex >= 0 ? causeIndex : OTHER_INDEX) + 1;
  target.writeUInt32LE(clamp(sample.scheduledMs * 1000, U32_MAX), offset);
  target.writeUInt32LE(clamp(sample.startMs * 1000, U32_MAX), offset + 4);
  target.writeUInt32LE(clamp(sample.durationMs * 1000, U32_MAX), offset + 8);
  target.writeUInt16LE(clamp(sample.status, 0xffff), offset + 12);
  target.writeUInt8(causeCode | (sample.reused ? REUSED_BIT : 0), offset + 14);
  const validPod = Number.isInteger(podIndex) && podIndex >= 0 && podIndex < MAX_INDEXED_PODS;
  target.writeUInt8(validPod ? podIndex : UNKNOWN_POD_INDEX, offset + 15);
  return target;
}

/** Decodes every whole record in `data`; `pods` is CellResult.samplePods. */
export function decodeSamples(data: Uint8Array, pods: string[]): RequestSample[] {
  const view = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const count = Math.floor(view.length / SAMPLE_RECORD_BYTES);
  const samples: RequestSample[] = [];
  for (let i = 0; i < count; i++) {
    const at = i * SAMPLE_RECORD_BYTES;
    const causeByte = view.readUInt8(at + 14);
    const causeCode = causeByte & ~REUSED_BIT;
    const podIndex = view.readUInt8(at + 15);
    samples.push({
      scheduledMs: view.readUInt32LE(at) / 1000,
      startMs: view.readUInt32LE(at + 4) / 1000,
      durationMs: view.readUInt32LE(at + 8) / 1000,
      status: view.readUInt16LE(at + 12),
      cause: causeCode === 0 ? null : ((FAILURE_CAUSES[causeCode - 1] ?? 'other') as FailureCause),
      pod: podIndex === UNKNOWN_POD_INDEX ? null : (pods[podIndex] ?? null),
      reused: (causeByte & REUSED_BIT) !== 0,
    });
  }
  return samples;
}

/** Assigns pod indexes in order of first appearance. */
export class PodIndexer {
  private readonly indexes = new Map<string, number>();
  /** Pod names by index. */
  readonly pods: string[] = [];

  /** The index of `pod`, assigning the next one on first sight; 255 for null or beyond the 254th pod. */
  indexOf(pod: string | null): number {
    if (pod === null) return UNKNOWN_POD_INDEX;
    const known = this.indexes.get(pod);
    if (known !== undefined) return known;
    if (this.pods.length >= MAX_INDEXED_PODS) return UNKNOWN_POD_INDEX;
    const index = this.pods.length;
    this.indexes.set(pod, index);
    this.pods.push(pod);
    return index;
  }
}

/** Encodes a whole list at once (tests, small cells); returns the bytes and the pod list to store with them. */
export function encodeSamples(samples: RequestSample[]): { data: Buffer; pods: string[] } {
  const indexer = new PodIndexer();
  const data = Buffer.alloc(samples.length * SAMPLE_RECORD_BYTES);
  samples.forEach((sample, i) => encodeSample(sample, indexer.indexOf(sample.pod), data, i * SAMPLE_RECORD_BYTES));
  return { data, pods: indexer.pods };
}

const FLUSH_BYTES = 64 * 1024;

/**
 * Writes samples to a file as they arrive: records go into a ~64 KiB buffer that is handed to an asynchronous
 * append when full, so a long cell never holds all samples in memory and a crash leaves everything flushed so far.
 * append() never throws on I/O; the first write error is reported by close().
 */
export class SamplesFileWriter {
  private readonly path: string;
  private readonly handle: Promise<FileHandle>;
  private readonly indexer = new PodIndexer();
  private buffer = Buffer.alloc(FLUSH_BYTES);
  private used = 0;
  private count = 0;
  private closed = false;
  private chain: Promise<void>;
  private error: unknown = null;

  constructor(path: string) {
    this.path = path;
    this.handle = open(path, 'w');
    this.chain = this.handle.then(
      () => undefined,
      (err: unknown) => this.fail(err),
    );
  }

  /** Buffers one sample; flushes in the background when the buffer is full. */
  append(sample: RequestSample): void {
    if (this.closed) {
      throw new Error(`SamplesFileWriter: expected append() before close(), but ${this.path} is already closed`);
    }
    encodeSample(sample, this.indexer.indexOf(sample.pod), this.buffer, this.used);
    this.used += SAMPLE_RECORD_BYTES;
    this.count++;
    if (this.used + SAMPLE_RECORD_BYTES > this.buffer.length) this.flush();
  }

  /** Writes what is buffered, closes the file, and returns the record count and the pod list for CellResult. */
  async close(): Promise<{ count: number; pods: string[] }> {
    if (!this.closed) {
      this.closed = true;
      this.flush();
      this.chain = this.chain.then(async () => {
        const handle = await this.handle.catch(() => null);
        await handle?.close().catch((err: unknown) => this.fail(err));
      });
    }
    await this.chain;
    if (this.error !== null) {
      throw new HarnessError('samples-write', `Could not write the samples file ${this.path}: ${String(this.error)}`, {
        hint: 'Check that the run folder exists, is writable and that the disk is not full.',
        cause: this.error,
      });
    }
    return { count: this.count, pods: [...this.indexer.pods] };
  }

  private flush(): void {
    if (this.used === 0) return;
    // Each flush is one complete gzip member: the file is a valid (multi-member) gzip stream at every moment, so a
    // crash loses at most the unflushed buffer, and the records compress to about 10 bytes each.
    const chunk = gzipSync(this.buffer.subarray(0, this.used));
    this.buffer = Buffer.alloc(FLUSH_BYTES);
    this.used = 0;
    this.chain = this.chain.then(async () => {
      if (this.error !== null) return;
      try {
        const handle = await this.handle;
        // FileHandle.write may write less than asked; loop until the chunk is on disk.
        let written = 0;
        while (written < chunk.length) {
          const { bytesWritten } = await handle.write(chunk, written, chunk.length - written);
          if (bytesWritten <= 0) throw new Error(`write returned ${bytesWritten} bytes`);
          written += bytesWritten;
        }
      } catch (err) {
        this.fail(err);
      }
    });
  }

  private fail(err: unknown): void {
    if (this.error === null) this.error = err;
  }
}

/** Reads a samples file written by SamplesFileWriter; `pods` is CellResult.samplePods. */
export async function readSamplesFile(path: string, pods: string[]): Promise<RequestSample[]> {
  return decodeSamples(inflateSamples(await readFile(path)), pods);
}

/**
 * The raw records of a samples file: gzip members as SamplesFileWriter writes them (a truncated last member, after a
 * crash, yields what it holds), or plain records as early versions wrote them.
 */
export function inflateSamples(data: Buffer): Buffer {
  const gzipped = data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
  return gzipped ? gunzipSync(data, { finishFlush: zlibConstants.Z_SYNC_FLUSH }) : data;
}
