import type { TrainingProgress } from '../contract/protocol';
import { formatClock, progressBar, trainingProgressLine, formatPercent } from '../contract/format';
import { StatusLine } from './statusLine';
import type { EpochRecord } from '../server/store/records';
import type { TrainingEvents } from '../server/supernet/supernetRunner';


/** One line per finished epoch: phase, training loss/accuracy, validation accuracy of the largest and smallest sub-networks, speed. */
export function epochLine(r: EpochRecord, etaSeconds?: number): string {
  const test = r.test ? `  test largest ${formatPercent(r.test.largest.accuracy)} smallest ${formatPercent(r.test.smallest.accuracy)}` : '';
  const eta = etaSeconds !== undefined && r.epoch < r.epochs ? `  ETA ${formatClock(etaSeconds * 1000)}` : '';
  return (
    `epoch ${String(r.epoch).padStart(String(r.epochs).length)}/${r.epochs} ${r.phase.padEnd(7)} loss ${r.loss.toFixed(4)} acc ${formatPercent(r.accuracy)}` +
    `  val largest ${formatPercent(r.validation.largest.accuracy)} smallest ${formatPercent(r.validation.smallest.accuracy)}` +
    `  ${Math.round(r.imagesPerSecond)} img/s ${r.seconds.toFixed(1)}s${eta}${test}`
  );
}

/**
 * Console view of a supernet training run: a line per epoch, and on a terminal a live status line
 * (epoch, phase, step, loss, accuracy, images/s, ETA); elsewhere a status line every 30 s.
 */
export class TrainingPrinter {
  private readonly line: StatusLine;
  private lastPlain = 0;
  private eta?: number;
  readonly events: TrainingEvents;

  constructor(id: string, out: (line: string) => void, stream: NodeJS.WriteStream) {
    this.line = new StatusLine(stream, out);
    this.events = {
      started: ({ resumed, epochsDone, epochs }) =>
        this.print(resumed ? `resuming ${id} after epoch ${epochsDone} of ${epochs} (from its last checkpoint)` : `training ${id}: ${epochs} epochs`),
      progress: (p, fraction) => this.status(p, fraction),
      epochFinished: (record) => this.print(epochLine(record, this.eta)),
      log: (message) => this.print(`  ${message}`),
    };
  }

  private print(line: string): void {
    this.line.print(line);
  }

  private status(p: TrainingProgress, fraction: number): void {
    this.eta = p.etaSeconds;
    const line = `${progressBar(fraction)} ${trainingProgressLine(p)}`;
    if (!this.line.show(line) && Date.now() - this.lastPlain >= 30_000) {
      this.lastPlain = Date.now();
      this.line.print(line);
    }
  }

  close(): void {
    this.line.clear();
  }
}
