#!/usr/bin/env -S npx tsx
// Opens the newest report (reports/<run>/index.html) in the browser, or prints its path when none can be opened.
// Usage: npx tsx scripts/open-report.ts [reports-dir]
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { argv, echo, glob } from 'zx';
import { InputError } from '../harness/core/errors.ts';
import { REPORTS_DIR } from '../harness/runner/parse-args.ts';
import { runCommand } from '../harness/platform/kind/command.ts';
import { runScript } from './run-script.ts';

await runScript(async () => {
  const dir = path.resolve(String(argv._[0] ?? REPORTS_DIR));
  const files = await glob('*/index.html', { cwd: dir, absolute: true });
  const dated = await Promise.all(files.map(async (f) => ({ f, t: (await stat(f)).mtimeMs })));
  const newest = dated.sort((a, b) => b.t - a.t)[0]?.f;
  if (!newest) throw new InputError([`no report in ${dir}: run npm run experiment first`]);
  const opener = process.platform === 'darwin' ? 'open' : 'xdg-open';
  try {
    await runCommand(opener, [newest], { timeoutMs: 10_000 });
    echo(`opened ${newest}`);
  } catch {
    echo(newest);
  }
});
