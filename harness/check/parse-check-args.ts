import { parseSeconds } from './workload.ts';
import type { FailOn } from './run-check.ts';

/** The output formats of `check`. */
export const CHECK_FORMATS = ['text', 'json', 'sarif'] as const;

/** One of {@link CHECK_FORMATS}. */
export type CheckFormat = (typeof CHECK_FORMATS)[number];

const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'info', 'never'];

/** What `check`'s command line asks for. */
export interface CheckArgs {
  /** Files, `-` for stdin, in order. */
  inputs: string[];
  /** --format (default text). */
  format: CheckFormat;
  /** --fail-on (default error). */
  failOn: FailOn;
  /** --shutdown-seconds, when given. */
  shutdownSeconds: number | undefined;
}

const USAGE = 'drainlab check <file>... | - [--format text|json|sarif] [--fail-on error|warning|info|never]';

/** Parses `check`'s arguments; every problem at once, one line each, saying what to write instead. */
export function parseCheckArgs(argv: readonly string[]): { args?: CheckArgs; problems: string[] } {
  const problems: string[] = [];
  const inputs: string[] = [];
  const seen = new Set<string>();
  let format: CheckFormat = 'text';
  let failOn: FailOn = 'error';
  let shutdownSeconds: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-' || !arg.startsWith('-')) {
      inputs.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (!['--format', '--fail-on', '--shutdown-seconds'].includes(name)) {
      problems.push(`unknown option "${arg}" for check: ${USAGE}`);
      continue;
    }
    let value = eq === -1 ? argv[i + 1] : arg.slice(eq + 1);
    if (eq === -1) {
      if (value === undefined || value.startsWith('--')) value = undefined;
      else i++;
    }
    if (value === undefined || value === '') {
      problems.push(`${name} needs a value: ${USAGE}`);
      continue;
    }
    if (seen.has(name)) {
      problems.push(`${name} is given more than once: give it once`);
      continue;
    }
    seen.add(name);
    if (name === '--format') {
      if ((CHECK_FORMATS as readonly string[]).includes(value)) format = value as CheckFormat;
      else problems.push(`--format must be ${CHECK_FORMATS.join(', ')}, got "${value}"`);
    } else if (name === '--fail-on') {
      if ((FAIL_ON as readonly string[]).includes(value)) failOn = value as FailOn;
      else problems.push(`--fail-on must be ${FAIL_ON.join(', ')}, got "${value}"`);
    } else {
      shutdownSeconds = parseSeconds(value);
      if (shutdownSeconds === undefined) {
        problems.push(`--shutdown-seconds must be the app's shutdown time in seconds (0 to 86400), got "${value}"`);
      }
    }
  }
  if (inputs.filter((i) => i === '-').length > 1) problems.push('- (stdin) is given more than once: give it once');
  if (inputs.length === 0) {
    problems.push(`check needs at least one manifest file, or - to read standard input: ${USAGE}`);
  }
  if (problems.length > 0) return { problems };
  return { problems, args: { inputs, format, failOn, shutdownSeconds } };
}
