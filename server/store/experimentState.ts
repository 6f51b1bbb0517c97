import { dirname } from 'node:path';
import { readFileSync } from 'node:fs';
import { errorMessage } from '../core/errors';
import type { SearchSpace } from '../core/searchSpace';
import { bestTrial, paretoTrials } from '../experiment/best';
import type { ExperimentSpec } from '../experiment/spec';
import { validateSpecText } from '../experiment/validate';
import type { BestResult, ExperimentKind, ExperimentStatus, ExperimentSummary, TrainingSummary, TrialRecord } from '../../contract/protocol';
import { type SupernetSpec, totalEpochs } from '../supernet/supernetSpec';
import { validateSupernetSpecText } from '../supernet/validateSupernet';
import { lockHolderAlive, openJournal, readMeta, type ExperimentFiles, type ExperimentMeta } from './experimentStore';
import type { EpochRecord, FinishedTrial, JournalRecord } from './records';

/** A supernet training run's spec and finished epochs. */
export interface TrainingState {
  readonly spec: SupernetSpec;
  readonly epochs: readonly EpochRecord[];
}

/** Everything known about an experiment from its folder. */
export interface ExperimentState {
  readonly files: ExperimentFiles;
  readonly meta: ExperimentMeta;
  readonly kind: ExperimentKind;
  /** Search experiments: the validated spec snapshot. */
  readonly spec?: ExperimentSpec;
  readonly space?: SearchSpace;
  readonly status: ExperimentStatus;
  readonly trials: readonly FinishedTrial[];
  readonly best?: TrialRecord;
  readonly elapsedMs: number;
  readonly error?: string;
  readonly updatedAt: string;
  /** Supernet training runs: their spec and epochs. */
  readonly training?: TrainingState;
}

/** Folds an experiment's snapshot and journal into its current state. */
export function loadExperimentState(files: ExperimentFiles): ExperimentState {
  const meta = readMeta(files);
  let records: JournalRecord[] = [];
  let error: string | undefined;
  try {
    records = openJournal(files).read();
  } catch (e) {
    error = errorMessage(e);
  }
  const kind = meta.kind ?? 'search';
  const specText = readFileSync(files.spec, 'utf8');
  const context = { file: meta.specPath, baseDir: dirname(meta.specPath) };
  const validation = kind === 'supernet' ? { space: undefined, ...validateSupernetSpecText(specText, context) } : validateSpecText(specText, context);
  if (!validation.spec && !error) error = `spec snapshot is invalid: ${validation.diagnostics[0]?.message ?? 'unknown problem'}`;
  const spec = kind === 'search' ? (validation.spec as ExperimentSpec | undefined) : undefined;
  const supernetSpec = kind === 'supernet' ? (validation.spec as SupernetSpec | undefined) : undefined;

  const trials: FinishedTrial[] = [];
  const epochs: EpochRecord[] = [];
  let status: ExperimentStatus = 'pending';
  let updatedAt = meta.createdAt;
  for (const r of records) {
    if ('at' in r) updatedAt = r.at;
    switch (r.type) {
      case 'trial_finished':
        trials.push(r);
        break;
      case 'epoch_finished':
        epochs.push(r);
        break;
      case 'started':
      case 'resumed':
        status = 'running';
        break;
      case 'finished':
        status = 'finished';
        break;
      case 'stopped':
        status = 'stopped';
        break;
      case 'failed':
        status = 'failed';
        error = r.error;
        break;
    }
  }
  if (status === 'running' && !lockHolderAlive(files)) status = 'interrupted';
  if (error && status !== 'failed' && records.length === 0) status = 'failed';
  const last = trials.length > 0 ? trials[trials.length - 1] : epochs[epochs.length - 1];
  return {
    files,
    meta,
    kind,
    spec,
    space: validation.space,
    status,
    trials,
    best: spec ? bestTrial(trials, spec.objectives) : undefined,
    elapsedMs: last?.elapsedMs ?? 0,
    error,
    updatedAt,
    ...(supernetSpec ? { training: { spec: supernetSpec, epochs } } : {}),
  };
}

/** Epoch, phase, loss and accuracies of a supernet run after its last finished epoch. */
export function trainingSummary(training: TrainingState): TrainingSummary {
  const last = training.epochs[training.epochs.length - 1];
  const epochs = totalEpochs(training.spec.training);
  if (!last) return { epoch: 0, epochs, phase: training.spec.training.phases[0].phase };
  return {
    epoch: last.epoch,
    epochs,
    phase: last.phase,
    loss: last.loss,
    accuracy: last.validation.largest.accuracy,
    smallestAccuracy: last.validation.smallest.accuracy,
    imagesPerSecond: last.imagesPerSecond,
    backend: last.backend,
    ...(last.test ? { test: last.test } : {}),
  };
}

export function bestResult(state: ExperimentState): BestResult | undefined {
  const { best, space } = state;
  if (!best) return undefined;
  const description = space ? space.describe(best.genome) : best.key;
  return { trial: best.trial, arch: best.arch, description, metrics: best.metrics };
}

export function summarize(state: ExperimentState): ExperimentSummary {
  return {
    id: state.files.id,
    name: state.meta.name,
    dir: state.files.dir,
    specPath: state.meta.specPath,
    status: state.status,
    trials: state.trials.length,
    budget: state.spec?.budget.trials ?? 0,
    objectives: state.spec?.objectives ?? [],
    constraints: state.spec?.constraints ?? [],
    report: state.spec?.report ?? [],
    strategy: state.spec?.strategy.type ?? '',
    best: bestResult(state),
    ...(state.spec && state.spec.objectives.length > 1 ? { pareto: paretoTrials(state.trials, state.spec.objectives) } : {}),
    error: state.error,
    createdAt: state.meta.createdAt,
    updatedAt: state.updatedAt,
    kind: state.kind,
    ...(state.training ? { training: trainingSummary(state.training) } : {}),
  };
}

/** A journal entry without the journal bookkeeping. */
export function toTrialRecord(t: FinishedTrial): TrialRecord {
  return { trial: t.trial, key: t.key, genome: t.genome, arch: t.arch, metrics: t.metrics, feasible: t.feasible, cached: t.cached, durationMs: t.durationMs };
}
