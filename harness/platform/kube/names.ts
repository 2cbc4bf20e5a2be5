import { createHash } from 'node:crypto';

const hash = (text: string, length: number) => createHash('sha256').update(text).digest('hex').slice(0, length);

/** Lower-case DNS-1123 label characters only, dashes collapsed, no dash at either end. */
function dnsPart(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * The namespace of one cell: `drainlab-<cell>-<run>`, a DNS-1123 label of at most 63 characters. The run part is a
 * short hash of the run id (the full id is in the `drainlab/run-id` label); a cell id too long to fit is cut and
 * gets a hash of its own, so two cells of one run never share a namespace.
 */
export function kubeCellNamespace(runId: string, cellId: string): string {
  const run = hash(runId, 6);
  const room = 63 - 'drainlab-'.length - 1 - run.length;
  let cell = dnsPart(cellId) || 'cell';
  if (cell.length > room) cell = `${cell.slice(0, room - 5).replace(/-$/, '')}-${hash(cellId, 4)}`;
  return `drainlab-${cell}-${run}`;
}

/**
 * A label value for arbitrary text (<= 63 characters of [A-Za-z0-9-_.], alphanumeric at both ends). Run and cell
 * ids already are; anything else is cut and hashed so selection by the same function still matches.
 */
export function labelValue(text: string): string {
  if (/^([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$/.test(text)) return text;
  const cleaned = text.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return `${cleaned.slice(0, 54).replace(/[^A-Za-z0-9]+$/, '')}-${hash(text, 8)}`.replace(/^-/, '');
}
