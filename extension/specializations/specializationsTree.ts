import * as vscode from 'vscode';
import { SpecializationRequests } from '../../contract/protocol';
import { type SpecializationSummary, type SpecializedSubnetInfo } from '../../contract/runs';
import type { EngineClient } from '../engineClient';

export type SpecializationNode =
  | { readonly kind: 'run'; readonly summary: SpecializationSummary }
  | { readonly kind: 'subnet'; readonly run: SpecializationSummary; readonly subnet: SpecializedSubnetInfo };

const STATUS_ICON: Record<SpecializationSummary['status'], string> = {
  running: 'sync~spin',
  finished: 'pass',
  stopped: 'debug-pause',
  failed: 'error',
};

/** "Specializations" explorer: one item per run, its sub-networks (one per limit) below it. */
export class SpecializationsTree implements vscode.TreeDataProvider<SpecializationNode>, vscode.Disposable {
  private runs: SpecializationSummary[] = [];
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly engine: EngineClient) {
    this.subscriptions.push(
      engine.onReady(() => void this.refresh()),
      engine.onSpecializationChanged((summary) => {
        this.runs = [summary, ...this.runs.filter((r) => r.id !== summary.id)];
        this.changed.fire(undefined);
      }),
    );
  }

  run(id: string): SpecializationSummary | undefined {
    return this.runs.find((r) => r.id === id);
  }

  async refresh(): Promise<void> {
    try {
      this.runs = await this.engine.request0(SpecializationRequests.list);
    } catch (e) {
      this.engine.output.appendLine(`could not list specializations: ${(e as Error).message}`);
    }
    this.changed.fire(undefined);
  }

  getTreeItem(node: SpecializationNode): vscode.TreeItem {
    if (node.kind === 'run') {
      const s = node.summary;
      const item = new vscode.TreeItem(s.name, s.subnets.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
      // A new id once results exist, so VS Code shows the finished run expanded.
      item.id = `${s.id}/${s.status}`;
      item.description = s.status === 'failed' ? `failed: ${s.error}` : `${s.status} · ${s.request.limits.length} limit${s.request.limits.length === 1 ? '' : 's'}`;
      item.iconPath = new vscode.ThemeIcon(STATUS_ICON[s.status]);
      item.contextValue = `specialization.${s.status}`;
      item.tooltip = new vscode.MarkdownString(
        [`**${s.name}**`, `Predictor: \`${s.request.predictor}\``, s.efficiency ? `Efficiency: ${s.efficiency.label}` : '', `Limits: ${s.request.limits.join(', ')}`].filter(Boolean).join('\n\n'),
      );
      return item;
    }
    const { subnet, run } = node;
    const unit = run.efficiency?.unit ?? '';
    const item = new vscode.TreeItem(`≤ ${subnet.limit} ${unit}: ${(subnet.predictedAccuracy * 100).toFixed(2)} %`, vscode.TreeItemCollapsibleState.None);
    item.id = `${run.id}/${subnet.limit}`;
    item.description = `${subnet.efficiency.toFixed(2)} ${unit} · ${subnet.mflops.toFixed(0)} MFLOPs · ${subnet.description}`;
    item.iconPath = new vscode.ThemeIcon(subnet.pareto ? 'star-full' : 'circle-outline');
    item.contextValue = 'specialization.subnet';
    item.tooltip = `${subnet.description}\npredicted accuracy ${(subnet.predictedAccuracy * 100).toFixed(2)} %, ${run.efficiency?.metric ?? 'cost'} ${subnet.efficiency.toFixed(3)} ${unit}, ${subnet.mparams.toFixed(2)} M params${subnet.pareto ? ', Pareto-optimal' : ''}`;
    return item;
  }

  getChildren(node?: SpecializationNode): SpecializationNode[] {
    if (!node) return this.runs.map((summary) => ({ kind: 'run', summary }));
    if (node.kind === 'run') return (this.run(node.summary.id) ?? node.summary).subnets.map((subnet) => ({ kind: 'subnet', run: node.summary, subnet }));
    return [];
  }

  dispose(): void {
    this.changed.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
