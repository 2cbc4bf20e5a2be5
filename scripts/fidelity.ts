// Puts runs of the local emulator beside runs of a real cluster: per variant × scenario the error rates with their
// 95 % intervals, verdicts, failure causes and timings, and how many verdicts agree (docs/fidelity.md).
// Usage: npm run fidelity -- --local DIR[,DIR] --real DIR[,DIR] [--out docs/fidelity.md]
import { writeFile } from 'node:fs/promises';
import { argv, echo } from 'zx';
import { fidelityRows, mergeRuns } from '../harness/analysis/fidelity.ts';
import { InputError } from '../harness/core/errors.ts';
import { readResultsFile } from '../harness/report/rebuild-report.ts';
import { renderFidelityMarkdown } from '../harness/report/fidelity-md.ts';
import { runScript } from './run-script.ts';

await runScript(async () => {
  const list = (name: string) =>
    String(argv[name] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const localRuns = list('local');
  const realRuns = list('real');
  const problems = [
    ...(localRuns.length === 0
      ? ['--local needs one or more run folders of the local platform (comma-separated)']
      : []),
    ...(realRuns.length === 0 ? ['--real needs one or more run folders of a real cluster (comma-separated)'] : []),
  ];
  if (problems.length > 0) throw new InputError(problems);
  const local = mergeRuns(await Promise.all(localRuns.map(readResultsFile)));
  const real = mergeRuns(await Promise.all(realRuns.map(readResultsFile)));
  const wrong = [
    ...(local.platform.emulated ? [] : [`--local ${localRuns.join(',')} is not a run of the local emulator`]),
    ...(real.platform.emulated ? [`--real ${realRuns.join(',')} is a run of the emulator, not of a real cluster`] : []),
  ];
  if (wrong.length > 0) throw new InputError(wrong);
  const rows = fidelityRows(local, real);
  const out = String(argv.out ?? 'docs/fidelity.md');
  await writeFile(out, renderFidelityMarkdown(rows, { local, real, localRuns, realRuns }));
  const both = rows.filter((r) => r.agree !== null);
  echo(`verdicts agree in ${both.filter((r) => r.agree).length} of ${both.length} pairs; written to ${out}`);
  for (const r of rows.filter((x) => x.agree === false)) {
    echo(`  differs: ${r.variant} × ${r.scenario}: local ${r.local!.verdict}, real ${r.real!.verdict}`);
  }
});
