import type { ObjectiveSpec } from '../../contract/metrics';
import type { TrialRecord } from '../../contract/runs';
import { observe } from '../core/objectives';
import type { SearchSpace } from '../core/searchSpace';
import type { EarlierRun } from '../runs/earlierRuns';
import { readRecordsAt } from '../store/journal';
import { spaces } from './registry';
import type { FinishedTrial, WarmObservationRecord } from './searchRecords';
import type { SearchState } from './searchState';
import { optionsOf, type ExperimentSpec } from './spec';

/** Observations transferred from one run at most: its first evaluations of distinct architectures, in trial order. */
export const MAX_TRANSFERRED = 10_000;

/** Whether two spaces are one: the same type and the same decisions with the same choices. */
export function sameSpace(a: SearchSpace, b: SearchSpace): boolean {
  return a.id === b.id && JSON.stringify(a.decisions) === JSON.stringify(b.decisions);
}

/** The space an earlier search run searched (its spec was valid when it was created). */
export function spaceOf(spec: ExperimentSpec): SearchSpace | undefined {
  try {
    return spaces.find((s) => s.type === spec.space.type)?.create(optionsOf(spec.space));
  } catch {
    return undefined;
  }
}

/**
 * Why an earlier run cannot warm-start a search of `space` with `objectiveCount` objectives:
 * it is no search, it has not finished, it searched another space or optimized another number
 * of objectives. Undefined when it can. Any evaluator or dataset will do.
 */
export function sourceProblem(run: EarlierRun, space: SearchSpace, objectiveCount: number): string | undefined {
  const { summary } = run;
  if (summary.kind !== 'search') return `run "${summary.id}" is a ${summary.kind === 'unreadable' ? 'run that cannot be read' : `${summary.kind} run`}, not an architecture search`;
  if (summary.status !== 'finished') return `run "${summary.id}" is ${summary.status} after ${summary.trials}/${summary.budget} trials: only a finished search can warm-start another`;
  const spec = run.spec as ExperimentSpec;
  const theirs = spaceOf(spec);
  if (!theirs || !sameSpace(theirs, space)) {
    return theirs?.id === space.id
      ? `run "${summary.id}" searched the "${space.id}" space with other options (other decisions or choices); a warm start needs the same space`
      : `run "${summary.id}" searched the "${spec.space.type}" space, not "${space.id}"; a warm start needs the same space`;
  }
  if (spec.objectives.length !== objectiveCount) {
    return `run "${summary.id}" optimized ${spec.objectives.length} objective${spec.objectives.length === 1 ? '' : 's'} and this spec ${objectiveCount}: transferred observations would not line up`;
  }
  return undefined;
}

/**
 * The observations to transfer from a finished search: its first evaluation of each distinct
 * architecture (failed evaluations teach nothing), in trial order, at most MAX_TRANSFERRED.
 */
export function transferRecords(run: EarlierRun): WarmObservationRecord[] {
  const spec = run.spec as ExperimentSpec;
  const state = run.state as SearchState;
  const firsts = [...state.evaluated.values()].sort((a, b) => a - b).slice(0, MAX_TRANSFERRED);
  const trials = readRecordsAt(run.folder.journal, firsts.map((t) => state.trials.get(t)!)) as FinishedTrial[];
  return trials.map((t) => warmObservation(run.summary.id, t, spec.objectives));
}

/**
 * One trial of a source run as a transferred observation. Only its objectives travel, oriented as
 * it optimized them, and whether its constraints held: never its report-only metrics.
 */
export function warmObservation(source: string, t: Pick<TrialRecord, 'trial' | 'key' | 'genome' | 'metrics' | 'feasible'>, objectives: readonly ObjectiveSpec[]): WarmObservationRecord {
  return {
    type: 'warm_observation',
    source,
    trial: t.trial,
    key: t.key,
    genome: t.genome,
    objectives: observe(t.metrics, objectives, []).objectives.map((v) => (Number.isFinite(v) ? v : null)),
    feasible: t.feasible,
  };
}
