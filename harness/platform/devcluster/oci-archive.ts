import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCommand, type CommandOptions } from '../kind/command.ts';

/** The image configuration fields drainlab sets (OCI image spec, `config`). */
export interface OciRuntimeConfig {
  Entrypoint?: string[];
  Cmd?: string[];
  Env?: string[];
  WorkingDir?: string;
  User?: string;
  ExposedPorts?: Record<string, Record<string, never>>;
}

/** One single-layer image made from a directory. */
export interface OciImageSpec {
  /** Fully qualified name, e.g. `docker.io/drainlab/workload:dev` (what Kubernetes normalises `drainlab/workload:dev` to). */
  name: string;
  /** The root filesystem, packed as the one layer (owner and group 0, numeric). */
  rootfs: string;
  config: OciRuntimeConfig;
}

/** `docker.io/library/x:tag` style name, as the kubelet asks containerd for it. */
export function qualifiedImageName(name: string): string {
  const first = name.split('/')[0]!;
  const hasRegistry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const withRepo = hasRegistry ? name : name.includes('/') ? `docker.io/${name}` : `docker.io/library/${name}`;
  return /:[^/]+$/.test(withRepo) || withRepo.includes('@') ? withRepo : `${withRepo}:latest`;
}

/** Go's names for Node's architectures (the OCI `architecture` field). */
export function ociArchitecture(arch: string = process.arch): string {
  return (
    ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[arch] ??
    arch
  );
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Writes `spec` as an OCI image layout in a tar file (`ctr images import` reads it; so does `docker load` from 25 on).
 * The layer is an uncompressed tar of the root filesystem, so its digest is also its diff id. Needs `tar`.
 */
export async function writeOciArchive(
  spec: OciImageSpec,
  archive: string,
  opts: Pick<CommandOptions, 'env' | 'signal'> = {},
): Promise<{ manifestDigest: string; bytes: number }> {
  const layout = await mkdtemp(path.join(os.tmpdir(), 'drainlab-oci-'));
  try {
    const blobs = path.join(layout, 'blobs', 'sha256');
    await mkdir(blobs, { recursive: true });
    const layerTmp = path.join(layout, 'layer.tar');
    await runCommand(
      'tar',
      [
        '--numeric-owner',
        '--owner=0',
        '--group=0',
        '--sort=name',
        '--mtime=@0',
        '-C',
        spec.rootfs,
        '-cf',
        layerTmp,
        '.',
      ],
      { ...opts, timeoutMs: 5 * 60_000 },
    );
    const layerDigest = await sha256File(layerTmp);
    const layerSize = (await stat(layerTmp)).size;
    await rename(layerTmp, path.join(blobs, layerDigest));
    const blob = async (json: unknown) => {
      const bytes = Buffer.from(JSON.stringify(json));
      const digest = createHash('sha256').update(bytes).digest('hex');
      await writeFile(path.join(blobs, digest), bytes);
      return { digest: `sha256:${digest}`, size: bytes.length };
    };
    const config = await blob({
      architecture: ociArchitecture(),
      os: 'linux',
      created: '1970-01-01T00:00:00Z',
      config: spec.config,
      rootfs: { type: 'layers', diff_ids: [`sha256:${layerDigest}`] },
      history: [{ created: '1970-01-01T00:00:00Z', created_by: 'drainlab devcluster (from a local directory)' }],
    });
    const manifest = await blob({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: [
        { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: `sha256:${layerDigest}`, size: layerSize },
      ],
    });
    const name = qualifiedImageName(spec.name);
    await writeFile(
      path.join(layout, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            ...manifest,
            platform: { architecture: ociArchitecture(), os: 'linux' },
            annotations: {
              'io.containerd.image.name': name,
              'org.opencontainers.image.ref.name': name.split(':').pop(),
            },
          },
        ],
      }),
    );
    await writeFile(path.join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    await runCommand('tar', ['-C', layout, '-cf', archive, 'oci-layout', 'index.json', 'blobs'], {
      ...opts,
      timeoutMs: 5 * 60_000,
    });
    return { manifestDigest: manifest.digest, bytes: (await stat(archive)).size };
  } finally {
    await rm(layout, { recursive: true, force: true });
  }
}
