import * as vscode from 'vscode';
import type { ExperimentsTree } from './experimentsTree';
import { experimentsOfSpec, progressRuns, specLenses } from './specLenses';

/** CodeLens above every `*.nas.json` and `*.supernet.json` spec: Run or Train, Stop, Resume, live status and result, progress. */
export class SpecCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly tree: ExperimentsTree) {
    // The tree hears every experiment change and trial the engine reports.
    this.subscription = tree.onDidChangeTreeData(() => this.changed.fire());
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const experiments = experimentsOfSpec(this.tree.all(), document.uri.fsPath);
    const top = new vscode.Range(0, 0, 0, 0);
    const kind = document.uri.path.endsWith('.supernet.json') ? 'supernet' : 'search';
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
