import type { ConstraintSpec, ObjectiveSpec, Metrics } from '../../contract/metrics';
import type { Observation } from './strategy';

export function satisfies(metrics: Metrics, constraints: readonly ConstraintSpec[]): boolean {
  return constraints.every((c) => {
    const v = metrics[c.metric];
    if (typeof v !== 'number' || Number.isNaN(v)) return false;
    return (c.min === undefined || v >= c.min) && (c.max === undefined || v <= c.max);
  });
}

/**
 * The only view of an evaluation a strategy ever gets: declared objectives, oriented so
 * larger is better, and constraint feasibility. Every other metric stays with the runner.
 */
export function observe(metrics: Metrics, objectives: readonly ObjectiveSpec[], constraints: readonly ConstraintSpec[]): Observation {
  return {
    objectives: objectives.map((o) => {
      const v = metrics[o.metric];
      if (typeof v !== 'number' || Number.isNaN(v)) return -Infinity;
      return o.goal === 'maximize' ? v : -v;
    }),
    feasible: satisfies(metrics, constraints),
  };
}
