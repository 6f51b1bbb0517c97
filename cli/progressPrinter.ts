import type { RunnerEvents } from '../server/experiment/runner';
import type { ExperimentFiles } from '../server/store/experimentStore';
import { formatClock, formatMetrics, progressBar } from '../contract/format';
import { loadExperimentState } from '../server/store/experimentState';
import { StatusLine } from './statusLine';

/**
 * Console view of a running experiment: a line per finished trial with the overall progress
 * bar, and on a terminal a live status line for trials in flight.
 */
export class ProgressPrinter {
  private budget = 0;
  private finished = 0;
  private readonly inFlight = new Map<number, { fraction: number; message: string; description: string }>();
  private readonly startedAt = Date.now();
  private readonly logged = new Set<string>();
  private metricNames: string[] = [];
  private bestLine = '';
  readonly events: RunnerEvents;

  private readonly line: StatusLine;

  constructor(files: ExperimentFiles, out: (line: string) => void, stream: NodeJS.WriteStream) {
    this.line = new StatusLine(stream, out);
    this.events = {
      started: ({ resumed, replayed, budget }) => {
        this.budget = budget;
        const spec = loadExperimentState(files).spec;
        if (spec) this.metricNames = [...spec.objectives.map((o) => o.metric), ...spec.constraints.map((c) => c.metric), ...spec.report];
        this.print(resumed ? `resuming ${files.id}: ${replayed} finished trial(s) replayed from the journal` : `experiment ${files.id}: ${budget} trials`);
        this.finished = replayed;
      },
      trialStarted: (trial, description) => {
        this.inFlight.set(trial, { fraction: 0, message: 'starting', description });
        this.status();
      },
      trialProgress: (trial, fraction, message) => {
        const t = this.inFlight.get(trial);
        if (t) Object.assign(t, { fraction, message });
        this.status();
      },
      trialFinished: (record, description) => {
        this.inFlight.delete(record.trial);
        this.finished++;
        const metrics = (record as { error?: string }).error ? `FAILED: ${(record as { error?: string }).error}` : formatMetrics(record.metrics, this.metricNames);
        const note = record.cached ? ' (same architecture as an earlier trial)' : ` (${(record.durationMs / 1000).toFixed(1)}s)`;
        this.print(`${progressBar(this.finished / this.budget)} ${String(this.finished).padStart(String(this.budget).length)}/${this.budget}  trial ${record.trial}  ${description}  ${metrics}${note}`);
      },
      log: (message) => {
        if (this.logged.has(message)) return;
        this.logged.add(message);
        this.print(`  ${message}`);
      },
    };
  }

  private print(line: string): void {
    this.line.print(line);
    this.status();
  }

  /** The live line (terminals only): overall progress, elapsed, ETA and trials in flight. */
  private status(): void {
    if (!this.line.stream.isTTY || this.budget === 0) return;
    const partial = [...this.inFlight.values()].reduce((s, t) => s + t.fraction, 0);
    const fraction = (this.finished + partial) / this.budget;
    const elapsed = Date.now() - this.startedAt;
    const eta = fraction > 0.02 ? formatClock((elapsed / fraction) * (1 - fraction)) : '?';
    const flights = [...this.inFlight.entries()].map(([n, t]) => `#${n} ${t.message}`).join(' | ');
    const line = `${progressBar(fraction)} ${(fraction * 100).toFixed(0)}%  ${formatClock(elapsed)} elapsed, ETA ${eta}  ${flights}${this.bestLine}`;
    this.line.show(line);
  }

  close(): void {
    this.line.clear();
  }
}
