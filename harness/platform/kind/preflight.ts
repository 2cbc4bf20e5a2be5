import net from 'node:net';
import { EnvironmentError } from '../../core/errors.ts';
import { CommandError, runCommand } from './command.ts';
import { KIND_CLUSTER_NAME, KIND_VERSION, WORKLOAD_IMAGE_ENV } from './kind-defaults.ts';

/** What the preflight checks. */
export interface PreflightRequest {
  /** `kind`: docker + kind + kubectl and a reachable engine; `context`: an existing cluster, kubectl only. */
  mode: 'kind' | 'context';
  /** Environment the tools run with (PATH decides which binaries are found). */
  env?: NodeJS.ProcessEnv;
  /** Host ports the kind config maps; each must be free. */
  hostPorts?: readonly number[];
  /** kind mode: an existing `drainlab` cluster is fine only when reusing it. */
  reuseCluster?: boolean;
  /** False when every variant deploys its own images (your app's manifest): no workload image is needed. */
  needsWorkloadImage?: boolean;
  /** Aborts the checks. */
  signal?: AbortSignal;
}

/** What the preflight found when nothing is missing. */
export interface PreflightReport {
  /** Tool versions for results.json: `docker`, `dockerEngine`, `kind`, `kubectl` (those checked). */
  versions: Record<string, string>;
  /** kind mode: true when the harness cluster already exists (and --reuse-cluster was given). */
  clusterExists: boolean;
}

/** One line each: what is missing and how to install it (official instructions). */
export const INSTALL_HINTS = {
  docker:
    'docker was not found on PATH: install Docker Engine or Docker Desktop, https://docs.docker.com/get-started/get-docker/',
  kind: `kind was not found on PATH: install kind ${KIND_VERSION}, https://kind.sigs.k8s.io/docs/user/quick-start/#installation`,
  kubectl: 'kubectl was not found on PATH: install kubectl, https://kubernetes.io/docs/tasks/tools/#kubectl',
} as const;

/**
 * Checks everything the kind path needs before anything is created and reports every missing piece at once
 * (EnvironmentError, exit 4). Like kind's providers, each tool says up front whether it is available.
 */
export async function preflightKind(request: PreflightRequest): Promise<PreflightReport> {
  const run = (file: string, args: string[]) =>
    runCommand(file, args, { env: request.env, signal: request.signal, timeoutMs: 20_000 });
  const problems: string[] = [];
  const versions: Record<string, string> = {};
  const tool = async (name: keyof typeof INSTALL_HINTS, args: string[], parse: (out: string) => string) => {
    try {
      versions[name] = parse((await run(name, args)).stdout);
      return true;
    } catch (error) {
      problems.push(isMissing(error) ? INSTALL_HINTS[name] : `${name} is installed but failed: ${oneLine(error)}`);
      return false;
    }
  };

  const needKind = request.mode === 'kind';
  const [hasDocker, hasKind] = await Promise.all([
    // `docker version` fails when the engine is down; `--version` asks the client alone (the engine is checked below).
    needKind ? tool('docker', ['--version'], (s) => /version ([^\s,]+)/.exec(s)?.[1] ?? s.trim()) : false,
    needKind ? tool('kind', ['version'], (s) => s.trim().split(/\s+/)[1] ?? s.trim()) : false,
    tool('kubectl', ['version', '--client', '--output', 'json'], kubectlVersion),
  ]);

  let engine = false;
  if (hasDocker) {
    try {
      versions.dockerEngine = (await run('docker', ['info', '--format', '{{.ServerVersion}}'])).stdout.trim();
      engine = true;
    } catch (error) {
      problems.push(
        `the Docker engine is not reachable (docker info failed: ${oneLine(error)}): start Docker (Docker Desktop, or sudo systemctl start docker) and check that docker info works`,
      );
    }
  }
  for (const port of request.hostPorts ?? []) {
    if (!(await portIsFree(port))) {
      problems.push(
        `host port ${port} is in use, and manifests/kind/cluster.yaml maps it: free it or change the mapping`,
      );
    }
  }
  let clusterExists = false;
  if (hasKind && engine) {
    try {
      const clusters = (await run('kind', ['get', 'clusters'])).stdout.split('\n').map((s) => s.trim());
      clusterExists = clusters.includes(KIND_CLUSTER_NAME);
      if (clusterExists && !request.reuseCluster) {
        problems.push(
          `a kind cluster named ${KIND_CLUSTER_NAME} already exists: add --reuse-cluster to run on it, or delete it with: kind delete cluster --name ${KIND_CLUSTER_NAME}`,
        );
      }
    } catch (error) {
      problems.push(`kind cannot list clusters (${oneLine(error)}): check that kind get clusters works`);
    }
  }
  if (
    request.mode === 'context' &&
    request.needsWorkloadImage !== false &&
    !request.env?.[WORKLOAD_IMAGE_ENV] &&
    !process.env[WORKLOAD_IMAGE_ENV]
  ) {
    problems.push(
      `--context loads no image into the cluster, so the workload image must be pullable there: build workloads/Dockerfile, push it, and set ${WORKLOAD_IMAGE_ENV}=<registry>/<image>:<tag>`,
    );
  }
  if (problems.length > 0) {
    throw new EnvironmentError(problems, {
      hint: needKind
        ? 'the kind platform needs Docker, kind and kubectl (see README "The kind platform"); the local platform needs none of them'
        : undefined,
    });
  }
  return { versions, clusterExists };
}

function isMissing(error: unknown): boolean {
  return error instanceof CommandError && / was not found on PATH/.test(error.message);
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.trim();
}

function kubectlVersion(stdout: string): string {
  try {
    return (JSON.parse(stdout) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ?? 'unknown';
  } catch {
    return stdout.trim().split('\n')[0] ?? 'unknown';
  }
}

/** True when a listener can bind the port on loopback right now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}
