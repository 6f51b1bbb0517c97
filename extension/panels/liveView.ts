import * as vscode from 'vscode';
import { Requests } from '../../contract/protocol';
import type { EnsembleRunSummary, RunSummary, ScalingRunSummary, SearchRunSummary, SupernetRunSummary, TrialRecord } from '../../contract/runs';
import type { HostToWebview } from '../../contract/webviewMessages';
import { toPages } from '../../webviews/paging';
import type { EngineClient } from '../engineClient';
import { fetchAllTrials, trialRecordOf, trialRowOf } from './trialPages';
import type { ViewPanel } from './webviewHost';

/** A panel showing runs that change while it is open (plot, progress). */
export interface LiveView {
  readonly view: ViewPanel;
  /** Ids of the runs it shows; their new trials and summaries are forwarded to it. */
  readonly experiments: readonly string[];
}

export interface RunData<S extends RunSummary> {
  readonly summary: S;
  readonly trials: readonly TrialRecord[];
  /** The trials as `trials` page messages for a view (page 0 replaces what it had), as rows unless whole records were asked for. */
  readonly pages: readonly HostToWebview[];
}

/** Runs with trials, training curves or iterations to show: searches, supernet trainings, scaling studies, ensembles. */
export type ShownRun = SearchRunSummary | SupernetRunSummary | ScalingRunSummary | EnsembleRunSummary;

/**
 * A run's summary and, for a search or a scaling study, all its trials (networks), fetched from
 * the engine. Views that need genomes or architectures (analysis) ask for `records`; the others
 * get rows, a fraction of the bytes to post and validate (100,000 OFA trials).
 */
export async function loadRunData(engine: EngineClient, id: string, detail: 'rows' | 'records' = 'rows'): Promise<RunData<ShownRun>> {
  const summary = await engine.request(Requests.getRun, { id });
  if (summary.kind !== 'search' && summary.kind !== 'supernet' && summary.kind !== 'scaling' && summary.kind !== 'ensemble') throw new Error(`${summary.name} (${summary.id}) is a ${summary.kind} run: it has no trials or training curves to show`);
  if (summary.kind !== 'search' && summary.kind !== 'scaling') return { summary, trials: [], pages: [] };
  const listed = await fetchAllTrials((offset, limit) => engine.request(Requests.getTrials, { id, offset, limit }));
  const trials = listed.map(trialRecordOf);
  const items = detail === 'records' ? trials : trials.map(trialRowOf);
  return { summary, trials, pages: toPages(items).map((page) => ({ type: 'trials', experiment: id, ...page })) };
}

/** Where a run's exports go, and where export dialogs for its views start. */
export function exportsFolder(summary: Pick<RunSummary, 'dir'>): vscode.Uri {
  return vscode.Uri.joinPath(vscode.Uri.file(summary.dir), 'exports');
}
