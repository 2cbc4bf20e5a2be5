import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { GeneratorRequest, GeneratorStats } from './generator-stats.ts';
import { pinned } from './workload-process.ts';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('./generator-child.ts', import.meta.url));

/** Runs the built-in generator once in a child process (pinned to `cpu` when given) and returns its stats. */
export async function runGeneratorChild(request: GeneratorRequest, cpu?: number): Promise<GeneratorStats> {
  const [command, args] = pinned(cpu, process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(request)]);
  const { stdout } = await run(command, args, {
    timeout: request.durationMs + 60_000,
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

/** Runs `wrk -t1 -c50` against /work for `seconds` (pinned to `cpu` when given) and returns its output. */
export async function runWrk(port: number, seconds: number, cpu?: number): Promise<string> {
  const [command, args] = pinned(cpu, 'wrk', ['-t1', '-c50', `-d${seconds}s`, `http://127.0.0.1:${port}/work`]);
  const { stdout } = await run(command, args, { timeout: seconds * 1000 + 30_000, killSignal: 'SIGKILL' });
  return stdout;
}
