import type { Observation } from '../core/strategy';

/**
 * The scalar single-objective strategies maximize: the first declared objective (already
 * oriented larger-is-better), or -Infinity when a constraint fails or the metric is missing.
 */
export function primaryFitness(observation: Observation): number {
  const value = observation.objectives[0];
  return observation.feasible && Number.isFinite(value) ? value : -Infinity;
}
