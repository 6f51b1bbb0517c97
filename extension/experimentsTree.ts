import * as vscode from 'vscode';
import { Requests } from '../contract/protocol';
import { type RunStatus, type ExperimentSummary, type TrialItem } from '../contract/runs';
import { formatMetric, formatPercent } from '../contract/format';
import type { EngineClient } from './engineClient';
import { bestLine, extentLine, resultLine } from './summaryText';

/** Trials listed under an experiment before a "more" item. */
const TRIAL_PAGE = 200;

export type ExplorerNode =
  | { readonly kind: 'experiment'; readonly summary: ExperimentSummary }
  | { readonly kind: 'detail'; readonly experimentId: string; readonly label: string; readonly description?: string; readonly icon: string; readonly contextValue?: string }
  | { readonly kind: 'trials'; readonly summary: ExperimentSummary }
  | { readonly kind: 'trial'; readonly experimentId: string; readonly item: TrialItem; readonly objective?: string }
  | { readonly kind: 'more'; readonly experimentId: string; readonly remaining: number };

const STATUS_ICON: Record<RunStatus, string> = {
  pending: 'circle-outline',
  running: 'sync~spin',
  stopping: 'loading~spin',
  stopped: 'debug-pause',
  interrupted: 'warning',
  finished: 'pass',
  failed: 'error',
};

/**
 * The Experiments explorer: experiments -> status, best result, trials. Kept current by the
 * engine's notifications; trials are fetched in pages when expanded.
 */
