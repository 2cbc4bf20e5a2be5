import { cp, mkdir, mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCommand, type CommandOptions } from './command.ts';

const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** The local base image's repository; the tag is this machine's Node.js version. */
export const LOCAL_BASE_REPOSITORY = 'drainlab/local-node-base';

/**
 * Makes a base image out of this machine's own Node.js (see stageNodeRootfs), for
 * machines that can run Docker but cannot pull (build args NODE_IMAGE and BUILD_IMAGE of workloads/Dockerfile).
 * Users with a registry get the pinned public image instead. Linux only; returns the image tag.
 */
export async function buildLocalNodeBase(opts: Pick<CommandOptions, 'env' | 'signal'> = {}): Promise<string> {
  const tag = `${LOCAL_BASE_REPOSITORY}:${process.versions.node}`;
  const stage = await mkdtemp(path.join(os.tmpdir(), 'drainlab-base-'));
  try {
    await stageNodeRootfs(stage, opts);
    await runCommand(
      'sh',
      [
        '-c',
        `tar -C ${stage} -c . | docker import --change 'ENV PATH=${NODE_BASE_ENV.PATH}' --change 'ENV NODE_EXTRA_CA_CERTS=${NODE_BASE_ENV.NODE_EXTRA_CA_CERTS}' --change 'WORKDIR /app' - ${tag}`,
      ],
      { ...opts, timeoutMs: 5 * 60_000 },
    );
    return tag;
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

/** The environment the local base sets (PATH, and the machine's CA bundle for npm). */
export const NODE_BASE_ENV = { PATH: '/usr/bin:/bin', NODE_EXTRA_CA_CERTS: CA_BUNDLE } as const;

/**
 * Copies this machine's Node.js into `stage` as a root filesystem: node, npm, sh, env, sleep (preStop hooks such as
 * `exec: [sleep, 40]` need it) and their shared libraries, the CA bundle, and empty /tmp, /root and /app.
 */
export async function stageNodeRootfs(stage: string, opts: Pick<CommandOptions, 'env' | 'signal'> = {}): Promise<void> {
  const node = await realpath(process.execPath);
  const npmDir = path.resolve(path.dirname(await realpath(path.join(path.dirname(node), 'npm'))), '..');
  const tools = { '/bin/sh': '/bin/sh', '/usr/bin/env': '/usr/bin/env', '/bin/sleep': '/bin/sleep' };
  const binaries = [node, ...(await Promise.all(Object.values(tools).map((t) => realpath(t))))];
  const libraries = new Set<string>();
  for (const binary of binaries) for (const lib of await sharedLibraries(binary, opts)) libraries.add(lib);
  const copy = async (from: string, to = from) => {
    await mkdir(path.dirname(path.join(stage, to)), { recursive: true });
    await cp(from, path.join(stage, to), { recursive: true, dereference: true });
  };
  await copy(node, '/usr/bin/node');
  for (const [i, to] of Object.keys(tools).entries()) await copy(binaries[i + 1]!, to);
  for (const lib of libraries) await copy(lib);
  await copy(npmDir, '/usr/lib/node_modules/npm');
  await symlink('../lib/node_modules/npm/bin/npm-cli.js', path.join(stage, 'usr/bin/npm'));
  // This machine's trust store too: where the registry is reached through a TLS-inspecting proxy, npm needs its CA.
  await copy(CA_BUNDLE);
  for (const dir of ['tmp', 'root', 'app']) await mkdir(path.join(stage, dir), { recursive: true });
}

/** Absolute paths of the shared libraries `binary` loads (ldd), the dynamic loader included. */
async function sharedLibraries(binary: string, opts: Pick<CommandOptions, 'env' | 'signal'>): Promise<string[]> {
  const { stdout } = await runCommand('ldd', [binary], { ...opts, timeoutMs: 10_000 });
  const libs: string[] = [];
  for (const line of stdout.split('\n')) {
    const match = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line);
    if (match) libs.push(match[1]!);
  }
  // Keep the paths as the binary asks for them (e.g. /lib64/ld-linux-x86-64.so.2), copying the target's contents.
  return libs.filter((lib) => !lib.includes('linux-vdso'));
}
