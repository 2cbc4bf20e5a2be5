import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { KindCli, nodePlatform } from '../harness/platform/kind/kind-cli.ts';
import { fakeTools, type FakeTools } from './kind-fixtures.ts';

// Docker Desktop (and Docker Engine 29) store images in containerd, where `kind load docker-image` of a pulled
// multi-platform image fails (kind#3795). The fixture docker and kind answer as the real ones do there.
let tools: FakeTools | undefined;
afterEach(() => tools?.dispose());

function cli(knobs: Record<string, string> = {}): KindCli {
  tools = fakeTools(['docker', 'kind'], knobs);
  return new KindCli({ env: tools.env });
}

describe('loading an image into kind', () => {
  it('uses kind load docker-image when it works', async () => {
    expect(await cli().loadDockerImage('grafana/k6:2.2.0', 'drainlab')).toBe('docker-image');
    expect(tools!.calls()).toEqual(['kind load docker-image grafana/k6:2.2.0 --name drainlab']);
  });

  it("loads an archive saved for the nodes' platform when the containerd image store breaks docker-image", async () => {
    const kind = cli({ FAKE_IMAGE_STORE: 'containerd' });
    expect(await kind.loadDockerImage('grafana/k6:2.2.0', 'drainlab', 'linux/arm64')).toBe('archive');
    const calls = tools!.calls();
    expect(calls).toHaveLength(3);
    expect(calls[0]).toBe('kind load docker-image grafana/k6:2.2.0 --name drainlab');
    const save = /^docker save --platform linux\/arm64 --output (\S+\/image\.tar) grafana\/k6:2\.2\.0$/.exec(calls[1]!);
    expect(save).not.toBeNull();
    expect(calls[2]).toBe(`kind load image-archive ${save![1]} --name drainlab`);
    expect(existsSync(save![1]!)).toBe(false);
  });

  it('says what to change when saving one platform fails too (Docker older than 28)', async () => {
    const kind = cli({ FAKE_IMAGE_STORE: 'containerd', FAKE_FAIL: 'docker save' });
    const error = await kind.loadDockerImage('grafana/k6:2.2.0', 'drainlab').catch((e: unknown) => e);
    expect(error).toMatchObject({ hint: expect.stringContaining('containerd-snapshotter') });
    expect((error as { hint: string }).hint).toContain('Docker 28');
    expect(tools!.calls().some((c) => c.startsWith('kind load image-archive'))).toBe(false);
  });

  it('does not retry another failure, and says the image must exist', async () => {
    const kind = cli({ FAKE_FAIL: 'kind load docker-image' });
    const error = await kind.loadDockerImage('drainlab/workload:x', 'drainlab').catch((e: unknown) => e);
    expect(error).toMatchObject({ hint: expect.stringContaining('docker image inspect drainlab/workload:x') });
    expect(tools!.calls()).toEqual(['kind load docker-image drainlab/workload:x --name drainlab']);
  });

  it("names the nodes' platform from the host's architecture", () => {
    expect(nodePlatform('x64')).toBe('linux/amd64');
    expect(nodePlatform('arm64')).toBe('linux/arm64');
  });
});
