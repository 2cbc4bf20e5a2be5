import { readFile } from 'node:fs/promises';
import type { Source } from './parse-manifests.ts';

/** How findings and messages name standard input. */
export const STDIN_NAME = '<stdin>';

/** Reads all of standard input as text. */
export async function readStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The text of every input (`-` is stdin, read once), or one problem per input that cannot be read, saying what to
 * change.
 */
export async function readSources(
  inputs: readonly string[],
  stdin: () => Promise<string> = () => readStdin(),
): Promise<{ sources: Source[]; problems: string[] }> {
  const sources: Source[] = [];
  const problems: string[] = [];
  for (const input of inputs) {
    if (input === '-') {
      sources.push({ name: STDIN_NAME, text: await stdin() });
      continue;
    }
    try {
      sources.push({ name: input, text: await readFile(input, 'utf8') });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT'
          ? 'no such file'
          : code === 'EISDIR'
            ? 'is a folder; give the YAML files in it'
            : code === 'EACCES'
              ? 'permission denied'
              : (error as Error).message;
      problems.push(`${input}: cannot read it (${why}); check the path`);
    }
  }
  return { sources, problems };
}
