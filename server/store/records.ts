import type { EpochScores, TrialRecord } from '../protocol';

/** One finished epoch of a supernet training run (what `nas-studio list/show` and the editor summarize). */
export interface EpochRecord {
  readonly type: 'epoch_finished';
  readonly at: string;
  /** Epochs finished so far (1-based number of this epoch). */
  readonly epoch: number;
  readonly epochs: number;
  readonly phase: string;
  readonly phaseIndex: number;
  /** Mean training classification loss and accuracy of the sub-networks sampled this epoch. */
  readonly loss: number;
  readonly accuracy: number;
  /** Largest and smallest sub-networks on the validation split, after batch-norm recalibration. */
  readonly validation: EpochScores;
  /** The same on the test split, after the last epoch (when the dataset has one). */
  readonly test?: EpochScores;
  readonly imagesPerSecond: number;
  /** The TensorFlow.js backend the epoch trained on (as the workers report it). */
  readonly backend: string;
  /** Training time of this epoch, without validation. */
  readonly seconds: number;
  /** Run time so far, over all resumptions. */
  readonly elapsedMs: number;
  readonly learningRate: number;
}

/** Everything an experiment journal can contain, in the order things happened. */
export type JournalRecord =
  | { readonly type: 'started'; readonly at: string; readonly budget: number; readonly pid: number }
  | { readonly type: 'resumed'; readonly at: string; readonly pid: number; readonly replayed: number }
  | { readonly type: 'trial_started'; readonly trial: number; readonly key: string; readonly at: string }
  | ({ readonly type: 'trial_finished'; readonly at: string; readonly elapsedMs: number; readonly error?: string } & TrialRecord)
  | EpochRecord
  | { readonly type: 'finished'; readonly at: string; readonly reason: 'budget' | 'time' }
  | { readonly type: 'stopped'; readonly at: string }
  | { readonly type: 'failed'; readonly at: string; readonly error: string };

export type FinishedTrial = Extract<JournalRecord, { type: 'trial_finished' }>;
