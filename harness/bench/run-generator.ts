import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { POST_BODY } from '../load/virtual-user.ts';
import type { GeneratorRequest, GeneratorStats } from './generator-stats.ts';
import { pinned } from './workload-process.ts';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('./generator-child.ts', import.meta.url));

/** Runs the built-in generator once in a child process (pinned to `cpu` when given) and returns its stats. */
export async function runGeneratorChild(request: GeneratorRequest, cpu?: number): Promise<GeneratorStats> {
  const [command, args] = pinned(cpu, process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(request)]);
  const { stdout } = await run(command, args, {
    timeout: (request.leadInMs ?? 0) + request.durationMs + 60_000,
    killSignal: 'SIGKILL',
    maxBuffer: 1 << 20,
  });
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as GeneratorStats;
  } catch {
    throw new Error(`expected one JSON line of stats from the generator child, found: ${stdout.slice(0, 300)}`);
  }
}

/**
 * wrk's script for the request the generator sends in the benchmark (generator-child.ts: keep-alive POST with the
 * default JSON body, no server work), so both tools put the same work on the server.
 */
export const WRK_POST_SCRIPT = [
  'wrk.method = "POST"',
  'wrk.path = "/work?workMs=0"',
  `wrk.body = '${POST_BODY}'`,
  'wrk.headers["Content-Type"] = "application/json"',
  '',
].join('\n');

/** Runs `wrk -t1 -c<connections>` with WRK_POST_SCRIPT for `seconds` (pinned to `cpu` when given); returns its output. */
export async function runWrk(port: number, seconds: number, connections: number, cpu?: number): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'drainlab-wrk-'));
  try {
    const script = path.join(dir, 'post.lua');
    await writeFile(script, WRK_POST_SCRIPT);
    const [command, args] = pinned(cpu, 'wrk', [
      '-t1',
      `-c${connections}`,
      `-d${seconds}s`,
      '-s',
      script,
      `http://127.0.0.1:${port}`,
    ]);
    const { stdout } = await run(command, args, { timeout: seconds * 1000 + 30_000, killSignal: 'SIGKILL' });
    return stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
