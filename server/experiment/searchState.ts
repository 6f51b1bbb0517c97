import type { ObjectiveSpec } from '../../contract/metrics';
import { extendCurve, type EpochPoint } from '../../contract/trialCurve';
import { observe } from '../core/objectives';
import { dominates } from '../core/pareto';
import type { SearchSpace } from '../core/searchSpace';
import { RecordError, type JournalRecord } from '../runs/runKind';
import type { RecordSource } from '../store/journal';
import { checkFinishedTrial, checkTrialEpoch, checkWarmObservation, checkWarmStartRecord, epochPoint, type FinishedTrial, type TrialEpochRecord, type WarmStartRecord } from './searchRecords';
import type { ExperimentSpec } from './spec';

/** Trials `show` and the end-of-run table list. */
export const TOP_TRIALS = 10;

/**
 * What a search run's journal folds into. Trials themselves stay in the journal (a run may have
 * 100,000); the state keeps where each one is, and incrementally the few that summaries show: the
 * best trial, the Pareto front and the top trials. Folding a trial costs the same however many
 * came before it.
 */
export interface SearchState {
  readonly space: SearchSpace;
  /** Each finished trial's record in the journal, in journal order (the first record of a repeated trial). */
  readonly trials: Map<number, RecordSource>;
  /** The feasible trial with the best first objective (the earliest on ties). */
  best?: FinishedTrial;
  /** Multi-objective runs: the non-dominated feasible trials (each architecture once). */
  front: FinishedTrial[];
  /** The best feasible, first-evaluation trials by the first objective, best first. */
  top: FinishedTrial[];
  /** First successful evaluation of each architecture, by key. */
  readonly evaluated: Map<string, number>;
  /** Search time of the last trial, over all resumptions. */
  elapsedMs: number;
  readonly warm: WarmTransfer;
  /** Learning curves of trials whose evaluator trains, by trial: a few numbers per epoch. */
  readonly curves: Map<number, EpochPoint[]>;
}

/** What a warm start transferred: observations of earlier runs, never trials of this one. */
export interface WarmTransfer {
  /** Each transferred observation's record in the journal, by "<source run>#<trial>", in journal order. */
  readonly observations: Map<string, RecordSource>;
  /** The sources, once the transfer is complete (its `warm_start` record is journaled). */
  sources?: WarmStartRecord['sources'];
}

export function initialSearchState(space: SearchSpace): SearchState {
  return { space, trials: new Map(), front: [], top: [], evaluated: new Map(), elapsedMs: 0, warm: { observations: new Map() }, curves: new Map() };
}

/** Folds a search record (trial_started records carry nothing a reader needs). */
export function applySearchRecord(state: SearchState, record: JournalRecord, spec: ExperimentSpec, source: RecordSource | undefined): void {
  if (record.type === 'trial_started') return;
  if (record.type === 'trial_epoch') return applyEpochRecord(state, checkTrialEpoch(record, spec.budget.trials));
  if (record.type === 'warm_observation' || record.type === 'warm_start') return applyWarmRecord(state.warm, record, source);
  if (record.type !== 'trial_finished') throw new RecordError(`unknown record type "${record.type}"`);
  const trial = checkFinishedTrial(record, spec.budget.trials);
  if (state.trials.has(trial.trial)) return; // a repeated record: the first one counts
  state.trials.set(trial.trial, source ?? { offset: -1, length: 0 });
  state.elapsedMs = trial.elapsedMs;
  if (trial.error !== undefined) return;
  if (!trial.cached && !state.evaluated.has(trial.key)) state.evaluated.set(trial.key, trial.trial);
  const objectives = spec.objectives;
  if (trial.feasible && Number.isFinite(primary(trial, objectives[0])) && (!state.best || primary(trial, objectives[0]) > primary(state.best, objectives[0]))) state.best = trial;
  if (!trial.feasible || trial.cached) return;
  insertTop(state, trial, objectives[0]);
  if (objectives.length > 1) insertIntoFront(state, trial, objectives);
}

/**
 * A finished trial's curve is final. An epoch at or before the last one folded starts the curve
 * again: the trial was interrupted (a crash, a stop) and trained again from scratch on resume.
 */
function applyEpochRecord(state: SearchState, record: TrialEpochRecord): void {
  if (state.trials.has(record.trial)) return;
  state.curves.set(record.trial, extendCurve(state.curves.get(record.trial) ?? [], epochPoint(record)));
}

