/** One measured figure against its target. */
export interface BenchRow {
  /** Which target (issue 7 numbering), e.g. `2 generator rate 1000/s`. */
  name: string;
  /** The measured figure, formatted. */
  measured: string;
  /** The target, formatted, e.g. `< 5 ms`. */
  target: string;
  /** The side-by-side comparison (generator vs wrk, wall vs inherent, ...). */
  comparison: string;
  /** true = met, false = missed, null = informative only. */
  pass: boolean | null;
}

/** A fixed-width table of the rows with a PASS / MISS / info column. */
export function formatRows(rows: BenchRow[]): string {
  const header = ['target', 'measured', 'goal', 'result', 'side by side'];
  const lines = rows.map((r) => [
    r.name,
    r.measured,
    r.target,
    r.pass === null ? 'info' : r.pass ? 'PASS' : 'MISS',
    r.comparison,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const pad = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [pad(header), pad(widths.map((w) => '-'.repeat(w))), ...lines.map(pad)].join('\n');
}

/** 1 when any target was missed, else 0. */
export function exitCodeOf(rows: BenchRow[]): number {
  return rows.some((r) => r.pass === false) ? 1 : 0;
}

/** `12.3 %` */
export function pct(ratio: number, digits = 1): string {
  return `${(ratio * 100).toFixed(digits)} %`;
}

/** `1.23 s` */
export function secs(ms: number, digits = 1): string {
  return `${(ms / 1000).toFixed(digits)} s`;
}
