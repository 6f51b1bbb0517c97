import type { Normalization } from '../data/batchAssembly';
import { readEpochCheckpoint, writeEpochCheckpoint } from '../store/epochCheckpoint';
import type { RunFolder } from '../store/runFolder';
import type { AdamState } from './archAdam';
import type { EpochRecord } from './proxylessState';
import type { WeightsState } from './proxylessWorkerProtocol';

/** Where the search stands besides the weights: α, Adam's moments, the random stream, the architecture steps taken. */
export interface SearchPosition {
  readonly alphas: number[][];
  readonly adam: AdamState;
  /** State of the generator that samples paths (the RNG position). */
  readonly rng: number[];
  /** Architecture steps so far (where the next validation batch starts). */
  readonly archSteps: number;
}

/** checkpoints/latest.json besides the weights file it names. */
interface CheckpointFields {
  readonly version: 1;
  readonly epochsDone: number;
  /** The last finished epoch's journal record (re-journaled if a crash came between the two writes). */
  readonly record: EpochRecord;
  /** The input normalization the run trains with (computed once, from the training split). */
  readonly normalization: Normalization;
  readonly search: SearchPosition;
}

export interface Checkpoint {
  readonly epochsDone: number;
  readonly record: EpochRecord;
  readonly normalization: Normalization;
  readonly weights: WeightsState;
  readonly search: SearchPosition;
}

const GROUPS = ['weights', 'momentum'] as const;

/** Writes everything resuming after `record.epoch` needs: weights and momentum (SGD), α, Adam, the RNG position. */
export function writeCheckpoint(files: RunFolder, weights: WeightsState, search: SearchPosition, record: EpochRecord, normalization: Normalization): void {
  const fields: CheckpointFields = { version: 1, epochsDone: record.epoch, record, normalization, search };
  writeEpochCheckpoint(files.checkpoints, record.epoch, [['weights', weights.weights], ['momentum', weights.momentum]], fields);
}

/** The last checkpoint of a run, or undefined before its first epoch finished. */
export function readCheckpoint(files: RunFolder): Checkpoint | undefined {
  const read = readEpochCheckpoint<CheckpointFields>(files.checkpoints, GROUPS);
  if (!read) return undefined;
  const { fields, groups } = read;
  return { epochsDone: fields.epochsDone, record: fields.record, normalization: fields.normalization, search: fields.search, weights: { weights: groups.weights, momentum: groups.momentum } };
}
