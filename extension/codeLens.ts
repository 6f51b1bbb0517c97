import * as vscode from 'vscode';
import { isSpecUri, type SpecKind } from './commands/resolveTargets';
import type { RunsTree } from './runs/runsTree';
import { progressRuns, runsOfSpec, specLenses } from './specLenses';

const SPEC_KINDS: readonly SpecKind[] = ['supernet', 'proxyless', 'scaling', 'ensemble', 'quantization'];

/** CodeLens above every spec file (`*.nas.json`, `*.supernet.json`, `*.proxyless.json`, `*.scaling.json`, `*.ensemble.json`, `*.quantize.json`): Run, Stop, Resume, live status and result, progress. */
export class SpecCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly tree: RunsTree) {
    // The tree hears every run change and trial the engine reports.
    this.subscription = tree.onDidChangeTreeData(() => this.changed.fire());
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const experiments = runsOfSpec(this.tree.all(), document.uri.fsPath);
    const top = new vscode.Range(0, 0, 0, 0);
    const kind = SPEC_KINDS.find((k) => isSpecUri(document.uri, k)) ?? 'search';
    return specLenses(experiments, kind).map(
      (lens) =>
        new vscode.CodeLens(top, {
          title: lens.title,
          tooltip: lens.tooltip,
          command: lens.command,
          arguments: lens.target === 'spec' ? [document.uri] : lens.target === 'latest' ? [experiments[0].id] : [progressRuns(experiments)],
        }),
    );
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
