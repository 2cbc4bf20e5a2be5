import { execFile } from 'node:child_process';
import { readdir, stat, utimes } from 'node:fs/promises';
import { dirname, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ensureWorkloadBundle } from './bundle.ts';
import { WORKLOAD_IMAGE } from './image.ts';

const run = promisify(execFile);

/** Runs node with `args`; resolves with its pid and stdout. */
function runNode(args: string[]): Promise<{ pid: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, args, { timeout: 30_000 }, (error, stdout) => {
      if (error) reject(error);
      else resolve({ pid: child.pid ?? -1, stdout });
    });
  });
}

/** Temp files some process left next to the bundle. */
async function tempFilesOf(bundle: string, pids: number[]): Promise<string[]> {
  const names = await readdir(dirname(bundle));
  return names.filter((name) => name.endsWith('.tmp') && pids.some((pid) => name.includes(`.${pid}.`)));
}
const BUNDLE_MODULE = fileURLToPath(new URL('./bundle.ts', import.meta.url));

/** Makes the bundle look older than every source, so the next call must rebuild it. */
async function makeStale(bundle: string): Promise<void> {
  await utimes(bundle, new Date(0), new Date(0));
}

async function expectValidBundle(bundle: string): Promise<void> {
  await run(process.execPath, ['--check', bundle], { timeout: 10_000 });
  expect(await tempFilesOf(bundle, [process.pid])).toEqual([]);
}

describe('ensureWorkloadBundle', () => {
  it('returns the absolute path of a bundle that node can load', async () => {
    const bundle = await ensureWorkloadBundle();
    expect(isAbsolute(bundle)).toBe(true);
    expect(bundle.endsWith('workloads/http-service/dist/server.js')).toBe(true);
    await expectValidBundle(bundle);
    expect(WORKLOAD_IMAGE).toBe('drainlab/workload:dev');
  });

  it('rebuilds a stale bundle once for concurrent callers in one process', async () => {
    const bundle = await ensureWorkloadBundle();
    await makeStale(bundle);
    const paths = await Promise.all([ensureWorkloadBundle(), ensureWorkloadBundle(), ensureWorkloadBundle()]);
    expect(new Set(paths)).toEqual(new Set([bundle]));
    expect((await stat(bundle)).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
    await expectValidBundle(bundle);
  });

  it('leaves a complete bundle when several processes rebuild it at once', async () => {
    const bundle = await ensureWorkloadBundle();
    await makeStale(bundle);
    const script = `const m = await import(${JSON.stringify(BUNDLE_MODULE)}); console.log(await m.ensureWorkloadBundle());`;
    const outputs = await Promise.all(
      [1, 2, 3].map(() => runNode(['--import', 'tsx', '--input-type=module', '-e', script])),
    );
    for (const { stdout } of outputs) expect(stdout.trim()).toBe(bundle);
    expect((await stat(bundle)).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
    await expectValidBundle(bundle);
    expect(
      await tempFilesOf(
        bundle,
        outputs.map((output) => output.pid),
      ),
    ).toEqual([]);
  });
});
