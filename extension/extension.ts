/**
 * NAS Studio extension host entry: starts the engine process and wires the explorer,
 * commands, progress, webview panels and inline previews to it. No heavy work happens here.
 */
import * as vscode from 'vscode';
import { SPEC_FILE_KINDS } from '../contract/protocol';
import { archHoverSelector, ArchHoverProvider } from './archHover';
import { registerArchEditor } from './archEditor';
import { SpecCodeLensProvider } from './codeLens';
import { exportSupernetSubnet } from './commands/exportSupernetSubnet';
import { exportModel } from './commands/exportModel';
import { newExperiment } from './commands/newExperiment';
import { quantizeModel } from './commands/quantizeModel';
import { chooseSpecPath } from './errors/showEngineError';
import { registerRunCommands } from './commands/runCommands';
import { exportSpecializedSubnet, showSpecializationCurve, specializeSubnet } from './commands/specializeCommands';
import { showLatencyValidation } from './commands/showLatencyValidation';
import { registerViewCommands } from './commands/viewCommands';
import { registerWelcomeCommands } from './commands/welcomeCommands';
import { EngineClient } from './engineClient';
import { registerLatencySerializer } from './panels/latencyPanel';
import { registerPanelSerializers } from './panels/serializers';
import { ViewPanels } from './panels/openPanels';
import { RunProgress } from './runProgress';
import { RunsTree } from './runs/runsTree';
import { SpecFilesContext } from './specFiles';

/** What activate() returns: used by the extension's own integration tests. */
export interface NasStudioApi {
  readonly engine: EngineClient;
  readonly tree: RunsTree;
  readonly panels: ViewPanels;
}

let engine: EngineClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<NasStudioApi> {
  const client = new EngineClient(context);
  engine = client;
  const tree = new RunsTree(client);
  const panels = new ViewPanels(client, context.extensionUri);
  const log = (message: string) => client.output.appendLine(message);
  const codeLens = new SpecCodeLensProvider(tree);
  context.subscriptions.push(
    client,
    tree,
    panels,
    codeLens,
    new RunProgress(client),
    new SpecFilesContext(log),
    vscode.window.createTreeView('nasStudio.experiments', { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true }),
    ...registerPanelSerializers(panels, log),
    registerLatencySerializer(context.extensionUri, log),
    ...registerArchEditor(context.extensionUri, log),
    vscode.languages.registerCodeLensProvider(SPEC_FILE_KINDS.map((k) => ({ scheme: 'file', pattern: `**/*${k.suffix}` })), codeLens),
    vscode.languages.registerHoverProvider(archHoverSelector, new ArchHoverProvider(client, tree)),
    vscode.commands.registerCommand('nasStudio.newExperiment', () => newExperiment(client)),
    // The quick fix of a spec problem naming a missing file or folder (its code action runs it).
    vscode.commands.registerCommand('nasStudio.chooseSpecPath', (uri: string, optionPath: (string | number)[], pick: 'file' | 'folder') => chooseSpecPath(vscode.Uri.parse(uri).fsPath, optionPath, pick)),
    vscode.commands.registerCommand('nasStudio.specializeSubnet', () => specializeSubnet(client, context.workspaceState)),
    vscode.commands.registerCommand('nasStudio.exportSubnet', async (target) => {
      const file = await exportSpecializedSubnet(client, tree, target);
      if (file) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file));
      return file;
    }),
    vscode.commands.registerCommand('nasStudio.showSpecializationCurve', (target) => showSpecializationCurve(tree, panels, target)),
    vscode.commands.registerCommand('nasStudio.exportSupernetSubnet', (target) => exportSupernetSubnet(client, tree, target)),
    vscode.commands.registerCommand('nasStudio.exportModel', (target) => exportModel(client, target)),
    vscode.commands.registerCommand('nasStudio.showLatencyValidation', (target) => showLatencyValidation(target, context.extensionUri, log)),
    vscode.commands.registerCommand('nasStudio.quantizeModel', (target) => quantizeModel(client, tree, panels, target)),
    ...registerRunCommands(client, tree, context.workspaceState),
    ...registerViewCommands(client, tree, panels),
    ...registerWelcomeCommands(context.extensionUri),
    // The running engine hears it at once; every later (re)start reads the trust afresh.
    vscode.workspace.onDidGrantWorkspaceTrust(() => client.notifyTrust(true)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('nasStudio')) {
        void vscode.window
          .showInformationMessage('NAS Studio settings changed. Restart the engine to apply them?', 'Restart Engine')
          .then((choice) => choice && vscode.commands.executeCommand('nasStudio.restartEngine'));
      }
    }),
  );
  await client.start();
  return { engine: client, tree, panels };
}

/** Stops the engine (running runs end resumably) before VS Code disposes the rest. */
export function deactivate(): Promise<void> | undefined {
  return engine?.stop();
}
