import type { CellResult } from '../model/results.ts';
import type { CellProgress } from './cell-plan.ts';

/** Shows what the run is doing: a live block on a terminal, plain lines otherwise (CI logs). */
export class ProgressDisplay {
  private readonly cells = new Map<string, CellProgress>();
  private readonly lastPhase = new Map<string, string>();
  private drawn = 0;
  private timer: NodeJS.Timeout | undefined;
  private done = 0;
  private readonly startedAt = Date.now();

  constructor(
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly live = Boolean(process.stderr.isTTY) && !process.env.CI,
  ) {
    if (this.live) this.timer = setInterval(() => this.redraw(), 200);
  }

  /** A cell reported its phase or counts. */
  update(progress: CellProgress): void {
    this.cells.set(progress.id, progress);
    if (!this.live && this.lastPhase.get(progress.id) !== progress.phase) {
      this.lastPhase.set(progress.id, progress.phase);
      if (progress.phase !== 'done') this.line(`[${this.elapsed()}] ${progress.id}: ${progress.phase}`);
    }
  }

  /** A cell finished. */
  finished(result: CellResult): void {
    this.done++;
    this.cells.delete(result.id);
    const causes = Object.entries(result.failuresByCause)
      .filter(([, n]) => n > 0)
      .map(([cause, n]) => `${cause} ${n}`)
      .join(', ');
    const tail = result.status === 'complete' ? '' : ` (${result.status}${result.error ? `: ${result.error}` : ''})`;
    this.line(
      `[${this.elapsed()}] ${this.done}/${this.total} ${result.id}: ${result.requests.failed}/${result.requests.total} failed${causes ? ` (${causes})` : ''}${tail}`,
    );
  }

  /** Prints a line above the live block. */
  line(text: string): void {
    this.clear();
    this.out.write(`${text}\n`);
    if (this.live) this.redraw();
  }

  /** Stops the live display. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.clear();
  }

  private elapsed(): string {
    const s = Math.round((Date.now() - this.startedAt) / 1000);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  }

  private clear(): void {
    if (!this.live || this.drawn === 0) return;
    this.out.write(`\x1b[${this.drawn}A\x1b[0J`);
    this.drawn = 0;
  }

  private redraw(): void {
    if (!this.live) return;
    this.clear();
    const lines = [...this.cells.values()].map(
      (c) =>
        `  ${c.id.padEnd(48)} ${c.phase.padEnd(12)} ${String(c.requests).padStart(6)} req ${String(c.failures).padStart(5)} failed`,
    );
    lines.push(`  ${this.done}/${this.total} cells done, ${this.elapsed()} elapsed — Ctrl-C stops cleanly`);
    this.out.write(`${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }
}
