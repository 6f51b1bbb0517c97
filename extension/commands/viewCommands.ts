import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatMetric } from '../../contract/metricInfo';
import { Requests } from '../../contract/protocol';
import { extentLine } from '../../contract/runText';
import type { RunSummary } from '../../contract/runs';
import type { EngineClient } from '../engineClient';
import { showEngineError } from '../errors/showEngineError';
import type { ViewPanels } from '../panels/openPanels';
import { fetchAllTrials } from '../panels/trialPages';
import { presenterOf } from '../runs/presenters';
import type { RunsTree } from '../runs/runsTree';
import { isSpecUri, runIdOf, type CommandTarget } from './resolveTargets';
import { runToOpen } from '../specLenses';

/** A trial to show: an explorer row (a trial, or the Best line), or `{experiment, trial}` (command links). */
export type TrialTarget = CommandTarget | { readonly experiment: string; readonly trial: number };

export interface TrialRef {
  readonly experiment: string;
  readonly trial: number;
}

function trialOf(target: TrialTarget): TrialRef | undefined {
  if (!target || typeof target !== 'object' || target instanceof vscode.Uri) return undefined;
  if ('kind' in target) return target.kind === 'item' && target.trial !== undefined ? { experiment: target.runId, trial: target.trial } : undefined;
  const { experiment, trial } = target as { experiment?: unknown; trial?: unknown };
  return typeof experiment === 'string' && typeof trial === 'number' && Number.isInteger(trial) && trial >= 0 ? { experiment, trial } : undefined;
}

function runItems(summaries: readonly RunSummary[]): (vscode.QuickPickItem & { id: string })[] {
  return summaries.map((s) => ({ label: s.name, description: `${s.status} · ${extentLine(s)}`, detail: s.id, id: s.id }));
}

