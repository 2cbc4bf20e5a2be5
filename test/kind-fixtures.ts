import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const FIXTURE_BIN = path.resolve(import.meta.dirname, 'fixtures/bin');

/** A temporary PATH with only node and the named fixture tools (docker, kind, kubectl), plus a call log. */
export interface FakeTools {
  /** Environment to run with: PATH, FAKE_TOOLS_LOG and any knobs given. */
  env: NodeJS.ProcessEnv;
  /** The calls so far, each as one shell-like line ("kind create cluster --name drainlab ..."). */
  calls(): string[];
  /** Removes the temporary folder. */
  dispose(): void;
}

export function fakeTools(tools: string[], knobs: Record<string, string> = {}): FakeTools {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'drainlab-tools-'));
  const bin = path.join(dir, 'bin');
  const log = path.join(dir, 'calls.log');
  writeFileSync(log, '');
  mkdirSync(bin, { recursive: true });
  symlinkSync(process.execPath, path.join(bin, 'node'));
  for (const tool of tools) symlinkSync(path.join(FIXTURE_BIN, tool), path.join(bin, tool));
  symlinkSync(path.join(FIXTURE_BIN, 'fake-tool.mjs'), path.join(bin, 'fake-tool.mjs'));
  const env: NodeJS.ProcessEnv = { HOME: dir, PATH: bin, FAKE_TOOLS_LOG: log, ...knobs };
  return {
    env,
    calls: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as string[]).join(' ')),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
