import * as vscode from 'vscode';
import { Requests } from '../../contract/protocol';
import type { RunSummary } from '../../contract/runs';
import type { EngineClient } from '../engineClient';
import type { ExplorerNode, ItemNode } from './explorerNodes';
import { runChildren, runRow } from './runRows';

/**
 * The Experiments explorer: every run of every kind, newest first, with the rows its kind
 * shows below it. Kept current by the engine's notifications; rows that need the engine (a
 * search's trials) are fetched when expanded.
 */
export class RunsTree implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private summaries = new Map<string, RunSummary>();
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private loaded = false;

  constructor(private readonly engine: EngineClient) {
    this.subscriptions.push(
      engine.onRunChanged((s) => this.update(s)),
      engine.onTrialFinished((t) => this.update(t.summary)),
      engine.onReady(() => void this.refresh()),
    );
  }

  summary(id: string): RunSummary | undefined {
    return this.summaries.get(id);
  }

  /** Every run, newest first. */
  all(): RunSummary[] {
    return [...this.summaries.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async refresh(): Promise<void> {
    try {
      const list = await this.engine.request0(Requests.listRuns);
      this.summaries = new Map(list.map((s) => [s.id, s]));
      this.loaded = true;
      await vscode.commands.executeCommand('setContext', 'nasStudio.hasExperiments', list.length > 0);
    } catch (e) {
      this.engine.output.appendLine(`could not list runs: ${(e as Error).message}`);
    }
    this.changed.fire(undefined);
  }

  private update(summary: RunSummary): void {
    const isNew = !this.summaries.has(summary.id);
    this.summaries.set(summary.id, summary);
    if (isNew) void vscode.commands.executeCommand('setContext', 'nasStudio.hasExperiments', true);
    this.changed.fire(undefined);
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    if (node.kind === 'run') {
      const row = runRow(node.summary);
      const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = node.summary.id;
      item.description = row.description;
      item.iconPath = new vscode.ThemeIcon(row.icon);
      item.contextValue = row.contextValue;
      item.tooltip = new vscode.MarkdownString(row.tooltip.join('\n\n'));
      return item;
    }
    return itemOf(node);
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!node) {
      if (!this.loaded) await this.refresh();
      return this.all().map((summary) => ({ kind: 'run', summary }));
    }
    if (node.kind === 'run') return runChildren(this.summaries.get(node.summary.id) ?? node.summary);
    if (!node.expand) return [];
    try {
      return [...(await node.expand((type, params) => this.engine.request(type, params)))];
    } catch (e) {
      this.engine.output.appendLine(`could not list ${node.label} of ${node.runId}: ${(e as Error).message}`);
      return [];
    }
  }

  dispose(): void {
    this.changed.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

function itemOf(node: ItemNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, node.expand ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `${node.runId}/${node.key}`;
  item.description = node.description;
  item.iconPath = new vscode.ThemeIcon(node.icon);
  item.contextValue = node.contextValue;
  item.tooltip = node.tooltip !== undefined ? new vscode.MarkdownString(node.tooltip) : node.description ? `${node.label} ${node.description}` : node.label;
  if (node.command) item.command = { ...node.command, arguments: [...node.command.arguments] };
  return item;
}
