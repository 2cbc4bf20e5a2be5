import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HarnessError } from '../core/errors.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { rebuildReport } from './rebuild-report.ts';
import { makeResultsFixture } from './test-fixtures.ts';
import { writeRunOutputs } from './write-run.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drainlab-run-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces the whole file and leaves no temp file behind', async () => {
    const path = join(dir, 'x.txt');
    await writeFileAtomic(path, 'first');
    await writeFileAtomic(path, Buffer.from('second'));
    expect(await readFile(path, 'utf8')).toBe('second');
    expect(await readdir(dir)).toEqual(['x.txt']);
  });

  it('fails cleanly when the folder does not exist', async () => {
    await expect(writeFileAtomic(join(dir, 'nope', 'x.txt'), 'a')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('writeRunOutputs', () => {
  it('writes results.json, summary.md, junit.xml, index.html and figures/', async () => {
    const results = makeResultsFixture();
    const runDir = join(dir, 'reports', results.runId);
    await writeRunOutputs(runDir, results);
    expect((await readdir(runDir)).sort()).toEqual([
      'figures',
      'index.html',
      'junit.xml',
      'results.json',
      'summary.md',
    ]);
    const json = await readFile(join(runDir, 'results.json'), 'utf8');
    expect(json).toContain('\n  "schemaVersion": 1,');
    expect(JSON.parse(json)).toEqual(results);
    expect(await readFile(join(runDir, 'summary.md'), 'utf8')).toContain('| baseline | rolling-update |');
    expect(await readFile(join(runDir, 'junit.xml'), 'utf8')).toContain('<testsuites');
    expect(await readFile(join(runDir, 'index.html'), 'utf8')).toContain('<!doctype html>');
  });
});

describe('rebuildReport', () => {
  it('re-renders the derived files from results.json alone and leaves results.json untouched', async () => {
    const results = makeResultsFixture();
    await writeRunOutputs(dir, results);
    const json = await readFile(join(dir, 'results.json'), 'utf8');
    await rm(join(dir, 'index.html'));
    await writeFile(join(dir, 'summary.md'), 'stale');
    const rebuilt = await rebuildReport(dir);
    expect(rebuilt).toEqual(results);
    expect(await readFile(join(dir, 'results.json'), 'utf8')).toBe(json);
    expect(await readFile(join(dir, 'summary.md'), 'utf8')).toContain('prestop-drain');
    expect(await readFile(join(dir, 'index.html'), 'utf8')).toContain('EMULATED');
  });

  async function failure(runDir: string): Promise<HarnessError> {
    const error = await rebuildReport(runDir).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(HarnessError);
    return error as HarnessError;
  }

  it('says no-results when the folder has no results.json', async () => {
    const error = await failure(join(dir, 'missing'));
    expect(error.code).toBe('no-results');
    expect(error.message).toMatch(/Expected a results file at .*results\.json, found none/);
    expect(error.hint).toMatch(/npm run report/);
    expect(error.exitCode).toBe(2);
  });

  it('says bad-results for text that is not JSON, another schema, or a missing field', async () => {
    const write = async (name: string, text: string) => {
      await mkdir(join(dir, name));
      await writeFile(join(dir, name, 'results.json'), text);
      return join(dir, name);
    };
    const truncated = await failure(await write('truncated', '{"schemaVersion": 1, "cells": ['));
    expect(truncated.code).toBe('bad-results');
    expect(truncated.message).toMatch(/not JSON/);

    const future = await failure(await write('future', JSON.stringify({ ...makeResultsFixture(), schemaVersion: 2 })));
    expect(future.code).toBe('bad-results');
    expect(future.message).toMatch(/schemaVersion 2/);
    expect(future.hint).toMatch(/harnessVersion/);

    const array = await failure(await write('array', '[]'));
    expect(array.message).toMatch(/a JSON array/);

    const { cells: _cells, variants: _variants, ...partial } = makeResultsFixture();
    const missing = await failure(await write('missing-fields', JSON.stringify(partial)));
    expect(missing.code).toBe('bad-results');
    expect(missing.message).toMatch(/variants: expected an array, found nothing/);
    expect(missing.message).toMatch(/cells: expected an array, found nothing/);
    expect((await readdir(join(dir, 'missing-fields'))).sort()).toEqual(['results.json']);
  });
});
