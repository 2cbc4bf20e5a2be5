import { EXIT, InputError } from '../core/errors.ts';
import { formatJson } from './format-json.ts';
import { formatSarif } from './format-sarif.ts';
import { formatText } from './format-text.ts';
import { parseCheckArgs } from './parse-check-args.ts';
import { readSources, readStdin } from './read-sources.ts';
import { checkSources, failsAt } from './run-check.ts';

/**
 * `drainlab check`: reads the manifests, prints the report on stdout in the chosen format, and returns the exit code:
 * 0 when no finding is at or above --fail-on, 1 when one is. Bad input throws an InputError (exit 2).
 */
export async function checkCommand(
  argv: readonly string[],
  io: { stdout: (text: string) => void; stdin: () => Promise<string> } = {
    stdout: (text) => process.stdout.write(text),
    stdin: () => readStdin(),
  },
): Promise<number> {
  const parsed = parseCheckArgs(argv);
  if (parsed.args === undefined) throw new InputError(parsed.problems, 'see drainlab check --help');
  const { inputs, format, failOn, shutdownSeconds } = parsed.args;
  const read = await readSources(inputs, io.stdin);
  const report = checkSources(read.sources, { shutdownSeconds }, read.problems);
  io.stdout(
    format === 'json'
      ? formatJson(report, failOn)
      : format === 'sarif'
        ? formatSarif(report)
        : formatText(report, failOn),
  );
  return failsAt(report.findings, failOn) ? EXIT.failure : EXIT.ok;
}
