import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HarnessError } from '../core/errors.ts';
import type { RequestSample } from '../model/sample.ts';
import {
  SAMPLE_RECORD_BYTES,
  SamplesFileWriter,
  decodeSamples,
  encodeSample,
  encodeSamples,
  readSamplesFile,
} from './samples-codec.ts';

function sample(over: Partial<RequestSample> = {}): RequestSample {
  return {
    scheduledMs: 1500.25,
    startMs: 1500.75,
    durationMs: 42.125,
    status: 200,
    cause: null,
    pod: 'web-1',
    reused: false,
    ...over,
  };
}

describe('encodeSample / decodeSamples', () => {
  it('lays out 16 little-endian bytes as documented', () => {
    const bytes = encodeSample(sample({ cause: 'reset', reused: true, status: 0 }), 3);
    expect(bytes.length).toBe(SAMPLE_RECORD_BYTES);
    expect(bytes.readUInt32LE(0)).toBe(1_500_250);
    expect(bytes.readUInt32LE(4)).toBe(1_500_750);
    expect(bytes.readUInt32LE(8)).toBe(42_125);
    expect(bytes.readUInt16LE(12)).toBe(0);
    expect(bytes[14]).toBe(0x80 | 2); // reset is FAILURE_CAUSES[1]
    expect(bytes[15]).toBe(3);
  });

  it('round-trips every cause, the reused bit and unknown pods at µs precision', () => {
    const samples: RequestSample[] = [
      sample(),
      sample({ cause: 'refused', status: 0, reused: false, pod: 'web-2' }),
      sample({ cause: 'reset', status: 0, reused: true }),
      sample({ cause: 'timeout', status: 0, durationMs: 2000 }),
      sample({ cause: 'http-5xx', status: 503, pod: null }),
      sample({ cause: 'other', status: 418, reused: true, pod: 'web-3' }),
    ];
    const { data, pods } = encodeSamples(samples);
    expect(data.length).toBe(samples.length * SAMPLE_RECORD_BYTES);
    expect(pods).toEqual(['web-1', 'web-2', 'web-3']);
    expect(decodeSamples(data, pods)).toEqual(samples);
  });

  it('clamps out-of-range values and documents the precision', () => {
    const [decoded] = decodeSamples(
      encodeSample(sample({ scheduledMs: -5, startMs: 1e10, durationMs: 0.0004, status: 70_000 }), 0),
      ['web-1'],
    );
    expect(decoded).toMatchObject({ scheduledMs: 0, startMs: 4_294_967.295, durationMs: 0, status: 65_535 });
    const [nan] = decodeSamples(encodeSample(sample({ durationMs: Number.NaN, startMs: Infinity }), 0), []);
    expect(nan).toMatchObject({ durationMs: 0, startMs: 4_294_967.295 });
  });

  it('maps invalid pod indexes to unknown, and indexes outside the pod list read as null', () => {
    expect(encodeSample(sample(), 254)[15]).toBe(255);
    expect(encodeSample(sample(), -1)[15]).toBe(255);
    expect(decodeSamples(encodeSample(sample(), 7), ['only-one'])[0]!.pod).toBeNull();
  });

  it('gives only the first 254 pods an index', () => {
    const samples = Array.from({ length: 300 }, (_, i) => sample({ pod: `pod-${i}` }));
    const { data, pods } = encodeSamples(samples);
    expect(pods.length).toBe(254);
    const decoded = decodeSamples(data, pods);
    expect(decoded[253]!.pod).toBe('pod-253');
    expect(decoded[254]!.pod).toBeNull();
    expect(decoded[299]!.pod).toBeNull();
  });

  it('reads an unknown cause code as other and ignores a trailing partial record', () => {
    const bytes = Buffer.concat([encodeSample(sample(), 0), Buffer.alloc(5)]);
    bytes[14] = 0x80 | 42;
    const decoded = decodeSamples(bytes, ['web-1']);
    expect(decoded).toHaveLength(1);
    expect(decoded[0]).toMatchObject({ cause: 'other', reused: true });
  });

  it('stores a cause outside the vocabulary as other, never as success', () => {
    const bogus = sample({ cause: 'weird' as unknown as RequestSample['cause'] });
    expect(decodeSamples(encodeSample(bogus, 0), ['web-1'])[0]!.cause).toBe('other');
  });
});

