import * as vscode from 'vscode';
import { Requests } from '../../contract/protocol';
import type { ProgressParams, RunSummary } from '../../contract/runs';
import { runLabels } from '../../contract/runText';
import { epochPoints, livePoint } from '../../server/report/trainingCurve';
import type { HostToWebview, ProgressRun, TrainingPoint } from '../../contract/webviewMessages';
import { toPages } from '../../webviews/paging';
import type { EngineClient } from '../engineClient';
import { exportsFolder, loadRunData, type LiveView } from './liveView';
import { ViewPanel } from './webviewHost';

export const progressViewType = 'nasStudio.progress';

/** A supernet run's curve: its finished epochs, and the running loss of the epoch in progress. */
interface TrainingCurve {
  epochs: TrainingPoint[];
  live: TrainingPoint[];
}

/**
 * Best-so-far curves of one or more searches overlaid (e.g. strategies compared), the training
 * curves of supernet runs, and the objective of AdaNet ensembles per iteration, live.
 */
export class ProgressPanel implements LiveView {
  readonly view: ViewPanel;
  private readonly curves = new Map<string, TrainingCurve>();

  constructor(
    panel: vscode.WebviewPanel,
    readonly experiments: readonly string[],
    private readonly engine: EngineClient,
    extensionUri: vscode.Uri,
  ) {
    let exports: vscode.Uri | undefined;
    this.view = new ViewPanel(panel, {
      view: 'progress',
      extensionUri,
      log: (m) => engine.output.appendLine(m),
      content: {
        snapshot: async (withInit) => {
          const data = await Promise.all(experiments.map((id) => loadRunData(engine, id)));
          const scaling = data.find((d) => d.summary.kind === 'scaling');
          if (scaling) throw new Error(`${scaling.summary.name} is a compound scaling study: its results are a plot (Open Results), not progress curves`);
          const summaries = data.map((d) => d.summary).filter((s): s is ProgressRun['experiment'] => s.kind !== 'scaling');
          exports = summaries.length === 1 ? exportsFolder(summaries[0]) : undefined;
          panel.title = `Progress · ${summaries.map((s) => s.name).join(', ')}`;
          const labels = runLabels(summaries);
          const head: HostToWebview[] = withInit
            ? [{ type: 'init', view: 'progress', runs: summaries.map((experiment, i) => ({ experiment, label: labels[i] })) }]
            : summaries.map((summary) => ({ type: 'summary', summary }));
          const training = await Promise.all(summaries.filter((s) => s.kind === 'supernet').map((s) => this.loadCurve(s.id)));
          return [...head, ...data.flatMap((d) => d.pages), ...training.flat()];
        },
        exportFolder: () => exports,
      },
    });
  }

  /** After a supernet epoch: its new point replaces the running loss of that epoch. */
  async epochFinished(summary: RunSummary): Promise<void> {
    if (summary.kind !== 'supernet') return;
    try {
      for (const message of await this.loadCurve(summary.id)) this.view.post(message);
    } catch (e) {
      this.engine.output.appendLine(`progress view: ${(e as Error).message}`);
    }
  }

  /** The running loss of a supernet's epoch in progress; the learning curve of a search's trial in flight. */
  trainingProgress(params: ProgressParams): void {
    if (params.curve) this.view.post({ type: 'trialCurve', experiment: params.id, trial: params.curve.trial, points: params.curve.points });
    const curve = this.curves.get(params.id);
    if (!curve || !params.training) return;
    curve.live.push(livePoint(params.training));
    for (const message of this.pages(params.id, curve)) this.view.post(message);
  }

  private async loadCurve(id: string): Promise<HostToWebview[]> {
    const epochs = epochPoints(await this.engine.request(Requests.getTrainingEpochs, { id }));
    const done = epochs.at(-1)?.epoch ?? 0;
    const curve: TrainingCurve = { epochs, live: (this.curves.get(id)?.live ?? []).filter((p) => p.epoch > done) };
    this.curves.set(id, curve);
    return this.pages(id, curve);
  }

  private pages(id: string, curve: TrainingCurve): HostToWebview[] {
    return toPages([...curve.epochs, ...curve.live]).map((page) => ({ type: 'training', experiment: id, ...page }));
  }
}

/** Same set of experiments, whatever the order they were picked in. */
export function progressKey(experiments: readonly string[]): string {
  return [...experiments].sort().join('\n');
}
