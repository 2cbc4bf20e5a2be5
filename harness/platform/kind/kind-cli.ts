import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CommandError, runCommand, type CommandOptions } from './command.ts';
import { KIND_WAIT } from './kind-defaults.ts';

/**
 * A small typed wrapper over the `kind` CLI (like kind's own Provider: one method per operation, no state of its own;
 * the cluster is found again by its name). Every failure is a CommandError whose message holds a pasteable command.
 */
export class KindCli {
  constructor(private readonly opts: Pick<CommandOptions, 'env' | 'signal' | 'onLine'> = {}) {}

  /** `kind version`, e.g. `kind v0.33.0 go1.24 linux/amd64`. */
  async version(): Promise<string> {
    return (await this.kind(['version'])).stdout.trim();
  }

  /** Names of the existing kind clusters. */
  async getClusters(): Promise<string[]> {
    const { stdout } = await this.kind(['get', 'clusters']);
    // kind prints "No kind clusters found." on stderr when there are none; stdout holds one name per line.
    return stdout
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
  }

  /** `kind create cluster --name <name> --config <file> --wait 120s`, with the config written to a temporary file. */
  async createCluster(name: string, configYaml: string, wait = KIND_WAIT): Promise<void> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'drainlab-kind-'));
    const file = path.join(dir, 'cluster.yaml');
    try {
      await writeFile(file, configYaml, 'utf8');
      await this.kind(['create', 'cluster', '--name', name, '--config', file, '--wait', wait], {
        hint: `kind could not create the cluster; a half-created one is removed with: kind delete cluster --name ${name}`,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** The cluster's kubeconfig (what `kind get kubeconfig --name <name>` prints); never the user's own file. */
  async getKubeconfig(name: string): Promise<string> {
    return (await this.kind(['get', 'kubeconfig', '--name', name])).stdout;
  }

  /**
   * Copies a local Docker image onto every node of the cluster. With Docker's containerd image store (the default of
   * Docker Desktop, and of Docker Engine 29), `kind load docker-image` of a multi-platform image fails with "content
   * digest ... not found": `docker save` exports an index naming every platform while only one was pulled
   * (https://github.com/kubernetes-sigs/kind/issues/3795). Then the image is saved for the nodes' platform alone and
   * loaded as an archive, which needs no change to Docker's settings.
   */
  async loadDockerImage(image: string, name: string, platform = nodePlatform()): Promise<'docker-image' | 'archive'> {
    try {
      await this.kind(['load', 'docker-image', image, '--name', name]);
      return 'docker-image';
    } catch (error) {
      if (!(error instanceof CommandError) || !MISSING_PLATFORM_CONTENT.test(error.message)) {
        throw withHint(error, `the image must exist locally first: docker image inspect ${image}`);
      }
    }
    const dir = await mkdtemp(path.join(os.tmpdir(), 'drainlab-image-'));
    const archive = path.join(dir, 'image.tar');
    try {
      await runCommand('docker', ['save', '--platform', platform, '--output', archive, image], {
        ...this.opts,
      }).catch((error: unknown) => {
        throw withHint(
          error,
          `kind could not load ${image} from Docker's containerd image store, and saving it for ${platform} alone ` +
            'failed too (docker save --platform needs Docker 28 or newer); update Docker, or turn ' +
            '"containerd-snapshotter" off in /etc/docker/daemon.json (Docker Desktop: Settings > General > ' +
            '"Use containerd for pulling and storing images") and restart Docker',
        );
      });
      await this.kind(['load', 'image-archive', archive, '--name', name]);
      return 'archive';
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Deletes the cluster (kind succeeds when it does not exist). */
  async deleteCluster(name: string): Promise<void> {
    await this.kind(['delete', 'cluster', '--name', name]);
  }

  private async kind(args: string[], extra: { hint?: string } = {}) {
    try {
      return await runCommand('kind', args, this.opts);
    } catch (error) {
      throw extra.hint ? withHint(error, extra.hint) : error;
    }
  }
}

/** What kind prints when the archive Docker exported names platform content that is not in the store. */
const MISSING_PLATFORM_CONTENT = /content digest \S+: not found/;

/** The platform of kind's nodes: they run on the Docker host's architecture (Apple silicon: arm64). */
export function nodePlatform(arch: string = process.arch): string {
  return `linux/${arch === 'x64' ? 'amd64' : arch}`;
}

/** The same CommandError with `hint` when it has none yet; anything else unchanged. */
function withHint(error: unknown, hint: string): unknown {
  if (!(error instanceof CommandError) || error.hint) return error;
  return new CommandError(error.commandLine, error.message.split('\n  command: ')[0]!, {
    hint,
    cause: error.cause,
    ...(error.commandExitCode === undefined ? {} : { commandExitCode: error.commandExitCode }),
  });
}