/** Opening views: a run's results (Open Results), a trial's graph, and progress overlays. Each returns what it opened (for tests). */
export function registerViewCommands(engine: EngineClient, tree: RunsTree, panels: ViewPanels): vscode.Disposable[] {
  /** Runs the command can show, or a message saying there are none. */
  const runsWith = (accepts: (s: RunSummary) => boolean, none: string): RunSummary[] | undefined => {
    const runs = tree.all().filter(accepts);
    if (runs.length === 0) void vscode.window.showInformationMessage(none);
    return runs.length > 0 ? runs : undefined;
  };

  const pickRun = async (title: string, accepts: (s: RunSummary) => boolean, none: string): Promise<string | undefined> => {
    const runs = runsWith(accepts, none);
    return runs && (await vscode.window.showQuickPick(runItems(runs), { title, matchOnDetail: true }))?.id;
  };

  /** A search's trials, best first by its first objective. */
  const pickTrial = async (): Promise<TrialRef | undefined> => {
    const experiment = await pickRun('Show the graph of a trial of', (s) => s.kind === 'search', 'There are no NAS Studio searches yet.');
    const summary = experiment ? tree.summary(experiment) : undefined;
    if (!experiment || summary?.kind !== 'search') return undefined;
    const trials = await fetchAllTrials((offset, limit) => engine.request(Requests.getTrials, { id: experiment, offset, limit }));
    const objective = summary.objectives[0];
    const value = (metrics: Readonly<Record<string, number>>) => (objective ? (metrics[objective.metric] ?? NaN) : NaN);
    // Best first; trials without the objective (failed ones) last.
    const rank = (metrics: Readonly<Record<string, number>>) => {
      const v = value(metrics);
      return Number.isFinite(v) ? (objective?.goal === 'minimize' ? v : -v) : Infinity;
    };
    const ranked = [...trials].sort((a, b) => rank(a.metrics) - rank(b.metrics) || a.trial - b.trial);
    const picked = await vscode.window.showQuickPick(
      ranked.map((t) => ({
        label: `#${t.trial} ${t.description}`,
        description: objective ? `${objective.metric} ${formatMetric(objective.metric, value(t.metrics), summary.metricInfo)}` : undefined,
        trial: t.trial,
      })),
      { title: `Trial of ${summary.name}`, matchOnDescription: true },
    );
    return picked ? { experiment, trial: picked.trial } : undefined;
  };

  /** The spec file in the active editor (of this kind, or any kind). */
  const activeSpec = (kind?: 'search'): string | undefined => {
    const uri = vscode.window.activeTextEditor?.document.uri;
    return uri && isSpecUri(uri, kind) ? uri.fsPath : undefined;
  };

  /** The first of the run's results views: a search's or a scaling study's plot, a supernet's training curves, a ProxylessNAS search's architecture parameters, an ensemble's objective; or where its results are. */
  const openResults = async (target: CommandTarget): Promise<string | undefined> => {
    // The palette on a spec opens its latest run; with one run there is nothing to ask.
    const id = runIdOf(target) ?? runToOpen(tree.all(), activeSpec()) ?? (await pickRun('Open the results of', () => true, 'There are no NAS Studio runs yet.'));
    const summary = id ? tree.summary(id) : undefined;
    if (!id || !summary) return undefined;
    const view = summary.views[0];
    if (view === 'plot') panels.openPlot(id);
    else if (view === 'progress' || view === 'training-curves') panels.openProgress([id]);
    else if (view === 'architecture-parameters') panels.openRunView('proxyless', id);
    else if (view === 'quantization') panels.openRunView('quantization', id);
    else {
      const elsewhere = presenterOf(summary)?.resultsElsewhere?.(summary) ?? `Its files are in ${path.join(summary.dir, 'exports')}.`;
      void vscode.window.showInformationMessage(`NAS Studio: ${summary.name} has no results view. ${elsewhere}`);
    }
    return id;
  };

  const openTrialGraph = async (target: TrialTarget): Promise<TrialRef | undefined> => {
    try {
      const ref = trialOf(target) ?? (target === undefined ? await pickTrial() : undefined);
      if (ref) panels.openTrialGraph(ref.experiment, ref.trial);
      return ref;
    } catch (e) {
      await showEngineError(e, engine.output);
      return undefined;
    }
  };

  /** Runs a progress view overlays: searches (best so far), supernet trainings (curves), AdaNet ensembles (objective per iteration). */
  const hasProgress = (s: RunSummary) => s.kind === 'search' || s.kind === 'supernet' || s.kind === 'ensemble';

  /** From the explorer (one or several selected runs), a CodeLens (ids), or the palette (pick several). */
  const showProgress = async (target: CommandTarget | readonly string[], selected?: readonly CommandTarget[]): Promise<string[] | undefined> => {
    const fromArguments = Array.isArray(target) ? target : (selected && selected.length > 0 ? selected : [target as CommandTarget]).map(runIdOf);
    let ids = [...new Set(fromArguments.filter((id): id is string => typeof id === 'string'))].filter((id) => {
      const summary = tree.summary(id);
      return !summary || hasProgress(summary);
    });
    if (ids.length === 0) {
      const runs = runsWith(hasProgress, 'There are no NAS Studio searches, supernet trainings or ensembles yet.');
      if (!runs) return undefined;
      const picked = await vscode.window.showQuickPick(runItems(runs), { title: 'Show the progress of (pick several to compare them)', canPickMany: true, matchOnDetail: true });
      ids = (picked ?? []).map((p) => p.id);
    }
    if (ids.length === 0) return undefined;
    panels.openProgress(ids);
    return ids;
  };

  /** A search's trials table or analysis: the explorer (a run or its rows), a CodeLens (its id), or the palette (pick a search). */
  const openSearchView = (kind: 'table' | 'analysis') => async (target: CommandTarget): Promise<string | undefined> => {
    const title = kind === 'table' ? 'Open the trials table of' : 'Analyse';
    const searches = tree.all().filter((s) => s.kind === 'search');
    const id = runIdOf(target) ?? runToOpen(searches, activeSpec('search')) ?? (await pickRun(title, (s) => s.kind === 'search', 'There are no NAS Studio searches yet.'));
    if (!id) return undefined;
    if (tree.summary(id)?.kind !== 'search') {
      void vscode.window.showInformationMessage(`NAS Studio: ${tree.summary(id)?.name ?? id} is not a search; only searches have trials.`);
      return undefined;
    }
    panels.openSearchView(kind, id);
    return id;
  };

  return [
    vscode.commands.registerCommand('nasStudio.openTrialsTable', openSearchView('table')),
    vscode.commands.registerCommand('nasStudio.openAnalysis', openSearchView('analysis')),
    vscode.commands.registerCommand('nasStudio.openResults', openResults),
    vscode.commands.registerCommand('nasStudio.openTrialGraph', openTrialGraph),
    vscode.commands.registerCommand('nasStudio.showProgress', showProgress),
  ];
}