export class ExperimentsTree implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private summaries = new Map<string, ExperimentSummary>();
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private loaded = false;

  constructor(private readonly engine: EngineClient) {
    this.subscriptions.push(
      engine.onExperimentChanged((s) => this.update(s)),
      engine.onTrialFinished((t) => this.update(t.summary)),
      engine.onReady(() => void this.refresh()),
    );
  }

  summary(id: string): ExperimentSummary | undefined {
    return this.summaries.get(id);
  }

  all(): ExperimentSummary[] {
    return [...this.summaries.values()];
  }

  async refresh(): Promise<void> {
    try {
      const list = await this.engine.request0(Requests.listExperiments);
      this.summaries = new Map(list.map((s) => [s.id, s]));
      this.loaded = true;
      await vscode.commands.executeCommand('setContext', 'nasStudio.hasExperiments', list.length > 0);
    } catch (e) {
      this.engine.output.appendLine(`could not list experiments: ${(e as Error).message}`);
    }
    this.changed.fire(undefined);
  }

  private update(summary: ExperimentSummary): void {
    const isNew = !this.summaries.has(summary.id);
    this.summaries.set(summary.id, summary);
    if (isNew) void vscode.commands.executeCommand('setContext', 'nasStudio.hasExperiments', true);
    this.changed.fire(undefined);
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    switch (node.kind) {
      case 'experiment': {
        const s = node.summary;
        const item = new vscode.TreeItem(s.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = s.id;
        const result = resultLine(s);
        item.description = `${s.status} · ${extentLine(s)}${result ? ` · ${result}` : ''}`;
        item.iconPath = new vscode.ThemeIcon(s.kind === 'supernet' && s.status === 'finished' ? 'layers' : STATUS_ICON[s.status]);
        // `.supernet` lets menus offer Export Supernet Sub-network on training runs only.
        item.contextValue = `experiment.${s.status}${s.kind === 'supernet' ? '.supernet' : ''}`;
        item.tooltip = new vscode.MarkdownString(
          [
            `**${s.name}** (${s.id})${s.kind === 'supernet' ? ', supernet training' : ''}`,
            `Status: ${s.status}, ${s.kind === 'supernet' ? extentLine(s) : `${s.trials}/${s.budget} trials`}`,
            s.best ? `Best: ${s.best.description}` : '',
            s.kind === 'supernet' && result ? `Validation accuracy: ${result}` : '',
            s.error ? `Error: ${s.error}` : '',
            `Folder: \`${s.dir}\``,
          ]
            .filter(Boolean)
            .join('\n\n'),
        );
        return item;
      }
      case 'detail': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.description = node.description;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.contextValue = node.contextValue;
        item.tooltip = node.description ? `${node.label} ${node.description}` : node.label;
        if (node.contextValue === 'best') item.command = { command: 'nasStudio.openTrialGraph', title: 'Open Trial Graph', arguments: [node] };
        // The status line opens the experiment's results: its plot, or a supernet's training curves.
        if (node.label === 'Status') item.command = { command: 'nasStudio.openResults', title: 'Open Results', arguments: [node.experimentId] };
        return item;
      }
      case 'trials': {
        const item = new vscode.TreeItem(`Trials (${node.summary.trials})`, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `${node.summary.id}/trials/${node.summary.trials}`;
        item.iconPath = new vscode.ThemeIcon('list-ordered');
        return item;
      }
      case 'trial': {
        const t = node.item;
        const item = new vscode.TreeItem(`#${t.trial} ${t.description}`, vscode.TreeItemCollapsibleState.None);
        const value = node.objective ? t.metrics[node.objective] : undefined;
        item.description = t.error ? `failed: ${t.error}` : node.objective ? `${node.objective} ${formatMetric(node.objective, value)}${t.cached ? ' (repeat)' : ''}` : '';
        item.iconPath = new vscode.ThemeIcon(t.error ? 'error' : t.feasible ? 'symbol-class' : 'circle-slash');
        item.contextValue = 'trial';
        item.command = { command: 'nasStudio.openTrialGraph', title: 'Open Trial Graph', arguments: [node] };
        item.tooltip = new vscode.MarkdownString(
          Object.entries(t.metrics)
            .map(([k, v]) => `${k}: ${formatMetric(k, v)}`)
            .join('  \n'),
        );
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem(`… ${node.remaining} more trials (open the plot)`, vscode.TreeItemCollapsibleState.None);
        item.command = { command: 'nasStudio.openResults', title: 'Open Results', arguments: [node.experimentId] };
        return item;
      }
    }
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!node) {
      if (!this.loaded) await this.refresh();
      return [...this.summaries.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map((summary) => ({ kind: 'experiment', summary }));
    }
    if (node.kind === 'experiment') {
      const s = this.summaries.get(node.summary.id) ?? node.summary;
      if (s.kind === 'supernet') return trainingDetails(s);
      const children: ExplorerNode[] = [
        { kind: 'detail', experimentId: s.id, label: 'Status', description: `${s.status}, ${s.trials}/${s.budget} trials`, icon: STATUS_ICON[s.status] },
      ];
      if (s.best) {
        children.push({ kind: 'detail', experimentId: s.id, label: `Best: ${s.best.description}`, description: bestLine(s), icon: 'star-full', contextValue: 'best' });
      }
      if (s.error) children.push({ kind: 'detail', experimentId: s.id, label: 'Error', description: s.error, icon: 'error' });
      children.push({ kind: 'trials', summary: s });
      return children;
    }
    if (node.kind === 'trials') {
      const page = await this.engine.request(Requests.getTrials, { id: node.summary.id, offset: 0, limit: TRIAL_PAGE });
      const objective = node.summary.objectives[0]?.metric;
      const items: ExplorerNode[] = page.items.map((item) => ({ kind: 'trial', experimentId: node.summary.id, item, objective }));
      if (page.total > page.items.length) items.push({ kind: 'more', experimentId: node.summary.id, remaining: page.total - page.items.length });
      return items;
    }
    return [];
  }

  dispose(): void {
    this.changed.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

/** A supernet training run's children: where it stands, its sub-networks' accuracies, speed. */
function trainingDetails(s: ExperimentSummary): ExplorerNode[] {
  const t = s.training;
  const detail = (label: string, description: string, icon: string): ExplorerNode => ({ kind: 'detail', experimentId: s.id, label, description, icon });
  const children = [detail('Status', `${s.status}, ${t ? `epoch ${t.epoch}/${t.epochs}${t.epoch > 0 ? ` (${t.phase})` : ''}` : 'no epoch yet'}`, STATUS_ICON[s.status])];
  if (t?.accuracy !== undefined) children.push(detail('Largest sub-network', `validation ${formatPercent(t.accuracy)}${t.test ? ` · test ${formatPercent(t.test.largest.accuracy)}` : ''}`, 'arrow-up'));
  if (t?.smallestAccuracy !== undefined) children.push(detail('Smallest sub-network', `validation ${formatPercent(t.smallestAccuracy)}${t.test ? ` · test ${formatPercent(t.test.smallest.accuracy)}` : ''}`, 'arrow-down'));
  if (t?.imagesPerSecond !== undefined) children.push(detail('Speed', `${Math.round(t.imagesPerSecond)} images/s${t.backend ? ` on ${t.backend}` : ''}`, 'dashboard'));
  if (s.error) children.push(detail('Error', s.error, 'error'));
  return children;
}
