import type { TrialRecord } from '../../contract/runs';
import type { EpochPoint } from '../../contract/trialCurve';
import { RecordError, type JournalRecord } from '../runs/runKind';

/** A trial's evaluation began (a crash before its `trial_finished` means it runs again on resume). */
export interface TrialStartedRecord {
  readonly type: 'trial_started';
  readonly trial: number;
  readonly key: string;
  readonly at: string;
}

/** A finished trial, as journaled: its result, or the error that ended it. */
export interface FinishedTrial extends TrialRecord {
  readonly type: 'trial_finished';
  readonly at: string;
  /** Search time so far, over all resumptions. */
  readonly elapsedMs: number;
  readonly error?: string;
}

/**
 * What an earlier run observed about an architecture, transferred by a warm start: its
 * objectives as that run oriented them (larger is better; null where a value was missing) and
 * whether its constraints held. Never a trial of this run and never part of its budget.
 */
export interface WarmObservationRecord {
  readonly type: 'warm_observation';
  /** The earlier run's id, and the trial of it that made the observation. */
  readonly source: string;
  readonly trial: number;
  readonly key: string;
  readonly genome: readonly number[];
  readonly objectives: readonly (number | null)[];
  readonly feasible: boolean;
}

/** The warm start's transfer is complete: every transferred observation is in the journal before it. */
export interface WarmStartRecord {
  readonly type: 'warm_start';
  readonly at: string;
  readonly sources: readonly { readonly id: string; readonly name: string; readonly observations: number }[];
}

/** An epoch of a trial's training ended: a point of its learning curve (evaluators that train only). */
export interface TrialEpochRecord extends EpochPoint {
  readonly type: 'trial_epoch';
  readonly trial: number;
}

export type SearchRecord = TrialStartedRecord | FinishedTrial | TrialEpochRecord | WarmObservationRecord | WarmStartRecord;

export const SEARCH_RECORD_TYPES = ['trial_started', 'trial_finished', 'trial_epoch', 'warm_observation', 'warm_start'] as const;

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * Checks a `trial_finished` record read from a journal against the run's budget: every field a
 * reader relies on, with the right type. Throws RecordError naming what is wrong.
 */
export function checkFinishedTrial(record: JournalRecord, budget: number): FinishedTrial {
  const trial = record.trial;
  if (!isCount(trial)) throw new RecordError('a trial record without a trial number');
  if (trial >= budget) throw new RecordError(`trial ${trial} is outside this run's budget of ${budget} trials`);
  const metrics = record.metrics;
  if (!metrics || typeof metrics !== 'object' || Array.isArray(metrics)) throw new RecordError(`trial ${trial} has no metrics`);
  for (const [name, value] of Object.entries(metrics)) {
    if (typeof value !== 'number' && value !== null) throw new RecordError(`trial ${trial}: metric "${name}" is not a number`);
  }
  if (typeof record.key !== 'string') throw new RecordError(`trial ${trial} has no architecture key`);
  if (!Array.isArray(record.genome) || !record.genome.every(isCount)) throw new RecordError(`trial ${trial} has no genome`);
  if (!record.arch || typeof record.arch !== 'object' || typeof (record.arch as { space?: unknown }).space !== 'string') throw new RecordError(`trial ${trial} has no architecture`);
  if (typeof record.feasible !== 'boolean' || typeof record.cached !== 'boolean') throw new RecordError(`trial ${trial} lacks its feasible/cached flags`);
  if (typeof record.at !== 'string' || typeof record.elapsedMs !== 'number' || typeof record.durationMs !== 'number') throw new RecordError(`trial ${trial} lacks its times`);
  if (record.error !== undefined && typeof record.error !== 'string') throw new RecordError(`trial ${trial}: its error is not text`);
  return record as unknown as FinishedTrial;
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Checks a `trial_epoch` record read from a journal against the run's budget; throws RecordError naming what is wrong. */
export function checkTrialEpoch(record: JournalRecord, budget: number): TrialEpochRecord {
  const { trial, epoch } = record;
  if (!isCount(trial)) throw new RecordError('an epoch record without a trial number');
  if (trial >= budget) throw new RecordError(`epoch record of trial ${trial}, outside this run's budget of ${budget} trials`);
  if (!isCount(epoch) || epoch < 1) throw new RecordError(`epoch record of trial ${trial} without an epoch number`);
  if (!isFiniteNumber(record.loss) || !isFiniteNumber(record.accuracy)) throw new RecordError(`epoch ${epoch} of trial ${trial} lacks its loss or accuracy`);
  if (record.valAccuracy !== undefined && !isFiniteNumber(record.valAccuracy)) throw new RecordError(`epoch ${epoch} of trial ${trial}: its validation accuracy is not a number`);
  return record as unknown as TrialEpochRecord;
}

/** The point of a learning curve a `trial_epoch` record holds. */
export function epochPoint(r: TrialEpochRecord): EpochPoint {
  return { epoch: r.epoch, loss: r.loss, accuracy: r.accuracy, ...(r.valAccuracy !== undefined ? { valAccuracy: r.valAccuracy } : {}) };
}

/** The journaled record without the journal bookkeeping. */
export function toTrialRecord(t: FinishedTrial): TrialRecord {
  return { trial: t.trial, key: t.key, genome: t.genome, arch: t.arch, metrics: t.metrics, feasible: t.feasible, cached: t.cached, durationMs: t.durationMs, at: t.at };
}

/** Checks a `warm_observation` record read from a journal; throws RecordError naming what is wrong. */
export function checkWarmObservation(record: JournalRecord): WarmObservationRecord {
  if (typeof record.source !== 'string' || !isCount(record.trial)) throw new RecordError('a transferred observation without its source run and trial');
  const where = `observation of ${record.source} trial ${record.trial}`;
  if (typeof record.key !== 'string') throw new RecordError(`${where} has no architecture key`);
  if (!Array.isArray(record.genome) || !record.genome.every(isCount)) throw new RecordError(`${where} has no genome`);
  if (!Array.isArray(record.objectives) || !record.objectives.every((v) => v === null || typeof v === 'number')) throw new RecordError(`${where} has no objectives`);
  if (typeof record.feasible !== 'boolean') throw new RecordError(`${where} lacks its feasible flag`);
  return record as unknown as WarmObservationRecord;
}

/** Checks a `warm_start` record read from a journal; throws RecordError naming what is wrong. */
export function checkWarmStartRecord(record: JournalRecord): WarmStartRecord {
  const sources = record.sources;
  if (typeof record.at !== 'string' || !Array.isArray(sources)) throw new RecordError('a warm start record without its time and sources');
  for (const s of sources as unknown[]) {
    const source = s as Record<string, unknown> | null;
    if (!source || typeof source.id !== 'string' || typeof source.name !== 'string' || !isCount(source.observations)) throw new RecordError('a warm start record with a malformed source');
  }
  return record as unknown as WarmStartRecord;
}
