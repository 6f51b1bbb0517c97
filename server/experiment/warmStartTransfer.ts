import { NasError, errorMessage } from '../core/errors';
import type { EarlierRun } from '../runs/earlierRuns';
import type { ActiveRun } from '../runs/runKind';
import { readRecordsAt } from '../store/journal';
import type { WarmObservationRecord, WarmStartRecord } from './searchRecords';
import type { SearchState } from './searchState';
import type { ExperimentSpec } from './spec';
import { sourceProblem, transferRecords } from './warmStartSource';

/**
 * The observations a run's warm start transferred, as its journal holds them. The first time,
 * the sources are read (through the store, as they are: never re-validated) and their
 * observations journaled, then a `warm_start` record closes the transfer. A run stopped or killed
 * before that record transfers again when it resumes (repeated records count once); after it,
 * the journal alone is read, so the sources may since have moved or gone.
 */
export function transferredRecords(run: ActiveRun<ExperimentSpec, SearchState>): WarmObservationRecord[] {
  const { spec, folder } = run;
  if (!spec.warmStart) return [];
  if (!run.state.warm.sources) {
    const sources = spec.warmStart.runs.map(({ id, dir }) => {
      const source = findSource(run, id, dir);
      const problem = sourceProblem(source, run.state.space, spec.objectives.length);
      if (problem) throw new NasError('invalid-spec', `warm start: ${problem}`);
      const records = transferRecords(source);
      for (const record of records) run.append(record);
      return { id: source.summary.id, name: source.summary.name, observations: records.length };
    });
    run.append({ type: 'warm_start', at: new Date().toISOString(), sources } satisfies WarmStartRecord);
    const total = sources.reduce((n, s) => n + s.observations, 0);
    run.events.log(`warm start: ${total} observation${total === 1 ? '' : 's'} transferred from ${sources.map((s) => `${s.id} (${s.observations})`).join(', ')}`);
  }
  return readRecordsAt(folder.journal, [...run.view().state.warm.observations.values()]) as WarmObservationRecord[];
}

function findSource(run: ActiveRun<ExperimentSpec, SearchState>, id: string, dir: string): EarlierRun {
  try {
    return run.runs.find(dir);
  } catch (e) {
    throw new NasError('not-found', `warm start: run ${id} (${dir}) cannot be read any more: ${errorMessage(e)}`);
  }
}
