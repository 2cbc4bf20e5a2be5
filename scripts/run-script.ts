import { EnvironmentError, HarnessError, InputError } from '../harness/core/errors.ts';

/** Runs a script body and prints a failure the way the CLI does (error, hint, exit code). */
export async function runScript(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (error instanceof InputError || error instanceof EnvironmentError)
      for (const p of error.problems) process.stderr.write(`error: ${p}\n`);
    else process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (error instanceof HarnessError && error.hint) process.stderr.write(`hint: ${error.hint}\n`);
    process.exitCode = error instanceof HarnessError ? error.exitCode : 1;
  }
}
