import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

// --app-manifest through the real CLI: every bad manifest is one message saying what to change, exit 2, and nothing
// is deployed (these runs name no cluster that exists: the manifest is read and refused before any cluster is asked).
const REAL = ['--platform', 'kind', '--context', 'no-such-context', '--i-understand-this-is-not-a-harness-cluster'];
const FIX = 'test/fixtures/manifests';

describe('--app-manifest bad input', { timeout: 120_000 }, () => {
  it.each([
    [
      'no Deployment',
      `${FIX}/no-deployment.yaml`,
      /^error: test\/fixtures\/manifests\/no-deployment\.yaml holds no Deployment \(only Service\): drainlab rolls out a Deployment; give the manifest of your Deployment and its Service$/m,
    ],
    [
      'no Service',
      `${FIX}/no-service.yaml`,
      /^error: .*no-service\.yaml:1: Deployment\/shop: no Service in .* selects its pods .*add the Service to the manifest$/m,
    ],
    [
      'two candidate containers',
      `${FIX}/two-containers.yaml`,
      /^error: .*two-containers\.yaml:1: Deployment\/shop: the Service shop could be served by containers shop and sidecar: name the one that serves it with --app-container NAME$/m,
    ],
    [
      'a file that is not there',
      `${FIX}/missing.yaml`,
      /^error: --app-manifest .*missing\.yaml: no such file; give the path of your manifest$/m,
    ],
  ])('%s: exit 2, one message', async (_what, file, message) => {
    const run = await runCli(['experiment', ...REAL, '--app-manifest', file]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.match(/^error: /gm)).toHaveLength(1);
  });

  it('says that a manifest goes to a real cluster, and a command line runs here', async () => {
    const run = await runCli(['experiment', '--app-manifest', 'examples/apps/manifest/shop.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'error: --app-manifest deploys your Deployment and Service on a real cluster: add --platform kind',
    );
    const both = await runCli([
      'experiment',
      ...REAL,
      '--app-manifest',
      'examples/apps/manifest/shop.yaml',
      '--app-command',
      'python3 app.py',
      '--app-ready',
      '/healthz',
    ]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--app-manifest and --app-command (or a file’s app:) are two different apps');
    expect(both.stderr).toContain(
      '--app-ready does not apply with --app-manifest: your manifest’s readiness probe is used; leave it out',
    );
  });

  it('picks the container with --app-container, and refuses --app-container without a manifest', async () => {
    const picked = await runCli([
      'experiment',
      ...REAL,
      '--app-manifest',
      `${FIX}/two-containers.yaml`,
      '--app-container',
      'shop',
    ]);
    // The manifest is accepted; what stops the run now is the context that does not exist (not bad input).
    expect(picked.stderr).not.toMatch(/could be served by containers/);
    expect(picked.stderr).toMatch(/no-such-context/);
    const alone = await runCli(['experiment', '--app-container', 'shop']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--app-container names a container of --app-manifest');
  });

  it('--app-image: a real cluster only, a port 1-65535, one kind of app at a time', async () => {
    const here = await runCli(['experiment', '--app-image', 'registry.example/shop:1.2']);
    expect(here.code).toBe(2);
    expect(here.stderr).toContain('error: --app-image runs your image on a real cluster: add --platform kind');
    const bad = await runCli([
      'experiment',
      ...REAL,
      '--app-image',
      'registry.example/shop:1.2',
      '--app-port',
      '70000',
      '--app-manifest',
      'examples/apps/manifest/shop.yaml',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--app-manifest and --app-image are two ways to give your app: give one of them');
    const port = await runCli(['experiment', ...REAL, '--app-image', 'registry.example/shop:1.2', '--app-port', '0']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('error: --app-port must be the port your app listens on, 1 to 65535, got "0"');
  });
});
