import * as vscode from 'vscode';
import { archGraphs } from '../../server/graphs/archToGraph';
import { Requests } from '../../contract/protocol';
import type { EngineClient } from '../engineClient';
import { exportsFolder } from './liveView';
import { ViewPanel } from './webviewHost';

export const graphViewType = 'nasStudio.graph';

/**
 * The architecture graph of a trial. One panel per experiment: opening another trial of the
 * same experiment replaces the graph it shows.
 */
export class GraphPanel {
  readonly view: ViewPanel;
  private shown: number;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly experimentId: string,
    trial: number,
    engine: EngineClient,
    extensionUri: vscode.Uri,
  ) {
    this.shown = trial;
    let exports: vscode.Uri | undefined;
    this.view = new ViewPanel(panel, {
      view: 'graph',
      extensionUri,
      log: (m) => engine.output.appendLine(m),
      content: {
        snapshot: async (withInit) => {
          const trial = this.shown;
          const [summary, item] = await Promise.all([
            engine.request(Requests.getRun, { id: experimentId }),
            engine.request(Requests.getTrial, { id: experimentId, trial }),
          ]);
          exports = exportsFolder(summary);
          panel.title = `Trial ${trial} · ${summary.name}`;
          // Per-node figures the experiment measures (e.g. lookup-table latency per layer); none are invented.
          const details = await engine.request(Requests.getArchDetails, { id: experimentId, arch: item.arch });
          const graphs = archGraphs(item.arch, { details });
          const title = `Trial ${trial} · ${item.description}`;
          return [withInit ? { type: 'init', view: 'graph', title, ...graphs, experiment: experimentId, trial } : { type: 'showGraph', title, ...graphs, experiment: experimentId, trial }];
        },
        exportFolder: () => exports,
      },
    });
  }

  get trial(): number {
    return this.shown;
  }

  show(trial: number): void {
    this.shown = trial;
    this.view.refresh();
  }
}
