import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { HARNESS_VERSION } from '../core/version.ts';
import { courseRef } from './course-facts.ts';
import type { Severity } from './finding.ts';
import type { CheckReport } from './run-check.ts';
import { RULES } from './rules.ts';
import { STDIN_NAME } from './read-sources.ts';

/** SARIF's word for each severity. */
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * `check --format sarif`: SARIF 2.1.0 with one run, for code-scanning annotations (GitHub's upload-sarif and others).
 * tool.driver.rules holds every rule (id, shortDescription, fullDescription, help, default level); each result has
 * ruleId, ruleIndex, level, the message with the fix, and one location: the file relative to the working folder (a
 * file: URI outside it; `stdin` for standard input) and the line of the field it points at.
 */
export function formatSarif(report: CheckReport, cwd: string = process.cwd()): string {
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'drainlab check',
            version: HARNESS_VERSION,
            rules: RULES.map((r) => ({
              id: r.id,
              shortDescription: { text: r.title },
              fullDescription: { text: r.help },
              help: { text: `${r.help}\n\nWhy (${courseRef(r.course)}).` },
              defaultConfiguration: { level: LEVEL[r.severity] },
            })),
          },
        },
        results: report.findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: RULES.findIndex((r) => r.id === f.ruleId),
          level: LEVEL[f.severity],
          message: {
            text:
              `${f.object.kind}/${f.object.name}: ${f.message}. Why: ${f.why} Fix: ${f.fix.description}, as a ` +
              `strategic-merge patch:\n${stringify(f.fix.patch)}`,
          },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: artifactUri(f.object.file, cwd) },
                region: { startLine: f.line },
              },
            },
          ],
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

/** A file as a SARIF URI: relative with `/` inside the working folder, a file: URI outside it. */
function artifactUri(file: string, cwd: string): string {
  if (file === STDIN_NAME) return 'stdin';
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return pathToFileURL(absolute).href;
  return relative.split(path.sep).map(encodeURIComponent).join('/');
}
