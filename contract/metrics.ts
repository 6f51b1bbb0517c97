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
