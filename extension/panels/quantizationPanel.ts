import type * as vscode from 'vscode';
import { Requests } from '../../contract/protocol';
import type { EngineClient } from '../engineClient';
import { exportsFolder, type LiveView } from './liveView';
import { ViewPanel } from './webviewHost';

export const quantizationViewType = 'nasStudio.quantization';

/**
 * A HAQ quantization run: every episode's accuracy against its cost with the budget and the
 * uniform baselines, and the model's graph coloured by the best policy's bits. The engine sends
 * the run's summary after every journaled record; each one
 * re-sends the episodes (openPanels.ts).
 */
export class QuantizationPanel implements LiveView {
  readonly view: ViewPanel;
  readonly experiments: readonly string[];
  constructor(panel: vscode.WebviewPanel, id: string, engine: EngineClient, extensionUri: vscode.Uri) {
    this.experiments = [id];
    let exports: vscode.Uri | undefined;
    this.view = new ViewPanel(panel, {
      view: 'quantization',
      extensionUri,
      log: (m) => engine.output.appendLine(m),
      content: {
        snapshot: async (withInit) => {
          const run = await engine.request(Requests.getRun, { id });
          if (run.kind !== 'quantization') throw new Error(`${run.name} (${run.id}) is a ${run.kind} run, not a quantization run`);
          const data = await engine.request(Requests.getQuantizationEpisodes, { id });
          exports = exportsFolder(run);
          panel.title = `Quantization · ${run.name}`;
          return [withInit ? { type: 'init', view: 'quantization', run, data } : { type: 'quantization', run, data }];
        },
        exportFolder: () => exports,
      },
    });
  }
}
