import type { TrainingEpoch, TrainingSummary } from '../../contract/runs';
import { RecordError, type JournalRecord } from '../runs/runKind';
import { totalEpochs, type SupernetSpec } from './supernetSpec';

/** One finished epoch of a supernet training run, as journaled. */
export interface EpochRecord extends TrainingEpoch {
  readonly type: 'epoch_finished';
  readonly at: string;
  readonly phaseIndex: number;
  /** Run time so far, over all resumptions. */
  readonly elapsedMs: number;
}

export const SUPERNET_RECORD_TYPES = ['epoch_finished'] as const;

/** A supernet run's journal folded: its finished epochs, in order. */
export interface SupernetState {
  readonly epochs: EpochRecord[];
}

export function initialSupernetState(): SupernetState {
  return { epochs: [] };
}

const scoresValid = (s: unknown) => {
  const v = s as { largest?: { accuracy?: unknown }; smallest?: { accuracy?: unknown } } | undefined;
  return typeof v?.largest?.accuracy === 'number' && typeof v?.smallest?.accuracy === 'number';
};

/** Folds an epoch record; epochs arrive in order, a repeated one is ignored. */
export function applySupernetRecord(state: SupernetState, record: JournalRecord, spec: SupernetSpec): void {
  if (record.type !== 'epoch_finished') throw new RecordError(`unknown record type "${record.type}"`);
  const epoch = record.epoch;
  const epochs = totalEpochs(spec.training);
  if (typeof epoch !== 'number' || !Number.isInteger(epoch) || epoch < 1) throw new RecordError('an epoch record without its epoch number');
  if (epoch > epochs) throw new RecordError(`epoch ${epoch} is beyond this run's ${epochs} epochs`);
  if (typeof record.loss !== 'number' || typeof record.phase !== 'string' || !scoresValid(record.validation)) throw new RecordError(`epoch ${epoch} lacks its loss, phase or validation accuracies`);
  const last = state.epochs[state.epochs.length - 1]?.epoch ?? 0;
  if (epoch <= last) return;
  if (epoch !== last + 1) throw new RecordError(`epoch ${epoch} follows epoch ${last}`);
  state.epochs.push(record as unknown as EpochRecord);
}

/** An epoch as the protocol shows it (without the journal bookkeeping). */
export function trainingEpoch({ type: _type, at: _at, phaseIndex: _phaseIndex, elapsedMs: _elapsedMs, ...epoch }: EpochRecord): TrainingEpoch {
  return epoch;
}

/** Epoch, phase, loss and accuracies after the last finished epoch. */
export function trainingSummary(spec: SupernetSpec, state: SupernetState): TrainingSummary {
  const last = state.epochs[state.epochs.length - 1];
  const epochs = totalEpochs(spec.training);
  if (!last) return { epoch: 0, epochs, phase: spec.training.phases[0].phase };
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
