import { isErrorKind, type ErrorKind } from '../../contract/errors';
import type { RunStatus } from '../../contract/runs';
import { RecordError, type JournalRecord } from './journalRecord';

/** Why a run ended on its own: its budget is spent, its time limit passed, or it stopped improving (an AdaNet ensemble). */
export type FinishReason = 'budget' | 'time' | 'converged';

/** The records every run journals about itself, whatever its kind. */
export type LifecycleRecord =
  | { readonly type: 'started'; readonly at: string; readonly pid: number; readonly budget: number }
  | { readonly type: 'resumed'; readonly at: string; readonly pid: number; readonly replayed: number }
  | { readonly type: 'finished'; readonly at: string; readonly reason: FinishReason }
  | { readonly type: 'stopped'; readonly at: string }
  | { readonly type: 'failed'; readonly at: string; readonly error: string; readonly kind?: ErrorKind };

export const LIFECYCLE_TYPES: ReadonlySet<string> = new Set(['started', 'resumed', 'finished', 'stopped', 'failed']);

/** Where a run stands according to its lifecycle records (before a look at its lock). */
export interface Lifecycle {
  status: Exclude<RunStatus, 'stopping' | 'interrupted' | 'damaged'>;
  error?: string;
  errorKind?: ErrorKind;
  /** Time of the last record with one. */
  updatedAt?: string;
}

export function initialLifecycle(): Lifecycle {
  return { status: 'pending' };
}

/** Folds a lifecycle record; a record that is not one throws RecordError. */
export function applyLifecycle(lifecycle: Lifecycle, record: JournalRecord): void {
  if (typeof record.at !== 'string') throw new RecordError(`a "${record.type}" record without its time`);
  switch (record.type) {
    case 'started':
    case 'resumed':
      lifecycle.status = 'running';
      lifecycle.error = undefined;
      lifecycle.errorKind = undefined;
      break;
    case 'finished':
      lifecycle.status = 'finished';
      break;
    case 'stopped':
      lifecycle.status = 'stopped';
      break;
    case 'failed':
      if (typeof record.error !== 'string') throw new RecordError('a "failed" record without its error');
      lifecycle.status = 'failed';
      lifecycle.error = record.error;
      lifecycle.errorKind = isErrorKind(record.kind) ? record.kind : undefined;
      break;
    default:
      throw new RecordError(`unknown record type "${record.type}"`);
  }
  lifecycle.updatedAt = record.at;
}
