import type { ObjectiveSpec } from '../core/objectives';
import type { TrialRecord } from '../protocol';

/** Oriented value of the first objective, or -Infinity when it is missing. */
function primary(trial: TrialRecord, objective: ObjectiveSpec): number {
  const v = trial.metrics[objective.metric];
  if (typeof v !== 'number' || Number.isNaN(v)) return -Infinity;
  return objective.goal === 'maximize' ? v : -v;
}

/**
 * The result of an experiment: the feasible trial with the best first objective (the
 * earliest on ties). Multi-objective experiments also report their Pareto front.
 */
export function bestTrial(trials: readonly TrialRecord[], objectives: readonly ObjectiveSpec[]): TrialRecord | undefined {
  let best: TrialRecord | undefined;
  for (const t of trials) {
    if (!t.feasible || primary(t, objectives[0]) === -Infinity) continue;
    if (!best || primary(t, objectives[0]) > primary(best, objectives[0])) best = t;
  }
  return best;
}
