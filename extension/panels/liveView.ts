import * as vscode from 'vscode';
import { Requests } from '../../contract/protocol';
import { type ExperimentSummary, type TrialRecord } from '../../contract/runs';
import type { HostToWebview } from '../../contract/webviewMessages';
import { toPages } from '../../webviews/paging';
import type { EngineClient } from '../engineClient';
import { fetchAllTrials, trialRecordOf } from './trialPages';
import type { ViewPanel } from './webviewHost';

/** A panel showing experiments that change while it is open (plot, progress). */
export interface LiveView {
  readonly view: ViewPanel;
  /** Ids of the experiments it shows; their new trials and summaries are forwarded to it. */
  readonly experiments: readonly string[];
}

export interface ExperimentData {
  readonly summary: ExperimentSummary;
  readonly trials: readonly TrialRecord[];
  /** The trials as `trials` page messages for a view (page 0 replaces what it had). */
  readonly pages: readonly HostToWebview[];
}

/** An experiment's summary and all its trials, fetched from the engine. */
export async function loadExperimentData(engine: EngineClient, id: string): Promise<ExperimentData> {
  const summary = await engine.request(Requests.getExperiment, { id });
  const items = await fetchAllTrials((offset, limit) => engine.request(Requests.getTrials, { id, offset, limit }));
  const trials = items.map(trialRecordOf);
  return { summary, trials, pages: toPages(trials).map((page) => ({ type: 'trials', experiment: id, ...page })) };
}

/** Where an experiment's exports go, and where export dialogs for its views start. */
export function exportsFolder(summary: Pick<ExperimentSummary, 'dir'>): vscode.Uri {
  return vscode.Uri.joinPath(vscode.Uri.file(summary.dir), 'exports');
}
