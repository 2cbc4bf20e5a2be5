import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommandError, runCommand, type CommandOptions } from './command.ts';

/** Repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The workload Dockerfile. */
export const WORKLOAD_DOCKERFILE = 'workloads/Dockerfile';

/** How to build the workload image. */
export interface BuildOptions extends Pick<CommandOptions, 'env' | 'signal' | 'onLine'> {
  /** Tag to build, e.g. `drainlab/workload:<runId>`. */
  tag: string;
  /** Runtime base (build arg NODE_IMAGE); the Dockerfile's pinned public image when absent. */
  nodeImage?: string;
  /** Build-stage base (build arg BUILD_IMAGE); NODE_IMAGE when absent. */
  buildImage?: string;
  /** `host` runs RUN steps on the host network (no Docker bridge); Docker's default when absent. */
  network?: 'host';
}

/** What the build context holds: the lock files and the workload sources (no node_modules, reports or .git). */
const CONTEXT_ENTRIES = ['package.json', 'package-lock.json', 'workloads'];

/** The `docker build` arguments for the workload image, with `context` as the build context (also for --dry-run). */
export function workloadBuildArgs(
  opts: Omit<BuildOptions, 'env' | 'signal' | 'onLine'>,
  context = REPO_ROOT.replace(/\/$/, ''),
): string[] {
  return [
    'build',
    // The legacy builder leaves a failed step's container behind otherwise.
    '--force-rm',
    '--file',
    path.join(context, WORKLOAD_DOCKERFILE),
    '--tag',
    opts.tag,
    ...(opts.nodeImage ? ['--build-arg', `NODE_IMAGE=${opts.nodeImage}`] : []),
    ...(opts.buildImage ? ['--build-arg', `BUILD_IMAGE=${opts.buildImage}`] : []),
    ...(opts.network ? ['--network', opts.network] : []),
    context,
  ];
}

/**
 * Builds the workload image from workloads/Dockerfile (a multi-stage build that bundles with esbuild). The context is
 * a temporary copy of just the files the image needs, so it is small and the same with every builder (the legacy
 * builder reads no Dockerfile-specific ignore file).
 */
export async function buildWorkloadImage(opts: BuildOptions): Promise<string> {
  const context = await mkdtemp(path.join(os.tmpdir(), 'drainlab-image-'));
  try {
    for (const entry of CONTEXT_ENTRIES) {
      await cp(path.join(REPO_ROOT, entry), path.join(context, entry), {
        recursive: true,
        filter: (src) => !/[\\/](dist|node_modules)([\\/]|$)|\.test\.ts$/.test(path.relative(REPO_ROOT, src)),
      });
    }
    await runCommand('docker', workloadBuildArgs(opts, context), { ...pick(opts), timeoutMs: 15 * 60_000 });
  } finally {
    await rm(context, { recursive: true, force: true });
  }
  return opts.tag;
}

/** Makes sure `image` exists locally: inspected first, pulled only when missing. */
export async function ensureImagePresent(
  image: string,
  opts: Pick<CommandOptions, 'env' | 'signal' | 'onLine'> = {},
): Promise<void> {
  try {
    await runCommand('docker', ['image', 'inspect', '--format', '{{.Id}}', image], {
      ...pick(opts),
      timeoutMs: 30_000,
    });
    return;
  } catch (error) {
    if (!(error instanceof CommandError) || error.commandExitCode === undefined) throw error;
  }
  await runCommand('docker', ['pull', image], { ...pick(opts), timeoutMs: 10 * 60_000 });
}

/** Removes a local image the run built (best effort is the caller's choice). */
export async function removeImage(image: string, opts: Pick<CommandOptions, 'env' | 'signal'> = {}): Promise<void> {
  await runCommand('docker', ['image', 'rm', image], { ...pick(opts), timeoutMs: 60_000 });
}

function pick(opts: Pick<CommandOptions, 'env' | 'signal' | 'onLine'>): CommandOptions {
  return {
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onLine ? { onLine: opts.onLine } : {}),
  };
}