/** Transferred observations count once each and never as trials; the transfer completes once. */
function applyWarmRecord(warm: WarmTransfer, record: JournalRecord, source: RecordSource | undefined): void {
  if (record.type === 'warm_start') {
    const complete = checkWarmStartRecord(record);
    warm.sources ??= complete.sources;
    return;
  }
  const observation = checkWarmObservation(record);
  const id = `${observation.source}#${observation.trial}`;
  if (warm.observations.has(id)) return; // a repeated record (a transfer redone after a crash): the first one counts
  if (warm.sources) throw new RecordError(`observation of ${observation.source} trial ${observation.trial} arrived after the warm start was complete`);
  warm.observations.set(id, source ?? { offset: -1, length: 0 });
}

/** Trial numbers of the Pareto front, best first objective first (the earlier trial on ties). */
export function paretoOrder(state: SearchState, objectives: readonly ObjectiveSpec[]): number[] {
  return state.front
    .map((t) => ({ trial: t.trial, first: point(t, objectives)[0] }))
    .sort((a, b) => b.first - a.first || a.trial - b.trial)
    .map((t) => t.trial);
}

/** Oriented value of an objective (larger is better), -Infinity when it is missing. */
function primary(trial: FinishedTrial, objective: ObjectiveSpec): number {
  return observe(trial.metrics, [objective], []).objectives[0];
}

function point(trial: FinishedTrial, objectives: readonly ObjectiveSpec[]): readonly number[] {
  return observe(trial.metrics, objectives, []).objectives;
}

function insertTop(state: SearchState, trial: FinishedTrial, objective: ObjectiveSpec): void {
  const value = primary(trial, objective);
  if (!Number.isFinite(value)) return;
  const top = state.top;
  if (top.length === TOP_TRIALS && value <= primary(top[top.length - 1], objective)) return;
  let i = top.length;
  while (i > 0 && value > primary(top[i - 1], objective)) i--;
  top.splice(i, 0, trial);
  if (top.length > TOP_TRIALS) top.pop();
}

/** A new point joins the front unless a member dominates it, and pushes out the members it dominates. */
function insertIntoFront(state: SearchState, trial: FinishedTrial, objectives: readonly ObjectiveSpec[]): void {
  const p = point(trial, objectives);
  if (!p.every(Number.isFinite)) return;
  const points = state.front.map((t) => point(t, objectives));
  if (points.some((q) => dominates(q, p))) return;
  state.front = state.front.filter((_, i) => !dominates(p, points[i]));
  state.front.push(trial);
}

/** The state as JSON: trial positions as flat [trial, offset, length] triples, the rest as is. */
export function saveSearchState(state: SearchState): unknown {
  const trials: number[] = [];
  for (const [trial, { offset, length }] of state.trials) trials.push(trial, offset, length);
  const warm: (string | number)[] = [];
  for (const [id, { offset, length }] of state.warm.observations) warm.push(id, offset, length);
  return { trials, best: state.best, front: state.front, top: state.top, evaluated: [...state.evaluated], elapsedMs: state.elapsedMs, warm, warmSources: state.warm.sources, curves: [...state.curves] };
}

/** A state saved by saveSearchState, for the space of its spec. */
export function loadSearchState(value: unknown, space: SearchSpace): SearchState {
  const v = value as { trials: number[]; best?: FinishedTrial; front: FinishedTrial[]; top: FinishedTrial[]; evaluated: [string, number][]; elapsedMs: number; warm?: (string | number)[]; warmSources?: WarmStartRecord['sources']; curves?: [number, EpochPoint[]][] };
  if (!v || !Array.isArray(v.trials) || v.trials.length % 3 !== 0 || !Array.isArray(v.front) || !Array.isArray(v.top) || !Array.isArray(v.evaluated)) throw new Error('not a search state');
  if (v.warm !== undefined && (!Array.isArray(v.warm) || v.warm.length % 3 !== 0)) throw new Error('not a search state');
  if (v.curves !== undefined && (!Array.isArray(v.curves) || !v.curves.every((c) => Array.isArray(c) && typeof c[0] === 'number' && Array.isArray(c[1])))) throw new Error('not a search state');
  const trials = new Map<number, RecordSource>();
  for (let i = 0; i < v.trials.length; i += 3) trials.set(v.trials[i], { offset: v.trials[i + 1], length: v.trials[i + 2] });
  // States saved before warm starts existed describe journals without transferred observations.
  const observations = new Map<string, RecordSource>();
  const saved = v.warm ?? [];
  for (let i = 0; i < saved.length; i += 3) observations.set(String(saved[i]), { offset: Number(saved[i + 1]), length: Number(saved[i + 2]) });
  const warm: WarmTransfer = { observations, ...(v.warmSources ? { sources: v.warmSources } : {}) };
  // States saved before learning curves existed describe journals without epoch records.
  const curves = new Map(v.curves ?? []);
  return { space, trials, ...(v.best ? { best: v.best } : {}), front: v.front, top: v.top, evaluated: new Map(v.evaluated), elapsedMs: v.elapsedMs, warm, curves };
}
