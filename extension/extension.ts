/**
 * NAS Studio extension host entry: starts the engine process and wires the explorer,
 * commands, progress and results views to it. No heavy work happens here.
 */
import * as vscode from 'vscode';
import { registerExperimentCommands } from './commands/experimentCommands';
import { newExperiment } from './commands/newExperiment';
import { EngineClient } from './engineClient';
import { ExperimentsTree } from './experimentsTree';
import { RESULTS_SCHEME, ResultsDocumentProvider } from './resultsDocument';
import { RunProgress } from './runProgress';

/** What activate() returns: used by the extension's own integration tests. */
export interface NasStudioApi {
  readonly engine: EngineClient;
  readonly tree: ExperimentsTree;
}

export async function activate(context: vscode.ExtensionContext): Promise<NasStudioApi> {
  const engine = new EngineClient(context);
  const tree = new ExperimentsTree(engine);
  context.subscriptions.push(
    engine,
    tree,
    new RunProgress(engine),
    vscode.window.createTreeView('nasStudio.experiments', { treeDataProvider: tree, showCollapseAll: true }),
    vscode.workspace.registerTextDocumentContentProvider(RESULTS_SCHEME, new ResultsDocumentProvider(engine)),
    vscode.commands.registerCommand('nasStudio.newExperiment', () => newExperiment(engine)),
    ...registerExperimentCommands(engine, tree),
    vscode.workspace.onDidGrantWorkspaceTrust(() => engine.notifyTrust(true)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('nasStudio')) {
        void vscode.window
          .showInformationMessage('NAS Studio settings changed. Restart the engine to apply them?', 'Restart Engine')
          .then((choice) => choice && vscode.commands.executeCommand('nasStudio.restartEngine'));
      }
    }),
  );
  await engine.start();
  return { engine, tree };
}

export function deactivate(): void {
  // Subscriptions (the engine client first) are disposed by VS Code.
}
