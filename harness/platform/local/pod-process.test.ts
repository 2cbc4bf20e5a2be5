import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { HarnessError } from '../../core/errors.ts';
import { PodProcess } from './pod-process.ts';

const started: PodProcess[] = [];
afterEach(async () => {
  for (const p of started.splice(0)) {
    p.signal('SIGKILL');
    await p.exited;
  }
});

async function run(script: string, onStderrLine?: (line: string) => void): Promise<PodProcess> {
  const p = await PodProcess.start({
    command: 'sh',
    args: ['-c', script],
    env: { PATH: process.env.PATH ?? '' },
    onStderrLine,
  });
  started.push(p);
  return p;
}

/** True while `pid` runs; a zombie (dead, waiting for its reparented parent to reap it) counts as gone. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('PodProcess', () => {
  it('reports exit codes the way a container runtime does', async () => {
    expect(await (await run('exit 7')).exited).toEqual({ exitCode: 7, signal: null });
    const term = await run('sleep 30');
    expect(term.signal('SIGTERM')).toBe(true);
    expect(await term.exited).toEqual({ exitCode: 143, signal: 'SIGTERM' });
    expect(term.alive).toBe(false);
    expect(term.signal('SIGKILL')).toBe(false);
  });

  it('signals the whole group: a child of the leader dies with it', async () => {
    let childPid = 0;
    const p = await run('sleep 30 & echo $! >&2; wait', (line) => (childPid = Number(line)));
    await expect.poll(() => childPid, { timeout: 5_000 }).toBeGreaterThan(0);
    expect(PodProcess.liveGroups()).toContain(p.pid);
    p.signal('SIGKILL');
    expect(await p.exited).toEqual({ exitCode: 137, signal: 'SIGKILL' });
    await expect.poll(() => isAlive(childPid), { timeout: 2_000 }).toBe(false);
    expect(PodProcess.liveGroups()).not.toContain(p.pid);
  });

  it('delivers every stderr line, including the last one written right before exit', async () => {
    const lines: string[] = [];
    const p = await run('echo one >&2; printf "two\\nthree" >&2; exit 0', (line) => lines.push(line));
    await p.exited;
    expect(lines).toEqual(['one', 'two', 'three']);
  });

  it('kills the groups still running when the harness process exits', () => {
    const child = fileURLToPath(new URL('./fixtures/exit-hook-child.ts', import.meta.url));
    const output = execFileSync(process.execPath, ['--import', 'tsx', child], { encoding: 'utf8', timeout: 20_000 });
    const pid = Number(output.trim());
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(false);
  });

  it('rejects with a clear error when the command cannot be started', async () => {
    const failure = PodProcess.start({ command: '/nonexistent/drainlab-workload', args: [], env: {} });
    await expect(failure).rejects.toBeInstanceOf(HarnessError);
    await expect(failure).rejects.toThrow(/could not start \/nonexistent\/drainlab-workload: .*ENOENT/);
  });
});
