import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXIT, HarnessError } from '../core/errors.ts';
import { RESULTS_SCHEMA_VERSION, type ResultsFile } from '../model/results.ts';
import { fillMissingTimelines } from './fill-timelines.ts';
import { writeDerivedOutputs } from './write-run.ts';

const HINT = 'Pass the folder of one run, e.g. `npm run report -- reports/<run-id>`; it must hold results.json.';

/** Checks the fields the renderers rely on, reporting every problem at once. */
function shapeProblems(data: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const expect = (field: string, ok: boolean, what: string) => {
    if (!ok) problems.push(`${field}: expected ${what}, found ${JSON.stringify(data[field]) ?? 'nothing'}`);
  };
  expect('runId', typeof data.runId === 'string', 'a string');
  expect('platform', typeof data.platform === 'object' && data.platform !== null, 'an object');
  expect('loadProfile', typeof data.loadProfile === 'object' && data.loadProfile !== null, 'an object');
  expect('propagation', typeof data.propagation === 'object' && data.propagation !== null, 'an object');
  expect('machine', typeof data.machine === 'object' && data.machine !== null, 'an object');
  expect('variantInfo', typeof data.variantInfo === 'object' && data.variantInfo !== null, 'an object');
  expect('variants', Array.isArray(data.variants), 'an array');
  expect('scenarios', Array.isArray(data.scenarios), 'an array');
  expect('cells', Array.isArray(data.cells), 'an array');
  return problems.map((p) => (p.length > 200 ? `${p.slice(0, 200)}…` : p));
}

/**
 * Reads and checks `runDir`/results.json. Throws HarnessError `no-results` when the file is missing and
 * `bad-results` when it is not JSON, of another schema version, or lacks what the report needs.
 */
export async function readResultsFile(runDir: string): Promise<ResultsFile> {
  const path = join(runDir, 'results.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new HarnessError(
      'no-results',
      `Expected a results file at ${path}, found ${code === 'ENOENT' ? 'none' : `an unreadable file (${String(err)})`}.`,
      {
        hint: HINT,
        exitCode: EXIT.badInput,
        cause: err,
      },
    );
  }

  const bad = (found: string, hint: string, cause?: unknown) =>
    new HarnessError(
      'bad-results',
      `Expected ${path} to be drainlab results (schemaVersion ${RESULTS_SCHEMA_VERSION}), found ${found}.`,
      {
        hint,
        exitCode: EXIT.badInput,
        cause,
      },
    );

  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw bad(
      `text that is not JSON (${(err as Error).message})`,
      'The run may have been killed while writing; re-run the experiment.',
      err,
    );
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw bad(`a JSON ${Array.isArray(data) ? 'array' : typeof data}`, HINT);
  }
  const record = data as Record<string, unknown>;
  if (record.schemaVersion !== RESULTS_SCHEMA_VERSION) {
    throw bad(
      `schemaVersion ${JSON.stringify(record.schemaVersion) ?? 'missing'}`,
      'Rebuild it with the drainlab version that wrote it (see harnessVersion in the file), or re-run the experiment.',
    );
  }
  const problems = shapeProblems(record);
  if (problems.length > 0) throw bad(`a file missing what the report needs:\n${problems.join('\n')}`, HINT);

  return data as ResultsFile;
}

/**
 * Re-renders summary.md, junit.xml and index.html of `runDir` from its results.json alone (results.json itself is
 * not rewritten; cells of older results without a timeline get one from their samples file when it is there) and
 * returns the results. Throws like readResultsFile.
 */
export async function rebuildReport(runDir: string): Promise<ResultsFile> {
  const results = await fillMissingTimelines(runDir, await readResultsFile(runDir));
  await writeDerivedOutputs(runDir, results);
  return results;
}
