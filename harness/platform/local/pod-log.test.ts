import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PodLog } from './pod-log.ts';

describe('PodLog', () => {
  it('keeps lines up to its limit, then says how many it left out', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'drainlab-pod-log-'));
    try {
      const log = new PodLog(path.join(dir, 'pods'), 'web-1', 20);
      for (const line of ['first line', 'second', 'third is too long', 'x']) log.write(line);
      log.close();
      log.write('after close');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(readFileSync(path.join(dir, 'pods', 'web-1.log'), 'utf8')).toBe(
        'first line\nsecond\n[drainlab: 2 more line(s) not kept: the log is cut at 20 bytes]\n',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
