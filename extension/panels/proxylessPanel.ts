import * as vscode from 'vscode';
import { Requests } from '../../contract/protocol';
import type { EngineClient } from '../engineClient';
import { exportsFolder, type LiveView } from './liveView';
import { ViewPanel } from './webviewHost';

export const proxylessViewType = 'nasStudio.proxyless';

/**
 * A ProxylessNAS search's architecture parameters (heatmap over blocks × candidates), its
 * expected latency and validation accuracy curves and the derived network, updated with every
 * summary the engine sends (one per finished epoch).
 */
export class ProxylessPanel implements LiveView {
  readonly view: ViewPanel;
  readonly experiments: readonly string[];

  constructor(panel: vscode.WebviewPanel, id: string, engine: EngineClient, extensionUri: vscode.Uri) {
    this.experiments = [id];
    let exports: vscode.Uri | undefined;
    this.view = new ViewPanel(panel, {
      view: 'proxyless',
      extensionUri,
      log: (m) => engine.output.appendLine(m),
      content: {
        snapshot: async (withInit) => {
          const run = await engine.request(Requests.getRun, { id });
          if (run.kind !== 'proxyless') throw new Error(`${run.name} (${run.id}) is a ${run.kind} run, not a ProxylessNAS search`);
          exports = exportsFolder(run);
          panel.title = `Architecture parameters · ${run.name}`;
          return [withInit ? { type: 'init', view: 'proxyless', run } : { type: 'summary', summary: run }];
        },
        exportFolder: () => exports,
      },
    });
  }
}
