import type { Metrics } from '../../contract/metrics';
import type { EnsembleIteration, EnsembleMemberInfo, TrialItem } from '../../contract/runs';
import { RecordError, type JournalRecord } from '../runs/runKind';
import { describeLayers } from '../scaling/scaledLayerStack';
import type { LayerStackArch } from '../spaces/layers/layerSpec';
import type { Mixture } from './adanetObjective';
import type { EnsembleSpec } from './ensembleSpec';
import { candidatesPerIteration } from './subnetworkGenerator';

/** A candidate subnetwork trained on its own loss, its model and logits kept in checkpoints/members/trial-N. */
export interface CandidateTrainedRecord {
  readonly type: 'candidate_trained';
  readonly at: string;
  readonly iteration: number;
  readonly trial: number;
  readonly arch: LayerStackArch;
  readonly depth: number;
  readonly complexity: number;
  /** The subnetwork alone: validation and test accuracy, params, FLOPs, latency. */
  readonly metrics: Metrics;
  readonly durationMs: number;
}

/** A candidate ensemble of an iteration, scored. */
export interface ScoredCandidate {
  readonly trial: number;
  readonly objective: number;
  readonly heldOutObjective: number;
  readonly mixture: Mixture;
}

/** An iteration's decision and the ensemble after it. */
export interface IterationRecord {
  readonly type: 'iteration_finished';
  readonly at: string;
  readonly iteration: number;
  readonly candidates: readonly ScoredCandidate[];
  /** The trial that joined; null when the previous ensemble won (growth stops unless forced). */
  readonly chosen: number | null;
  /** The ensemble after the iteration: its members in order and their mixture weights. */
  readonly members: readonly number[];
  readonly mixture: Mixture;
  readonly objective: number;
  readonly heldOutObjective: number;
  readonly valAccuracy: number;
  readonly testAccuracy?: number;
}

export interface EnsembleState {
  readonly candidates: Map<number, CandidateTrainedRecord>;
  readonly iterations: IterationRecord[];
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isMixture = (m: unknown): m is Mixture => {
  const v = m as Partial<Mixture> | undefined;
  return Array.isArray(v?.weights) && v.weights.every((w) => Array.isArray(w) && w.every(isNumber)) && Array.isArray(v.bias) && v.bias.every(isNumber);
};

function applyCandidate(state: EnsembleState, record: JournalRecord, spec: EnsembleSpec): void {
  const { trial, iteration } = record;
  if (!isCount(trial) || !isCount(iteration) || iteration >= spec.maxIterations || Math.floor(trial / candidatesPerIteration(spec)) !== iteration) {
    throw new RecordError(`candidate ${JSON.stringify(trial)} of iteration ${JSON.stringify(iteration)} is not one of this run's ${spec.maxIterations} iterations`);
  }
  if ((record.arch as { space?: unknown } | undefined)?.space !== 'layers' || !isCount(record.depth) || !isNumber(record.complexity)) throw new RecordError(`candidate ${trial} lacks its architecture, depth or complexity`);
  const metrics = record.metrics as Record<string, unknown> | undefined;
  if (!metrics || typeof metrics !== 'object' || !Object.values(metrics).every((v) => typeof v === 'number' || v === null)) throw new RecordError(`candidate ${trial} has no metrics`);
  if (!state.candidates.has(trial)) state.candidates.set(trial, record as unknown as CandidateTrainedRecord);
}

function applyIteration(state: EnsembleState, record: JournalRecord): void {
  const { iteration } = record;
  if (!isCount(iteration)) throw new RecordError('an iteration record without its number');
  if (iteration < state.iterations.length) return;
  if (iteration > state.iterations.length) throw new RecordError(`iteration ${iteration} follows iteration ${state.iterations.length - 1}`);
  const members = record.members;
  if (!Array.isArray(members) || !members.every((t) => isCount(t) && state.candidates.has(t))) throw new RecordError(`iteration ${iteration} names members that were never trained`);
  if (!isMixture(record.mixture) || record.mixture.weights.length !== members.length) throw new RecordError(`iteration ${iteration} lacks a mixture weight per member`);
  if (record.chosen !== null && !(isCount(record.chosen) && members.includes(record.chosen))) throw new RecordError(`iteration ${iteration} chose a candidate that is not a member`);
  if (!Array.isArray(record.candidates) || !isNumber(record.objective) || !isNumber(record.heldOutObjective) || !isNumber(record.valAccuracy)) throw new RecordError(`iteration ${iteration} lacks its candidates or objectives`);
  state.iterations.push(record as unknown as IterationRecord);
}

export function applyEnsembleRecord(state: EnsembleState, record: JournalRecord, spec: EnsembleSpec): void {
  if (record.type === 'candidate_trained') applyCandidate(state, record, spec);
  else if (record.type === 'iteration_finished') applyIteration(state, record);
  else throw new RecordError(`unknown record type "${record.type}"`);
}

export function subnetworkDescription(arch: LayerStackArch): string {
  return describeLayers(arch) || 'linear';
}

/** The previous ensemble won the last iteration: growth has stopped. */
export function converged(state: EnsembleState): boolean {
  return state.iterations.at(-1)?.chosen === null;
}

export function iterationInfo(state: EnsembleState, r: IterationRecord): EnsembleIteration {
  return {
    iteration: r.iteration,
    candidates: r.candidates.map((c) => ({ trial: c.trial, description: subnetworkDescription(state.candidates.get(c.trial)!.arch), objective: c.objective, heldOutObjective: c.heldOutObjective })),
    ...(r.chosen !== null ? { chosen: r.chosen } : {}),
    objective: r.objective,
    heldOutObjective: r.heldOutObjective,
    valAccuracy: r.valAccuracy,
    ...(r.testAccuracy !== undefined ? { testAccuracy: r.testAccuracy } : {}),
    params: r.members.reduce((n, t) => n + (state.candidates.get(t)!.metrics.params ?? 0), 0),
  };
}

export function memberInfos(state: EnsembleState): EnsembleMemberInfo[] {
  const last = state.iterations.at(-1);
  if (!last) return [];
  return last.members.map((trial, j) => {
    const c = state.candidates.get(trial)!;
    return { trial, description: subnetworkDescription(c.arch), depth: c.depth, complexity: c.complexity, weights: last.mixture.weights[j], params: c.metrics.params, valAccuracy: c.metrics.val_accuracy };
  });
}

/** A trained candidate as the editor lists trials. */
export function candidateItem(c: CandidateTrainedRecord): TrialItem {
  return {
    trial: c.trial,
    key: JSON.stringify(c.arch.layers),
    genome: [],
    arch: c.arch,
    metrics: c.metrics,
    feasible: true,
    cached: false,
    durationMs: c.durationMs,
    description: `iteration ${c.iteration}: ${subnetworkDescription(c.arch)}`,
  };
}