describe('SamplesFileWriter', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'drainlab-samples-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('appends across several 64 KiB flushes and reads back what was written', async () => {
    const path = join(dir, 'samples.bin');
    const writer = new SamplesFileWriter(path);
    const count = 10_000; // 160 000 bytes: at least two full-buffer flushes plus the tail
    const written: RequestSample[] = [];
    for (let i = 0; i < count; i++) {
      const s = sample({
        scheduledMs: i * 10,
        startMs: i * 10 + 0.5,
        durationMs: 20 + (i % 60),
        pod: `web-${i % 3}`,
        reused: i % 2 === 0,
        cause: i % 97 === 0 ? 'refused' : null,
        status: i % 97 === 0 ? 0 : 200,
      });
      written.push(s);
      writer.append(s);
    }
    const { count: n, pods } = await writer.close();
    expect(n).toBe(count);
    expect(pods).toEqual(['web-0', 'web-1', 'web-2']);
    // Gzipped members: well under 16 bytes per request on disk.
    expect((await stat(path)).size).toBeLessThan(count * SAMPLE_RECORD_BYTES * 0.75);
    expect(await readSamplesFile(path, pods)).toEqual(written);
  });

  it('a file cut short by a crash still yields every record of its complete members', async () => {
    const path = join(dir, 'cut.bin');
    const writer = new SamplesFileWriter(path);
    for (let i = 0; i < 10_000; i++) writer.append(sample({ scheduledMs: i, startMs: i }));
    await writer.close();
    const whole = await readFile(path);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path, whole.subarray(0, Math.floor(whole.length * 0.7)));
    const survived = await readSamplesFile(path, []);
    // The first 64 KiB member (4096 records) is certainly complete; records come back in order and intact.
    expect(survived.length).toBeGreaterThanOrEqual(4096);
    expect(survived.length).toBeLessThan(10_000);
    expect(survived.map((s) => s.scheduledMs)).toEqual(survived.map((_, i) => i));
  });

  it('still reads files of plain records (written before compression)', async () => {
    const path = join(dir, 'plain.bin');
    const { writeFile } = await import('node:fs/promises');
    const { data, pods } = encodeSamples([sample({ pod: 'web-a' }), sample({ pod: 'web-b', cause: 'reset' })]);
    await writeFile(path, data);
    expect((await readSamplesFile(path, pods)).map((s) => [s.pod, s.cause])).toEqual([
      ['web-a', null],
      ['web-b', 'reset'],
    ]);
  });

  it('flushes data while appending, before close', async () => {
    const path = join(dir, 'streaming.bin');
    const writer = new SamplesFileWriter(path);
    for (let i = 0; i < 5000; i++) writer.append(sample({ scheduledMs: i }));
    // Give the background flush of the first full buffer a moment (bounded).
    const deadline = Date.now() + 5000;
    let size = 0;
    while (Date.now() < deadline && size === 0) {
      await new Promise((r) => setTimeout(r, 20));
      size = (await readFile(path)).length;
    }
    // The first full buffer (4096 records) is on disk as one gzip member before close.
    expect(await readSamplesFile(path, [])).toHaveLength(4096);
    await writer.close();
    expect(await readSamplesFile(path, [])).toHaveLength(5000);
  });

  it('writes an empty file for no samples, and refuses appends after close', async () => {
    const path = join(dir, 'empty.bin');
    const writer = new SamplesFileWriter(path);
    expect(await writer.close()).toEqual({ count: 0, pods: [] });
    expect((await stat(path)).size).toBe(0);
    expect(() => writer.append(sample())).toThrow(/already closed/);
    expect(await writer.close()).toEqual({ count: 0, pods: [] });
  });

  it('reports an unwritable path from close() as a HarnessError', async () => {
    const writer = new SamplesFileWriter(join(dir, 'missing-folder', 'samples.bin'));
    writer.append(sample());
    const error = await writer.close().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(HarnessError);
    expect(error).toMatchObject({ code: 'samples-write' });
    expect((error as HarnessError).hint).toMatch(/writable/);
  });
});
