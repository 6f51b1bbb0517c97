import * as vscode from 'vscode';
import { Requests } from '../../contract/protocol';
import type { EngineClient } from '../engineClient';
import { exportsFolder, type LiveView } from './liveView';
import { ViewPanel } from './webviewHost';

export const specializationViewType = 'nasStudio.specialization';

/**
 * A specialization sweep's curve of predicted accuracy against the limit and its rows, updated
 * with every summary the engine sends (one per finished limit); a row opens the sub-network's graph.
 */
export class SpecializationPanel implements LiveView {
  readonly view: ViewPanel;
  readonly experiments: readonly string[];

  constructor(panel: vscode.WebviewPanel, id: string, engine: EngineClient, extensionUri: vscode.Uri, openTrial: (experiment: string, trial: number) => void) {
    this.experiments = [id];
    let exports: vscode.Uri | undefined;
    this.view = new ViewPanel(panel, {
      view: 'specialization',
      extensionUri,
      log: (m) => engine.output.appendLine(m),
      handlers: { openTrial: (m) => openTrial(m.experiment, m.trial) },
      content: {
        snapshot: async (withInit) => {
          const run = await engine.request(Requests.getRun, { id });
          if (run.kind !== 'specialization') throw new Error(`${run.name} (${run.id}) is a ${run.kind} run, not a specialization`);
          exports = exportsFolder(run);
          panel.title = `Specialization · ${run.name}`;
          return [withInit ? { type: 'init', view: 'specialization', run } : { type: 'summary', summary: run }];
        },
        exportFolder: () => exports,
      },
    });
  }
}
