import { progressBar } from '../contract/format';
import { liveProgressText, observeDone, startClock, type UnitClock } from '../contract/liveProgress';
import type { ProgressParams } from '../contract/runs';

/** A live status line on a terminal, kept below the lines printed above it. */
export class StatusLine {
  private shown = false;
  private clock?: UnitClock;

  constructor(
    readonly stream: NodeJS.WriteStream,
    private readonly out: (line: string) => void,
  ) {}

  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }

  /** A permanent line: the status line (if any) is cleared first. */
  print(line: string): void {
    this.clear();
    this.out(line);
  }

  /** The run began (or resumed) with `done` units finished: elapsed time and the ETA count from now. */
  watch(done: number): void {
    this.clock = startClock(done, Date.now());
  }

  /**
   * Shows the run's progress as the editor's status bar does ("25% · 2/8 trials · 1m05s elapsed ·
   * ETA 3m15s", one implementation: contract/liveProgress.ts) and what is happening now.
   */
  showProgress(p: Pick<ProgressParams, 'done' | 'total' | 'unit' | 'message'>): boolean {
    const now = Date.now();
    this.clock = this.clock ? observeDone(this.clock, p.done, now) : startClock(p.done, now);
    return this.show(`${progressBar(p.total > 0 ? p.done / p.total : 0)} ${liveProgressText(this.clock, p.total, p.unit, now)}${p.message ? `  ${p.message}` : ''}`);
  }

  /** Replaces the status line (cut to the terminal width); false when the stream is no terminal. */
  show(line: string): boolean {
    if (!this.stream.isTTY) return false;
    this.stream.write('\r\x1b[2K' + line.slice(0, (this.stream.columns ?? 120) - 1));
    this.shown = true;
    return true;
  }
}
