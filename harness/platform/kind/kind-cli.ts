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

  /** Copies a local Docker image onto every node of the cluster. */
  async loadDockerImage(image: string, name: string): Promise<void> {
    await this.kind(['load', 'docker-image', image, '--name', name], {
      hint:
        `the image must exist locally first (docker image inspect ${image}); "content digest ... not found" means ` +
        "Docker's containerd image store (the default since Docker 29) exported a multi-platform image kind cannot " +
        'import: turn "containerd-snapshotter" off in /etc/docker/daemon.json and restart Docker, see ' +
        'https://github.com/kubernetes-sigs/kind/issues/3795',
    });
  }

  /** Deletes the cluster (kind succeeds when it does not exist). */
  async deleteCluster(name: string): Promise<void> {
    await this.kind(['delete', 'cluster', '--name', name]);
  }

  private async kind(args: string[], extra: { hint?: string } = {}) {
    try {
      return await runCommand('kind', args, this.opts);
    } catch (error) {
      if (error instanceof CommandError && extra.hint && !error.hint) {
        throw new CommandError(error.commandLine, error.message.split('\n  command: ')[0]!, {
          hint: extra.hint,
          cause: error.cause,
          ...(error.commandExitCode === undefined ? {} : { commandExitCode: error.commandExitCode }),
        });
      }
      throw error;
    }
  }
}
