import * as vscode from 'vscode';
import { errorMessage } from '../../server/core/errors';
import { Requests } from '../../contract/protocol';
import { type ExperimentSummary } from '../../contract/runs';
import { formatMetric } from '../../contract/format';
import type { EngineClient } from '../engineClient';
import type { ExperimentsTree } from '../experimentsTree';
import { fetchAllTrials } from '../panels/trialPages';
import type { ViewPanels } from '../panels/openPanels';
import { experimentIdOf, type CommandTarget } from './resolveTargets';
import { extentLine } from '../summaryText';

/** A trial to show: an explorer node (trial, or the Best detail), or `{experiment, trial}` (command links). */
export type TrialTarget = CommandTarget | { readonly experiment: string; readonly trial: number };

export interface TrialRef {
  readonly experiment: string;
  readonly trial: number;
}

function trialOf(target: TrialTarget, tree: ExperimentsTree): TrialRef | undefined {
  if (!target || typeof target !== 'object' || target instanceof vscode.Uri) return undefined;
  if ('kind' in target) {
    if (target.kind === 'trial') return { experiment: target.experimentId, trial: target.item.trial };
    if (target.kind !== 'detail' || target.contextValue !== 'best') return undefined;
    const best = tree.summary(target.experimentId)?.best;
    return best ? { experiment: target.experimentId, trial: best.trial } : undefined;
  }
  const { experiment, trial } = target as { experiment?: unknown; trial?: unknown };
  return typeof experiment === 'string' && typeof trial === 'number' && Number.isInteger(trial) && trial >= 0 ? { experiment, trial } : undefined;
}

function experimentItems(summaries: readonly ExperimentSummary[]): (vscode.QuickPickItem & { id: string })[] {
  return [...summaries]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .map((s) => ({ label: s.name, description: `${s.status} · ${extentLine(s)}`, detail: s.id, id: s.id }));
}

/** Opening views: the plot (Open Results), a trial's graph, and progress overlays. Each returns what it opened (for tests). */
export function registerViewCommands(engine: EngineClient, tree: ExperimentsTree, panels: ViewPanels): vscode.Disposable[] {
  const noExperiments = () => {
    if (tree.all().length > 0) return false;
    void vscode.window.showInformationMessage('There are no NAS Studio experiments yet.');
    return true;
  };

  const pickExperiment = async (title: string): Promise<string | undefined> => {
    if (noExperiments()) return undefined;
    return (await vscode.window.showQuickPick(experimentItems(tree.all()), { title, matchOnDetail: true }))?.id;
  };

  /** The experiment's trials, best first by its first objective. */
  const pickTrial = async (): Promise<TrialRef | undefined> => {
    const experiment = await pickExperiment('Show the graph of a trial of');
    const summary = experiment ? tree.summary(experiment) : undefined;
    if (!experiment || !summary) return undefined;
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
        description: objective ? `${objective.metric} ${formatMetric(objective.metric, value(t.metrics))}` : undefined,
        trial: t.trial,
      })),
      { title: `Trial of ${summary.name}`, matchOnDescription: true },
    );
    return picked ? { experiment, trial: picked.trial } : undefined;
  };

  /** A search's latency/accuracy plot; a supernet training run has no trials, so its training curves. */
  const openResults = async (target: CommandTarget): Promise<string | undefined> => {
    const id = experimentIdOf(target) ?? (await pickExperiment('Open the results of'));
    if (!id) return undefined;
    if (tree.summary(id)?.kind === 'supernet') panels.openProgress([id]);
    else panels.openPlot(id);
    return id;
  };

  const openTrialGraph = async (target: TrialTarget): Promise<TrialRef | undefined> => {
    try {
      const ref = trialOf(target, tree) ?? (target === undefined ? await pickTrial() : undefined);
      if (ref) panels.openTrialGraph(ref.experiment, ref.trial);
      return ref;
    } catch (e) {
      void vscode.window.showErrorMessage(`NAS Studio: ${errorMessage(e)}`);
      return undefined;
    }
  };

  /** From the explorer (one or several selected experiments), a CodeLens (ids), or the palette (pick several). */
  const showProgress = async (target: CommandTarget | readonly string[], selected?: readonly CommandTarget[]): Promise<string[] | undefined> => {
    const fromArguments = Array.isArray(target) ? target : (selected && selected.length > 0 ? selected : [target as CommandTarget]).map(experimentIdOf);
    let ids = [...new Set(fromArguments.filter((id): id is string => typeof id === 'string'))];
    if (ids.length === 0) {
      if (noExperiments()) return undefined;
      const picked = await vscode.window.showQuickPick(experimentItems(tree.all()), {
        title: 'Show the progress of (pick several to compare them)',
        canPickMany: true,
        matchOnDetail: true,
      });
      ids = (picked ?? []).map((p) => p.id);
    }
    if (ids.length === 0) return undefined;
    panels.openProgress(ids);
    return ids;
  };

  return [
    vscode.commands.registerCommand('nasStudio.openResults', openResults),
    vscode.commands.registerCommand('nasStudio.openTrialGraph', openTrialGraph),
    vscode.commands.registerCommand('nasStudio.showProgress', showProgress),
  ];
}
