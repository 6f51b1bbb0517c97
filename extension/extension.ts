/**
 * NAS Studio extension host entry: starts the engine process and wires the explorer,
 * commands, progress, webview panels and inline previews to it. No heavy work happens here.
 */
import * as vscode from 'vscode';
import { archHoverSelector, ArchHoverProvider } from './archHover';
import { registerArchEditor } from './archEditor';
import { SpecCodeLensProvider } from './codeLens';
import { registerExperimentCommands } from './commands/experimentCommands';
import { exportSupernetSubnet } from './commands/exportSupernetSubnet';
import { newExperiment } from './commands/newExperiment';
import { registerViewCommands } from './commands/viewCommands';
import { EngineClient } from './engineClient';
import { ExperimentsTree } from './experimentsTree';
import { registerPanelSerializers } from './panels/serializers';
import { ViewPanels } from './panels/openPanels';
import { RunProgress } from './runProgress';
import { SpecializationsTree } from './specializations/specializationsTree';
import { exportSpecializedSubnet, specializeSubnet } from './specializations/specializeCommands';

/** What activate() returns: used by the extension's own integration tests. */
export interface NasStudioApi {
  readonly engine: EngineClient;
  readonly tree: ExperimentsTree;
  readonly panels: ViewPanels;
  readonly specializations: SpecializationsTree;
}

export async function activate(context: vscode.ExtensionContext): Promise<NasStudioApi> {
  const engine = new EngineClient(context);
  const tree = new ExperimentsTree(engine);
  const panels = new ViewPanels(engine, context.extensionUri);
  const log = (message: string) => engine.output.appendLine(message);
  const codeLens = new SpecCodeLensProvider(tree);
  const specializations = new SpecializationsTree(engine);
  context.subscriptions.push(
    engine,
    tree,
    panels,
    codeLens,
    new RunProgress(engine),
    vscode.window.createTreeView('nasStudio.experiments', { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true }),
    ...registerPanelSerializers(panels, log),
    ...registerArchEditor(context.extensionUri, log),
    vscode.languages.registerCodeLensProvider([{ scheme: 'file', pattern: '**/*.nas.json' }, { scheme: 'file', pattern: '**/*.supernet.json' }], codeLens),
    vscode.languages.registerHoverProvider(archHoverSelector, new ArchHoverProvider(engine, tree)),
    vscode.commands.registerCommand('nasStudio.newExperiment', () => newExperiment(engine)),
    specializations,
    vscode.window.createTreeView('nasStudio.specializations', { treeDataProvider: specializations }),
    vscode.commands.registerCommand('nasStudio.specializeSubnet', () => specializeSubnet(engine, context.workspaceState)),
    vscode.commands.registerCommand('nasStudio.exportSubnet', async (node) => {
      const file = await exportSpecializedSubnet(engine, specializations, node);
      if (file) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file));
      return file;
    }),
    vscode.commands.registerCommand('nasStudio.exportSupernetSubnet', (target) => exportSupernetSubnet(engine, tree, target)),
    ...registerExperimentCommands(engine, tree),
    ...registerViewCommands(engine, tree, panels),
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
  return { engine, tree, panels, specializations };
}

export function deactivate(): void {
  // Subscriptions (the engine client first) are disposed by VS Code.
}
