import type { TrainingEpoch, TrialRecord } from '../../contract/protocol';

/** One finished epoch of a supernet training run, as journaled. */
export interface EpochRecord extends TrainingEpoch {
  readonly type: 'epoch_finished';
  readonly at: string;
  readonly phaseIndex: number;
  /** Run time so far, over all resumptions. */
  readonly elapsedMs: number;
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
