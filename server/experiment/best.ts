import { observe } from '../core/objectives';
import { type ObjectiveSpec } from '../../contract/metrics';
import { paretoFront } from '../core/pareto';
import type { TrialRecord } from '../../contract/runs';

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

/**
 * Trial numbers of the Pareto front over all objectives (feasible trials, each architecture
 * once), ordered by the first objective, best first. Empty for single-objective experiments.
 */
export function paretoTrials(trials: readonly TrialRecord[], objectives: readonly ObjectiveSpec[]): number[] {
  if (objectives.length < 2) return [];
  const candidates = trials.filter((t) => t.feasible && !t.cached);
  const points = candidates.map((t) => observe(t.metrics, objectives, []).objectives);
  const usable = points.map((p, i) => (p.every(Number.isFinite) ? i : -1)).filter((i) => i >= 0);
  return paretoFront(points, usable)
    .sort((a, b) => points[b][0] - points[a][0] || candidates[a].trial - candidates[b].trial)
    .map((i) => candidates[i].trial);
}
