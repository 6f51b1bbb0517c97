import type { Normalization } from '../data/batchAssembly';
import { readEpochCheckpoint, writeEpochCheckpoint } from '../store/epochCheckpoint';
import type { RunFolder } from '../store/runFolder';
import type { EpochRecord } from './supernetState';
import type { SupernetState } from './supernetWorkerProtocol';

/** checkpoints/latest.json besides the weights file it names: after how many epochs, and what else resuming needs. */
interface CheckpointFields {
  readonly version: 1;
  readonly epochsDone: number;
  /** The last finished epoch's journal record (re-journaled if a crash came between the two writes). */
  readonly record: EpochRecord;
  /** The input normalization the run trains with (computed once, from the training split). */
  readonly normalization: Normalization;
}

export interface Checkpoint {
  readonly epochsDone: number;
  readonly record: EpochRecord;
  readonly normalization: Normalization;
  readonly state: SupernetState;
}

/** Float tensors of the weights file, in order. */
const GROUPS = ['weights', 'momentum', 'teacher'] as const;

/** Writes the state after `record.epoch` epochs (see writeEpochCheckpoint: a crash leaves the previous one). */
export function writeCheckpoint(files: RunFolder, state: SupernetState, record: EpochRecord, normalization: Normalization): void {
  const fields: CheckpointFields = { version: 1, epochsDone: record.epoch, record, normalization };
  writeEpochCheckpoint(files.checkpoints, record.epoch, [['weights', state.weights], ['momentum', state.momentum], ['teacher', state.teacher ?? []]], fields);
}

/** The last checkpoint of a run, or undefined before its first epoch finished. */
export function readCheckpoint(files: RunFolder): Checkpoint | undefined {
  const read = readEpochCheckpoint<CheckpointFields>(files.checkpoints, GROUPS);
  if (!read) return undefined;
  const { fields, groups } = read;
  const state: SupernetState = { weights: groups.weights, momentum: groups.momentum };
  return { epochsDone: fields.epochsDone, record: fields.record, normalization: fields.normalization, state: groups.teacher.length > 0 ? { ...state, teacher: groups.teacher } : state };
}
