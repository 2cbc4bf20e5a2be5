import { chmod, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureWorkloadBundle } from '../../../workloads/bundle.ts';
import { runCommand, type CommandOptions } from '../kind/command.ts';
import { REPO_ROOT } from '../kind/image-builder.ts';
import { NODE_BASE_ENV, stageNodeRootfs } from '../kind/local-node-base.ts';
import { writeOciArchive } from './oci-archive.ts';

/** The sandbox ("pause") image the development cluster's containerd uses. */
export const DEVCLUSTER_PAUSE_IMAGE = 'drainlab/pause:devcluster';
/** The workload image on the development cluster (pass it as DRAINLAB_WORKLOAD_IMAGE with --context). */
export const DEVCLUSTER_WORKLOAD_IMAGE = 'drainlab/workload:devcluster';

type Opts = Pick<CommandOptions, 'env' | 'signal'>;

/** The pause image: scripts/devcluster/pause.c built static with the machine's C compiler. */
export async function writePauseArchive(archive: string, opts: Opts = {}): Promise<void> {
  const rootfs = await mkdtemp(path.join(os.tmpdir(), 'drainlab-pause-'));
  try {
    const source = path.join(REPO_ROOT, 'scripts/devcluster/pause.c');
    await runCommand('cc', ['-O2', '-static', '-o', path.join(rootfs, 'pause'), source], {
      ...opts,
      timeoutMs: 60_000,
    });
    await writeOciArchive(
      { name: DEVCLUSTER_PAUSE_IMAGE, rootfs, config: { Entrypoint: ['/pause'], User: '65535:65535' } },
      archive,
      opts,
    );
  } finally {
    await rm(rootfs, { recursive: true, force: true });
  }
}

/**
 * The workload image without Docker: this machine's Node.js as the base (stageNodeRootfs) plus the bundled service,
 * configured as workloads/Dockerfile configures it (node as PID 1, user 1000, port 8080).
 */
export async function writeWorkloadArchive(archive: string, opts: Opts = {}): Promise<void> {
  const rootfs = await mkdtemp(path.join(os.tmpdir(), 'drainlab-workload-'));
  try {
    await stageNodeRootfs(rootfs, opts);
    const bundle = await ensureWorkloadBundle();
    await mkdir(path.join(rootfs, 'app'), { recursive: true });
    await copyFile(bundle, path.join(rootfs, 'app', 'server.js'));
    await writeFile(path.join(rootfs, 'app', 'package.json'), '{"type":"module"}\n');
    await chmod(path.join(rootfs, 'tmp'), 0o1777);
    await writeOciArchive(
      {
        name: DEVCLUSTER_WORKLOAD_IMAGE,
        rootfs,
        config: {
          Entrypoint: ['node', 'server.js'],
          Env: [`PATH=${NODE_BASE_ENV.PATH}`, 'NODE_ENV=production', 'PORT=8080'],
          WorkingDir: '/app',
          User: '1000',
          ExposedPorts: { '8080/tcp': {} },
        },
      },
      archive,
      opts,
    );
  } finally {
    await rm(rootfs, { recursive: true, force: true });
  }
}
