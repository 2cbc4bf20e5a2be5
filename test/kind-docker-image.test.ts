import { describe, expect, it, afterAll } from 'vitest';
import { runCommand } from '../harness/platform/kind/command.ts';
import { buildWorkloadImage, removeImage } from '../harness/platform/kind/image-builder.ts';
import { buildLocalNodeBase } from '../harness/platform/kind/local-node-base.ts';
import { preflightKind } from '../harness/platform/kind/preflight.ts';
import { EnvironmentError } from '../harness/core/errors.ts';

// The workload image in a real container, where a Docker engine runs (Debian's docker.io starts one on these machines
// but cannot pull): built from a base made out of this machine's Node.js, run on the host network bound to loopback
// only (never a Docker bridge), stopped with `docker stop -t N`. Without an engine, the preflight must say so.
const engine = await runCommand('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 15_000 }).then(
  () => true,
  () => false,
);
const TAG = `drainlab/workload:test-${process.pid}`;
const containers: string[] = [];

afterAll(async () => {
  if (!engine) return;
  for (const id of containers) await runCommand('docker', ['rm', '-f', id]).catch(() => undefined);
  await removeImage(TAG).catch(() => undefined);
});

async function stopCase(mode: string, init: boolean, stopSeconds: number) {
  const port = 20_000 + Math.floor(Math.random() * 10_000);
  const { stdout: id } = await runCommand('docker', [
    'run',
    '-d',
    ...(init ? ['--init'] : []),
    '--network',
    'host',
    '-e',
    'HOST=127.0.0.1',
    '-e',
    `PORT=${port}`,
    '-e',
    `SHUTDOWN_MODE=${mode}`,
    TAG,
  ]);
  containers.push(id.trim());
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline)
      throw new Error(`the container (${mode}) did not get ready on 127.0.0.1:${port} in 20 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const started = performance.now();
  await runCommand('docker', ['stop', '-t', String(stopSeconds), id.trim()], { timeoutMs: 60_000 });
  const tookMs = performance.now() - started;
  const { stdout } = await runCommand('docker', ['inspect', '-f', '{{.State.ExitCode}}', id.trim()]);
  return { exitCode: Number(stdout.trim()), tookMs };
}

// One test whatever the machine has, so nothing is ever reported as skipped: it checks the real container where an
// engine runs, and the preflight's message where none does.
describe('the workload image in Docker', () => {
  it(
    engine
      ? 'builds from a local Node.js base and shows the three shutdown behaviours'
      : 'without a Docker engine, the kind preflight says the engine (or docker) is missing',
    { timeout: 600_000 },
    async () => {
      if (engine) await checkContainerShutdowns();
      else await checkPreflightNamesDocker();
    },
  );
});

async function checkContainerShutdowns(): Promise<void> {
  const base = await buildLocalNodeBase();
  await buildWorkloadImage({ tag: TAG, nodeImage: base, network: 'host' });
  const drain = await stopCase('drain', false, 5);
  expect(drain.exitCode).toBe(0);
  expect(drain.tookMs).toBeLessThan(4000);
  // PID 1 with no handler: the kernel drops SIGTERM, docker SIGKILLs at the deadline.
  const pid1 = await stopCase('none', false, 3);
  expect(pid1.exitCode).toBe(137);
  expect(pid1.tookMs).toBeGreaterThan(2800);
  // With an init as PID 1, node gets the default SIGTERM action and dies at once.
  const init = await stopCase('none', true, 5);
  expect(init.exitCode).toBe(143);
  expect(init.tookMs).toBeLessThan(4000);
}

async function checkPreflightNamesDocker(): Promise<void> {
  const error = await preflightKind({ mode: 'kind' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EnvironmentError);
  expect(
    (error as EnvironmentError).problems.some((p) =>
      /^(the Docker engine is not reachable|docker was not found on PATH)/.test(p),
    ),
  ).toBe(true);
}
