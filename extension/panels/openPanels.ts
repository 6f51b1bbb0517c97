import * as vscode from 'vscode';
import { trialRecordOf } from './trialPages';
import type { EngineClient } from '../engineClient';
import { GraphPanel, graphViewType } from './graphPanel';
import type { LiveView } from './liveView';
import { PlotPanel, plotViewType } from './plotPanel';
import { progressKey, ProgressPanel, progressViewType } from './progressPanel';
import { RUN_VIEWS, RunPanel, type RunView } from './runPanel';
import { SearchPanel, searchViewTypes, type SearchViewKind } from './searchPanel';
import { viewWebviewOptions } from './webviewHost';

/**
 * The open plot, graph and progress panels: opens or reveals them (one per experiment, or per
 * set of experiments for progress), adopts panels VS Code restores after a reload, and forwards
 * the engine's live updates to the panels showing the experiment concerned.
 */
export class ViewPanels implements vscode.Disposable {
  private readonly plots = new Map<string, PlotPanel>();
  private readonly graphs = new Map<string, GraphPanel>();
  private readonly progress = new Map<string, ProgressPanel>();
  /** ProxylessNAS, specialization and quantization views, by run. */
  private readonly runViews: { readonly [V in RunView]: Map<string, RunPanel> } = { proxyless: new Map(), specialization: new Map(), quantization: new Map() };
  /** Trials tables and analysis views, by `<kind>/<experiment>`. */
  private readonly searchViews = new Map<string, SearchPanel>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly engine: EngineClient,
    private readonly extensionUri: vscode.Uri,
  ) {
    this.subscriptions.push(
      engine.onTrialFinished((params) => {
        const trial = trialRecordOf(params.trial);
        for (const live of this.showing(params.id)) {
          live.view.post({ type: 'trialAdded', experiment: params.id, trial });
          live.view.post({ type: 'summary', summary: params.summary });
        }
      }),
      engine.onRunChanged((summary) => {
        for (const live of this.showing(summary.id)) live.view.post({ type: 'summary', summary });
        for (const views of Object.values(this.runViews)) views.get(summary.id)?.view.refresh();
        for (const panel of this.progress.values()) if (panel.experiments.includes(summary.id)) void panel.epochFinished(summary);
      }),
      engine.onProgress((params) => {
        if (!params.training && !params.curve) return;
        for (const panel of this.progress.values()) if (panel.experiments.includes(params.id)) panel.trainingProgress(params);
      }),
      // A restarted engine may have finished trials nobody was told about: resend everything.
      engine.onReady(() => {
        for (const panel of this.all()) panel.view.refresh();
      }),
    );
  }

  private showing(id: string): LiveView[] {
    return [...this.plots.values(), ...this.progress.values(), ...this.searchViews.values()].filter((p) => p.experiments.includes(id));
  }

  private all(): { view: { panel: vscode.WebviewPanel; refresh(): void } }[] {
    return [...this.plots.values(), ...this.graphs.values(), ...this.progress.values(), ...Object.values(this.runViews).flatMap((views) => [...views.values()]), ...this.searchViews.values()];
  }

  /** Opens a trial's graph (beside) and selects the trial in the run's plot, table and analysis. */
  private openFromView(experiment: string, trial: number): void {
    this.openTrialGraph(experiment, trial, true);
    for (const live of this.showing(experiment)) live.view.post({ type: 'selectTrial', experiment, trial });
  }

  private create(viewType: string, title: string, beside: boolean): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel(
      viewType,
      title,
      { viewColumn: beside ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active, preserveFocus: beside },
      viewWebviewOptions(this.extensionUri),
    );
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'nas-studio.svg');
    return panel;
  }

  /** Keeps `map[key]` pointing at the panel until it is closed. */
  private track<T extends { view: { panel: vscode.WebviewPanel } }>(map: Map<string, T>, key: string, value: T): T {
    map.set(key, value);
    value.view.panel.onDidDispose(() => {
      if (map.get(key) === value) map.delete(key);
    });
    return value;
  }

  openPlot(experiment: string): PlotPanel {
    const open = this.plots.get(experiment);
    if (open) {
      open.view.panel.reveal();
      return open;
    }
    return this.adoptPlot(this.create(plotViewType, 'Plot', false), experiment);
  }

  /** Makes a panel (a new one, or one VS Code restored) the experiment's plot. */
  adoptPlot(panel: vscode.WebviewPanel, experiment: string): PlotPanel {
    const open = (id: string, trial: number) => this.openFromView(id, trial);
    return this.track(this.plots, experiment, new PlotPanel(panel, experiment, this.engine, this.extensionUri, open));
  }

  /** Shows a trial's graph, in the experiment's graph panel when one is open; `beside` keeps the focus where it is. */
  openTrialGraph(experiment: string, trial: number, beside = false): GraphPanel {
    const open = this.graphs.get(experiment);
    if (open) {
      open.show(trial);
      open.view.panel.reveal(undefined, beside);
      return open;
    }
    return this.adoptGraph(this.create(graphViewType, `Trial ${trial}`, beside), experiment, trial);
  }

  adoptGraph(panel: vscode.WebviewPanel, experiment: string, trial: number): GraphPanel {
    return this.track(this.graphs, experiment, new GraphPanel(panel, experiment, trial, this.engine, this.extensionUri));
  }

  openProgress(experiments: readonly string[]): ProgressPanel {
    const open = this.progress.get(progressKey(experiments));
    if (open) {
      open.view.panel.reveal();
      return open;
    }
    return this.adoptProgress(this.create(progressViewType, 'Progress', false), experiments);
  }

  /** The trials table or the analysis of a search: one panel of each per search. */
  openSearchView(kind: SearchViewKind, experiment: string): SearchPanel {
    const open = this.searchViews.get(`${kind}/${experiment}`);
    if (open) {
      open.view.panel.reveal();
      return open;
    }
    return this.adoptSearchView(this.create(searchViewTypes[kind], kind === 'table' ? 'Trials' : 'Analysis', false), kind, experiment);
  }

  adoptSearchView(panel: vscode.WebviewPanel, kind: SearchViewKind, experiment: string): SearchPanel {
    const open = (id: string, trial: number) => this.openFromView(id, trial);
    return this.track(this.searchViews, `${kind}/${experiment}`, new SearchPanel(panel, kind, experiment, this.engine, this.extensionUri, open));
  }

  adoptProgress(panel: vscode.WebviewPanel, experiments: readonly string[]): ProgressPanel {
    return this.track(this.progress, progressKey(experiments), new ProgressPanel(panel, experiments, this.engine, this.extensionUri));
  }

  /** A run's view of its kind (RUN_VIEWS): one panel per run. */
  openRunView(kind: RunView, experiment: string): RunPanel {
    const open = this.runViews[kind].get(experiment);
    if (open) {
      open.view.panel.reveal();
      return open;
    }
    return this.adoptRunView(kind, this.create(RUN_VIEWS[kind].viewType, RUN_VIEWS[kind].title, false), experiment);
  }

  adoptRunView(kind: RunView, panel: vscode.WebviewPanel, experiment: string): RunPanel {
    // A specialization's rows open their sub-networks' graphs beside it.
    const handlers = kind === 'specialization' ? { openTrial: (m: { experiment: string; trial: number }) => void this.openTrialGraph(m.experiment, m.trial, true) } : undefined;
    return this.track(this.runViews[kind], experiment, new RunPanel(kind, panel, experiment, this.engine, this.extensionUri, handlers));
  }

  /** Open panels, for tests: plot, graph, ProxylessNAS and quantization panels by experiment, progress panels by their experiments, tables and analyses by `<kind>/<experiment>`. */
  openPanels(): { plots: string[]; graphs: { experiment: string; trial: number }[]; progress: string[][]; proxyless: string[]; quantization: string[]; searchViews: string[]; specializations: string[] } {
    return {
      specializations: [...this.runViews.specialization.keys()],
      searchViews: [...this.searchViews.keys()],
      plots: [...this.plots.keys()],
      graphs: [...this.graphs.values()].map((g) => ({ experiment: g.experimentId, trial: g.trial })),
      progress: [...this.progress.values()].map((p) => [...p.experiments]),
      proxyless: [...this.runViews.proxyless.keys()],
      quantization: [...this.runViews.quantization.keys()],
    };
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    for (const panel of this.all()) panel.view.panel.dispose();
  }
}
