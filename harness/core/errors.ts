/**
 * Exit codes of the CLI, one per outcome a CI gate may want to tell apart; one place maps errors to them
 * (harness/cli.ts). Small and contiguous so that a `case $?` stays short; 3 and 4 are otherwise only used by Node for
 * failures of its own bootstrap code, which a released Node does not hit.
 */
export const EXIT = {
  /** Everything ran; with --fail-on-loss, no recommended variant lost a request. */
  ok: 0,
  /** The harness or a cell failed, or a cell is incomplete: the numbers do not cover the whole matrix. */
  failure: 1,
  /** Bad input (flags, experiment file, run folder): said before anything started. */
  badInput: 2,
  /** --fail-on-loss: every cell completed and a recommended variant lost requests (k6 uses 99 for this). */
  lostRequests: 3,
  /** The environment is not usable: a missing tool, a stopped Docker engine, an unreachable cluster. */
  environment: 4,
  /** Interrupted (Ctrl-C, SIGTERM): partial results were written. */
  interrupted: 130,
} as const;

/** The exit codes as the help texts and README show them. */
export const EXIT_CODE_TABLE: readonly { code: number; meaning: string }[] = [
  { code: EXIT.ok, meaning: 'done; with --fail-on-loss, no recommended (★) variant lost a request' },
  { code: EXIT.failure, meaning: 'the run or a cell failed or is incomplete (see the report), or an internal error' },
  { code: EXIT.badInput, meaning: 'bad input (option, experiment file, run folder): nothing was started' },
  {
    code: EXIT.lostRequests,
    meaning: '--fail-on-loss: every cell completed and a recommended (★) variant lost requests',
  },
  {
    code: EXIT.environment,
    meaning: 'broken environment: missing tool, Docker engine down, cluster unreachable or not set up',
  },
  { code: EXIT.interrupted, meaning: 'interrupted by Ctrl-C or SIGTERM: partial results were written' },
];

/**
 * An error the user can act on: a stable code, a message that says what was expected and what was found,
 * and a hint that says what to change.
 */
export class HarnessError extends Error {
  /** Stable machine-readable code, e.g. `unknown-variant`. */
  readonly code: string;
  /** What the user should do about it. */
  readonly hint: string | undefined;
  /** Exit code the CLI uses for it. */
  readonly exitCode: number;

  constructor(code: string, message: string, opts: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'HarnessError';
    this.code = code;
    this.hint = opts.hint;
    this.exitCode = opts.exitCode ?? EXIT.failure;
  }
}

/** One or more problems with the user's input (flags, files, specs); always exit code 2, nothing started. */
export class InputError extends HarnessError {
  /** Every problem found, one line each. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[], hint?: string) {
    super('bad-input', problems.join('\n'), { hint, exitCode: EXIT.badInput });
    this.name = 'InputError';
    this.problems = problems;
  }
}

/**
 * One or more problems with the machine or cluster the harness needs (tools, Docker engine, host ports, a cluster
 * that does not answer); always exit code 4, so that a CI gate can tell "fix the runner" from "fix the code".
 */
export class EnvironmentError extends HarnessError {
  /** Every problem found, one line each. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[], opts: { hint?: string; cause?: unknown } = {}) {
    super('environment', problems.join('\n'), { ...opts, exitCode: EXIT.environment });
    this.name = 'EnvironmentError';
    this.problems = problems;
  }
}
