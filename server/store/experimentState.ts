import { dirname } from 'node:path';
import { readFileSync } from 'node:fs';
import { errorMessage } from '../core/errors';
import type { SearchSpace } from '../core/searchSpace';
import { bestTrial, paretoTrials } from '../experiment/best';
import type { ExperimentSpec } from '../experiment/spec';
import { validateSpecText } from '../experiment/validate';
import type { BestResult, ExperimentStatus, ExperimentSummary, TrialRecord } from '../protocol';
import { lockHolderAlive, openJournal, readMeta, type ExperimentFiles, type ExperimentMeta } from './experimentStore';
import type { FinishedTrial, JournalRecord } from './records';

/** Everything known about an experiment from its folder. */
export interface ExperimentState {
  readonly files: ExperimentFiles;
  readonly meta: ExperimentMeta;
  readonly spec?: ExperimentSpec;
  readonly space?: SearchSpace;
  readonly status: ExperimentStatus;
  readonly trials: readonly FinishedTrial[];
  readonly best?: TrialRecord;
  readonly elapsedMs: number;
  readonly error?: string;
  readonly updatedAt: string;
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
  const specText = readFileSync(files.spec, 'utf8');
  const validation = validateSpecText(specText, { file: meta.specPath, baseDir: dirname(meta.specPath) });
  const spec = validation.spec;
  if (!spec && !error) error = `spec snapshot is invalid: ${validation.diagnostics[0]?.message ?? 'unknown problem'}`;

  const trials: FinishedTrial[] = [];
  let status: ExperimentStatus = 'pending';
  let updatedAt = meta.createdAt;
  for (const r of records) {
    if ('at' in r) updatedAt = r.at;
    switch (r.type) {
      case 'trial_finished':
        trials.push(r);
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
  return {
    files,
    meta,
    spec,
    space: validation.space,
    status,
    trials,
    best: spec ? bestTrial(trials, spec.objectives) : undefined,
    elapsedMs: trials.length > 0 ? trials[trials.length - 1].elapsedMs : 0,
    error,
    updatedAt,
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
  };
}

/** A journal entry without the journal bookkeeping. */
export function toTrialRecord(t: FinishedTrial): TrialRecord {
  return { trial: t.trial, key: t.key, genome: t.genome, arch: t.arch, metrics: t.metrics, feasible: t.feasible, cached: t.cached, durationMs: t.durationMs };
}
