/** Exit codes used by the CLI; one place maps errors to them (harness/cli.ts). */
export const EXIT = {
  ok: 0,
  failure: 1,
  badInput: 2,
  interrupted: 130,
} as const;

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
