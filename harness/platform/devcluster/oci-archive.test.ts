import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ociArchitecture, qualifiedImageName, writeOciArchive } from './oci-archive.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('qualifiedImageName', () => {
  it('names images as the kubelet asks containerd for them', () => {
    expect(qualifiedImageName('drainlab/workload:devcluster')).toBe('docker.io/drainlab/workload:devcluster');
    expect(qualifiedImageName('busybox')).toBe('docker.io/library/busybox:latest');
    expect(qualifiedImageName('localhost:5000/x/y:1')).toBe('localhost:5000/x/y:1');
    expect(qualifiedImageName('ghcr.io/grafana/k6:2.2.0')).toBe('ghcr.io/grafana/k6:2.2.0');
  });

  it("maps Node's architecture names to the OCI ones", () => {
    expect(ociArchitecture('x64')).toBe('amd64');
    expect(ociArchitecture('arm64')).toBe('arm64');
  });
});

describe('writeOciArchive', () => {
  it('writes an OCI layout whose digests, diff id, name and config agree (what ctr images import checks)', async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'drainlab-oci-test-'));
    dirs.push(work);
    const rootfs = path.join(work, 'rootfs');
    await mkdir(path.join(rootfs, 'app'), { recursive: true });
    await writeFile(path.join(rootfs, 'app', 'hello.txt'), 'hi\n');
    const archive = path.join(work, 'image.tar');
    const { manifestDigest } = await writeOciArchive(
      { name: 'drainlab/test:1', rootfs, config: { Entrypoint: ['/app/run'], User: '1000', WorkingDir: '/app' } },
      archive,
    );
    const out = path.join(work, 'out');
    await mkdir(out);
    execFileSync('tar', ['-C', out, '-xf', archive]);
    const blob = (digest: string) => readFile(path.join(out, 'blobs', 'sha256', digest.replace('sha256:', '')));
    const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

    expect(JSON.parse(await readFile(path.join(out, 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    const index = JSON.parse(await readFile(path.join(out, 'index.json'), 'utf8'));
    expect(index.manifests).toHaveLength(1);
    expect(index.manifests[0].digest).toBe(manifestDigest);
    expect(index.manifests[0].annotations['io.containerd.image.name']).toBe('docker.io/drainlab/test:1');
    const manifestBytes = await blob(manifestDigest);
    expect(sha(manifestBytes)).toBe(manifestDigest);
    expect(index.manifests[0].size).toBe(manifestBytes.length);
    const manifest = JSON.parse(manifestBytes.toString());
    const layer = await blob(manifest.layers[0].digest);
    expect(sha(layer)).toBe(manifest.layers[0].digest);
    expect(manifest.layers[0].size).toBe(layer.length);
    const configBytes = await blob(manifest.config.digest);
    expect(sha(configBytes)).toBe(manifest.config.digest);
    const config = JSON.parse(configBytes.toString());
    expect(config.rootfs.diff_ids).toEqual([manifest.layers[0].digest]);
    expect(config.config).toEqual({ Entrypoint: ['/app/run'], User: '1000', WorkingDir: '/app' });
    expect(config.architecture).toBe(ociArchitecture());
    // The layer holds the root filesystem owned by root, whoever built it.
    const listing = execFileSync(
      'tar',
      ['-tvf', path.join(out, 'blobs', 'sha256', manifest.layers[0].digest.slice(7))],
      {
        encoding: 'utf8',
      },
    );
    expect(listing).toMatch(/0\/0 .* \.\/app\/hello\.txt/);
  });
});
