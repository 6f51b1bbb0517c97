import type { Page } from '../contract/webviewMessages';
import type { TrialRow } from '../contract/runs';

/**
 * The trials of one experiment as received in pages and live additions, with cached metric
 * columns for plotting. A trial number seen again replaces the earlier record.
 */
export class TrialStore {
  private trials: TrialRow[] = [];
  private readonly index = new Map<number, number>();
  private columns = new Map<string, Float64Array>();
  private metricNames: string[] | undefined;
  /** Bumped on every change so views can tell whether derived data is stale. */
  version = 0;

  get size(): number {
    return this.trials.length;
  }

  get all(): readonly TrialRow[] {
    return this.trials;
  }

  at(i: number): TrialRow {
    return this.trials[i];
  }

  addPage(page: Page<TrialRow>): void {
    if (page.page === 0) this.clear();
    for (const trial of page.items) this.put(trial);
    this.changed();
  }

  add(trial: TrialRow): void {
    this.put(trial);
    this.changed();
  }

  /** Position of a trial number, or -1. */
  positionOf(trial: number): number {
    return this.index.get(trial) ?? -1;
  }

  /** Values of a metric in store order; NaN where a trial lacks it. */
  column(metric: string): Float64Array {
    let column = this.columns.get(metric);
    if (!column) {
      column = Float64Array.from(this.trials, (t) => t.metrics[metric] ?? NaN);
      this.columns.set(metric, column);
    }
    return column;
  }

  /** Every metric name that occurs, sorted. */
  metrics(): readonly string[] {
    if (!this.metricNames) {
      const names = new Set<string>();
      for (const t of this.trials) for (const name of Object.keys(t.metrics)) names.add(name);
      this.metricNames = [...names].sort();
    }
    return this.metricNames;
  }

  private clear(): void {
    this.trials = [];
    this.index.clear();
  }

  private put(trial: TrialRow): void {
    const at = this.index.get(trial.trial);
    if (at === undefined) {
      this.index.set(trial.trial, this.trials.length);
      this.trials.push(trial);
    } else {
      this.trials[at] = trial;
    }
  }

  private changed(): void {
    this.columns = new Map();
    this.metricNames = undefined;
    this.version++;
  }
}
