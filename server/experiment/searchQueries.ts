import type { ArchJson } from '../../contract/architecture';
import type { ArchitectureMatch, TrialPage } from '../../contract/protocol';
import type { TrialItem } from '../../contract/runs';
import { NasError } from '../core/errors';
import type { RunView } from '../runs/runKind';
import { readRecordsAt } from '../store/journal';
import { toTrialRecord, type FinishedTrial } from './searchRecords';
import type { SearchState } from './searchState';
import type { ExperimentSpec } from './spec';

export type SearchView = RunView<ExperimentSpec, SearchState>;

/** Most trials one page may carry. */
export const MAX_TRIAL_PAGE = 5000;

/** The record as the editor lists it: with its one-line description and any error. */
export function trialItem(view: SearchView, t: FinishedTrial): TrialItem {
  const curve = view.state.curves.get(t.trial);
  return { ...toTrialRecord(t), description: view.state.space.describe(t.genome), ...(t.error ? { error: t.error } : {}), ...(curve ? { curve } : {}) };
}

/** Finished trials in journal order, read from the journal (the state only knows where they are). */
export function trialPage(view: SearchView, offset: number, limit: number): TrialPage {
  const sources = [...view.state.trials.values()];
  const start = Math.max(0, Math.floor(offset));
  const page = sources.slice(start, start + Math.max(0, Math.min(Math.floor(limit), MAX_TRIAL_PAGE)));
  const items = (readRecordsAt(view.folder.journal, page) as FinishedTrial[]).map((t) => trialItem(view, t));
  return { total: sources.length, offset: start, items };
}

export function trialByNumber(view: SearchView, trial: number): TrialItem {
  const source = view.state.trials.get(trial);
  if (!source) throw new NasError('not-found', `run ${view.folder.id} has no finished trial ${trial}`);
  return trialItem(view, readRecordsAt(view.folder.journal, [source])[0] as FinishedTrial);
}

/** The trial of this run that first evaluated the architecture, compared by the space's canonical key. */
export function matchArchitecture(view: SearchView, arch: ArchJson): ArchitectureMatch | undefined {
  const { space } = view.state;
  if (space.id !== arch.space) return undefined;
  let key: string;
  try {
    key = space.key(space.fromArch(arch));
  } catch {
    return undefined; // an architecture this space cannot parse does not match
  }
  const trial = view.state.evaluated.get(key);
  if (trial === undefined) return undefined;
  const { description, metrics, feasible } = trialByNumber(view, trial);
  return { run: view.folder.id, name: view.header.name, trial, description, metrics, feasible };
}
