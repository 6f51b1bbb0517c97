import * as vscode from 'vscode';
import type { RunSummary } from '../../contract/runs';
import { defaultPlotAxes } from '../../contract/plotAxes';
import type { EngineClient } from '../engineClient';
import { exportsFolder, loadRunData, type LiveView } from './liveView';
import { ViewPanel } from './webviewHost';

export const plotViewType = 'nasStudio.plot';

/**
 * The latency/accuracy plot of one search: every trial (sent in pages), its constraints and
 * Pareto front, new trials as they finish; clicking a point opens that trial's graph. For a
 * compound scaling study: its networks, a line per scaling rule.
 */
export class PlotPanel implements LiveView {
  readonly view: ViewPanel;
  readonly experiments: readonly string[];

  constructor(
    panel: vscode.WebviewPanel,
    readonly experimentId: string,
    engine: EngineClient,
    extensionUri: vscode.Uri,
    openTrial: (experiment: string, trial: number) => void,
  ) {
    this.experiments = [experimentId];
    let exports: vscode.Uri | undefined;
    this.view = new ViewPanel(panel, {
      view: 'plot',
      extensionUri,
      log: (m) => engine.output.appendLine(m),
      content: {
        snapshot: async (withInit) => {
          const { summary, trials, pages } = await loadRunData(engine, experimentId);
          if (summary.kind !== 'search' && summary.kind !== 'scaling') throw new Error(`${summary.name} is a ${summary.kind} run: its results are shown by Show Progress, not a plot`);
          exports = exportsFolder(summary);
          panel.title = plotTitle(summary);
          if (!withInit) return [{ type: 'summary', summary }, ...pages];
          // A scaling study is compared at equal cost: accuracy against counted FLOPs.
          const { x, y } = summary.kind === 'scaling' ? { x: 'flops', y: 'val_accuracy' } : defaultPlotAxes(summary, trials);
          return [{ type: 'init', view: 'plot', experiment: summary, x, y, constraints: summary.kind === 'search' ? summary.constraints : [] }, ...pages];
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

export function plotTitle(summary: Pick<RunSummary, 'name'>): string {
  return `Plot · ${summary.name}`;
}
