/** Metrics of an evaluated architecture, and the objectives and constraints a run declares on them. */

/** Named numeric results of one evaluation (accuracy, latency_ms, flops, params, ...). */
export type Metrics = Record<string, number>;

export interface ObjectiveSpec {
  readonly metric: string;
  readonly goal: 'maximize' | 'minimize';
}

/** A bound on a metric; both ends inclusive. */
export interface ConstraintSpec {
  readonly metric: string;
  readonly min?: number;
  readonly max?: number;
}

/** How a metric is shown (declared by the evaluator that produces it; rendered by metricInfo.ts). */
export interface MetricInfo {
  /** What the metric measures, e.g. "Validation accuracy", "Latency on Pixel 3". */
  readonly title: string;
  /** Unit shown after values and in titles: "%", "ms", "s"; "" for counts and plain numbers. */
  readonly unit: string;
  /** Stored value × scale = value in `unit` (100 for a fraction shown in %, 1e6 for a count stored in millions). */
  readonly scale?: number;
  /** Decimals shown; undefined: 4 significant digits. */
  readonly precision?: number;
  /** A count shown with SI prefixes: 63790 → "63.79 k". */
  readonly si?: boolean;
}

/** Metadata of a run's metrics, by name (what `SearchRunSummary.metricInfo` carries). */
export type MetricCatalog = Readonly<Record<string, MetricInfo>>;
