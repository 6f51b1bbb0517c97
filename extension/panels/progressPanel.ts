import * as vscode from 'vscode';
import type { HostToWebview } from '../../webviews/messages';
import type { EngineClient } from '../engineClient';
import { runLabels } from '../summaryText';
import { exportsFolder, loadExperimentData, type LiveView } from './liveView';
import { ViewPanel } from './viewPanel';

export const progressViewType = 'nasStudio.progress';

/** Best-so-far curves of one or more experiments overlaid (e.g. strategies compared), live. */
export class ProgressPanel implements LiveView {
  readonly view: ViewPanel;

  constructor(
    panel: vscode.WebviewPanel,
    readonly experiments: readonly string[],
    engine: EngineClient,
    extensionUri: vscode.Uri,
  ) {
    let exports: vscode.Uri | undefined;
    this.view = new ViewPanel(panel, {
      view: 'progress',
      extensionUri,
      log: (m) => engine.output.appendLine(m),
      content: {
        snapshot: async (withInit) => {
          const data = await Promise.all(experiments.map((id) => loadExperimentData(engine, id)));
          const summaries = data.map((d) => d.summary);
          exports = summaries.length === 1 ? exportsFolder(summaries[0]) : undefined;
          panel.title = `Progress · ${summaries.map((s) => s.name).join(', ')}`;
          const labels = runLabels(summaries);
          const head: HostToWebview[] = withInit
            ? [{ type: 'init', view: 'progress', runs: summaries.map((experiment, i) => ({ experiment, label: labels[i] })) }]
            : summaries.map((summary) => ({ type: 'summary', summary }));
          return [...head, ...data.flatMap((d) => d.pages)];
        },
        exportFolder: () => exports,
      },
    });
  }
}

/** Same set of experiments, whatever the order they were picked in. */
export function progressKey(experiments: readonly string[]): string {
  return [...experiments].sort().join('\n');
}
