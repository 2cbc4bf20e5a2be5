import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const SOURCE_DIR = fileURLToPath(new URL('./http-service/', import.meta.url));
const DIST_DIR = join(SOURCE_DIR, 'dist');
const ENTRY = join(SOURCE_DIR, 'server.ts');
const BUNDLE = join(DIST_DIR, 'server.js');

let pending: Promise<string> | undefined;

/**
 * Returns the absolute path of the workload bundle (workloads/http-service/dist/server.js), building it first when
 * it is missing or older than a source file. Safe to call concurrently, within a process and across processes:
 * the file is written under a temporary name and renamed into place, so readers never see half a file.
 */
export function ensureWorkloadBundle(): Promise<string> {
  pending ??= buildIfStale().finally(() => {
    pending = undefined;
  });
  return pending;
}

async function buildIfStale(): Promise<string> {
  const [built, newestSource] = await Promise.all([mtimeOf(BUNDLE), newestSourceMtime(SOURCE_DIR)]);
  if (built !== undefined && built >= newestSource) return BUNDLE;

  await mkdir(DIST_DIR, { recursive: true });
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error(`esbuild produced no output for ${ENTRY}; expected one bundle file`);
  // The bundle is ESM; this marker keeps it ESM when dist/ is copied somewhere without the repo's package.json.
  await writeAtomically(join(DIST_DIR, 'package.json'), '{ "type": "module" }\n');
  await writeAtomically(BUNDLE, output.contents);
  return BUNDLE;
}

async function writeAtomically(path: string, contents: string | Uint8Array): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, contents);
    await rename(temp, path);
  } finally {
    await rm(temp, { force: true });
  }
}

async function mtimeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Newest modification time of the sources that go into the bundle (tests and dist/ excluded). */
async function newestSourceMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'dist' && entry.name !== 'node_modules')
        newest = Math.max(newest, await newestSourceMtime(path));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, (await stat(path)).mtimeMs);
    }
  }
  return newest;
}
