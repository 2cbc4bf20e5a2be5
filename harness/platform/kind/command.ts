import { execa, ExecaError } from 'execa';
import { HarnessError } from '../../core/errors.ts';

/** How to run the external tools (docker, kind, kubectl): the environment they see and how to stop them. */
export interface CommandOptions {
  /** Environment for the child (PATH decides which docker/kind/kubectl run); the harness's own when absent. */
  env?: NodeJS.ProcessEnv;
  /** Aborting kills the command (SIGTERM, then SIGKILL after 5 s). */
  signal?: AbortSignal;
  /** Hard time limit in ms. */
  timeoutMs?: number;
  /** Text written to the command's stdin. */
  input?: string;
  /** Called with each line the command prints (long steps such as `docker build` show progress through it). */
  onLine?: (line: string) => void;
}

/** What a finished command printed. */
export interface CommandResult {
  /** Standard output, trailing newline removed. */
  stdout: string;
  /** Standard error, trailing newline removed. */
  stderr: string;
}

/** A command that failed; the message holds a line that can be pasted into a shell to run it again. */
export class CommandError extends HarnessError {
  /** The command line, quoted for a POSIX shell. */
  readonly commandLine: string;
  /** The command's own exit code; undefined when it never ran or was killed. */
  readonly commandExitCode: number | undefined;

  constructor(
    commandLine: string,
    detail: string,
    opts: { hint?: string; commandExitCode?: number; cause?: unknown } = {},
  ) {
    super('command-failed', `${detail}\n  command: ${commandLine}`, {
      ...(opts.hint ? { hint: opts.hint } : {}),
      cause: opts.cause,
    });
    this.name = 'CommandError';
    this.commandLine = commandLine;
    this.commandExitCode = opts.commandExitCode;
  }
}

/** Quotes one argument for a POSIX shell only when it needs it, so the printed line stays readable. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** The command as a line for a shell. */
export function commandLine(file: string, args: readonly string[]): string {
  return [file, ...args].map(shellQuote).join(' ');
}

/**
 * Runs `file args` (no shell) and returns its output; a non-zero exit, a missing binary, a timeout or an abort
 * becomes a CommandError that says what happened and how to run the same command by hand.
 */
export async function runCommand(
  file: string,
  args: readonly string[],
  opts: CommandOptions = {},
): Promise<CommandResult> {
  const line = commandLine(file, args);
  try {
    const child = execa(file, args, {
      env: opts.env ?? process.env,
      extendEnv: false,
      ...(opts.signal ? { cancelSignal: opts.signal } : {}),
      ...(opts.timeoutMs ? { timeout: opts.timeoutMs } : {}),
      forceKillAfterDelay: 5000,
      ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' }),
      stripFinalNewline: true,
    });
    if (opts.onLine) {
      const onLine = opts.onLine;
      const split = (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).forEach(onLine);
      child.stdout?.on('data', split);
      child.stderr?.on('data', split);
    }
    const result = await child;
    return { stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') };
  } catch (error) {
    if (error instanceof ExecaError) {
      const stderr = String(error.stderr ?? '').trim();
      const what =
        error.code === 'ENOENT'
          ? `${file} was not found on PATH`
          : error.isCanceled
            ? `${file} was stopped because the run was interrupted`
            : error.timedOut
              ? `${file} did not finish within ${opts.timeoutMs} ms`
              : `${file} exited with code ${error.exitCode ?? `? (signal ${error.signal ?? 'none'})`}`;
      const detail = stderr ? `${what}: ${lastLines(stderr, 8)}` : what;
      throw new CommandError(line, detail, {
        cause: error,
        ...(error.exitCode === undefined ? {} : { commandExitCode: error.exitCode }),
      });
    }
    throw error;
  }
}

function lastLines(text: string, n: number): string {
  return text.split('\n').slice(-n).join('\n    ');
}
