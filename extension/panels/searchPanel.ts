import * as vscode from 'vscode';
import { Requests } from '../../contract/protocol';
import type { SearchRunSummary } from '../../contract/runs';
import type { HostToWebview, ViewKind } from '../../contract/webviewMessages';
import type { EngineClient } from '../engineClient';
import { exportsFolder, loadRunData, type LiveView } from './liveView';
import { ViewPanel } from './webviewHost';

/** Views of one search that show all its trials and follow it live: the trials table and the analysis. */
export type SearchViewKind = Extract<ViewKind, 'table' | 'analysis'>;

export const searchViewTypes: Readonly<Record<SearchViewKind, string>> = { table: 'nasStudio.table', analysis: 'nasStudio.analysis' };

const titles: Readonly<Record<SearchViewKind, string>> = { table: 'Trials', analysis: 'Analysis' };

/**
 * A panel showing every trial of one search (sent in pages), kept current as trials finish: the
 * trials table or the analysis view. A click on a trial opens its graph and selects it in the
 * run's other views.
 */
export class SearchPanel implements LiveView {
  readonly view: ViewPanel;
  readonly experiments: readonly string[];

  constructor(
    panel: vscode.WebviewPanel,
    readonly kind: SearchViewKind,
    readonly experimentId: string,
    engine: EngineClient,
    extensionUri: vscode.Uri,
    openTrial: (experiment: string, trial: number) => void,
  ) {
    this.experiments = [experimentId];
    let exports: vscode.Uri | undefined;
    this.view = new ViewPanel(panel, {
      view: kind,
      extensionUri,
      log: (m) => engine.output.appendLine(m),
      content: {
        snapshot: async (withInit) => {
          const { summary, pages } = await loadRunData(engine, experimentId, kind === 'analysis' ? 'records' : 'rows');
          if (summary.kind !== 'search') throw new Error(`${summary.name} is a supernet training run: it has no trials to list`);
          exports = exportsFolder(summary);
          panel.title = `${titles[kind]} · ${summary.name}`;
          if (!withInit) return [{ type: 'summary', summary }, ...pages];
          return [await initOf(kind, summary, engine), ...pages];
        },
        exportFolder: () => exports,
      },
      handlers: {
        // Only this experiment's trials: a view cannot make the host open arbitrary ones.
        openTrial: (m) => (m.experiment === experimentId ? openTrial(m.experiment, m.trial) : undefined),
      },
    });
  }
}

async function initOf(kind: SearchViewKind, experiment: SearchRunSummary, engine: EngineClient): Promise<HostToWebview> {
  if (kind === 'table') return { type: 'init', view: 'table', experiment };
  const decisions = await engine.request(Requests.getDecisions, { id: experiment.id });
  return { type: 'init', view: 'analysis', experiment, decisions };
}
