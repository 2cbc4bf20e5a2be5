import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { validateConfig, type ExperimentConfig } from './validate-config.ts';

/** Largest experiment file read; anything bigger is not a hand-written experiment. */
const MAX_BYTES = 1024 * 1024;

/**
 * Reads and validates an experiment file (YAML, or JSON for `.json`). Synchronous so that flag parsing stays a pure
 * step before anything starts. Every problem is prefixed with the file name.
 */
export function loadExperimentConfig(file: string): { config: ExperimentConfig | undefined; problems: string[] } {
  // As the user gave it: a path rewritten relative to the working folder (../../../x.yaml) is not recognisable.
  const shown = file;
  const at = (text: string) => `config ${shown}: ${text}`;
  const ext = path.extname(file).toLowerCase();
  if (['.ts', '.mts', '.js', '.mjs'].includes(ext)) {
    return {
      config: undefined,
      problems: [at(`${ext} experiment files are not supported; write it as YAML (.yaml) or JSON (.json)`)],
    };
  }
  let text: string;
  try {
    const buffer = readFileSync(file);
    if (buffer.length > MAX_BYTES) {
      return { config: undefined, problems: [at(`is ${buffer.length} bytes; an experiment file is at most 1 MiB`)] };
    }
    text = buffer.toString('utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : (error as Error).message;
    return { config: undefined, problems: [at(`cannot read it (${why}); check the path given to --config`)] };
  }
  let raw: unknown;
  if (ext === '.json') {
    try {
      raw = JSON.parse(text);
    } catch (error) {
      return { config: undefined, problems: [at(`is not valid JSON: ${(error as Error).message}`)] };
    }
  } else {
    try {
      const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
      if (doc.errors.length > 0) {
        return {
          config: undefined,
          problems: doc.errors.map((e) => at(`is not valid YAML: ${e.message.split('\n')[0]}`)),
        };
      }
      raw = doc.toJS();
    } catch (error) {
      // The parser refuses some well-formed files for safety (an alias bomb: "Excessive alias count ...", nesting too
      // deep for the stack); to the user that is one more file it cannot take.
      const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
      return {
        config: undefined,
        problems: [
          at(
            `cannot be read as YAML (${why}); write the settings out plainly, without aliases that expand into many nodes`,
          ),
        ],
      };
    }
  }
  if (raw === null || raw === undefined) {
    return { config: undefined, problems: [at('is empty; give at least one setting (see README: experiment files)')] };
  }
  const { config, problems } = validateConfig(raw, shown);
  return { config, problems: problems.map(at) };
}
