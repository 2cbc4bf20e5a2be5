import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { fakeTools, type FakeTools } from './kind-fixtures.ts';
import { runCli } from './run-cli.ts';

let tools: FakeTools | undefined;
let out: string | undefined;
afterEach(() => {
  tools?.dispose();
  if (out) rmSync(out, { recursive: true, force: true });
  tools = undefined;
  out = undefined;
});

describe('--platform kind --dry-run', () => {
  it('prints the kind config, the manifests with the run image and the k6 invocation, runs no tool, creates nothing', async () => {
    tools = fakeTools(['docker', 'kind', 'kubectl']);
    out = mkdtempSync(path.join(os.tmpdir(), 'drainlab-dry-'));
    const runDir = path.join(out, 'run');
    const run = await runCli(
      [
        'experiment',
        '--platform',
        'kind',
        '--dry-run',
        '--variants',
        'baseline,prestop-drain',
        '--kube-proxy-mode',
        'ipvs',
        '--out',
        runDir,
      ],
      { env: { PATH: tools.env.PATH, FAKE_TOOLS_LOG: tools.env.FAKE_TOOLS_LOG } },
    );
    expect(run.code).toBe(0);
    expect(tools.calls()).toEqual([]);
    expect(existsSync(runDir)).toBe(false);
    const sections = run.stdout.split(/\n(?=# --- )/);
    const config = sections.find((s) => s.startsWith('# --- kind config'))!;
    expect(parse(config)).toMatchObject({ kind: 'Cluster', networking: { kubeProxyMode: 'ipvs' } });
    const manifests = sections.filter((s) => s.startsWith('# --- manifests:'));
    expect(manifests).toHaveLength(2);
    for (const section of manifests) {
      const [deployment] = parseAllDocuments(section).map(
        (d) => d.toJS() as { spec?: { template?: { spec?: { containers?: { image: string }[] } } } },
      );
      expect(deployment?.spec?.template?.spec?.containers?.[0]?.image).toMatch(
        /^drainlab\/workload:\d{8}-\d{6}-[0-9a-f]{4}$/,
      );
    }
    expect(sections.filter((s) => s.startsWith('# --- k6 for'))).toHaveLength(2);
    expect(run.stdout).toMatch(/k6 run .*\/scripts\/drain-load\.ts/);
    expect(run.stdout).toMatch(/kind load docker-image drainlab\/workload:\S+ --name drainlab/);
  });
});
