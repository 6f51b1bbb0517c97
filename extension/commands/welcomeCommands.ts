/**
 * What the explorer's welcome view offers when there are no runs yet: run one of the workspace's
 * specs, or create the quickstart example (the very file `npm run quickstart` runs, shipped with
 * the extension).
 */
import * as vscode from 'vscode';
import { findSpecFiles } from '../specFiles';
import { specRunAction } from '../specLenses';
import { specFileName } from './wizardSpec';

/** "Run a Spec…": every spec file of the workspace, each run with its kind's command. Returns the run id. */
async function runSpec(): Promise<unknown> {
  const specs = await findSpecFiles();
  if (specs.length === 0) {
    const create = 'Create the Quickstart Example';
    const choice = await vscode.window.showInformationMessage('NAS Studio: there is no spec (*.nas.json, *.supernet.json, …) in this workspace yet.', create, 'New Experiment');
    if (choice === create) await vscode.commands.executeCommand('nasStudio.createQuickstart');
    if (choice === 'New Experiment') await vscode.commands.executeCommand('nasStudio.newExperiment');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    specs.map((spec) => ({ label: vscode.workspace.asRelativePath(spec.uri), description: specRunAction(spec.kind).title, spec })),
    { title: 'Run which spec?', matchOnDescription: true },
  );
  return picked && vscode.commands.executeCommand(specRunAction(picked.spec.kind).command, picked.spec.uri);
}

/** Writes examples/quickstart.nas.json into the workspace (next to any earlier copy, never over it) and opens it. */
async function createQuickstart(extensionUri: vscode.Uri): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showWarningMessage('Open a folder first: NAS Studio keeps specs and experiments in the workspace.');
    return undefined;
  }
  const text = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'examples', 'quickstart.nas.json'));
  const existing = new Set((await vscode.workspace.fs.readDirectory(folder.uri)).map(([name]) => name));
  const file = vscode.Uri.joinPath(folder.uri, specFileName('quickstart', (f) => existing.has(f)));
  await vscode.workspace.fs.writeFile(file, text);
  await vscode.window.showTextDocument(file);
  return file;
}

export function registerWelcomeCommands(extensionUri: vscode.Uri): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('nasStudio.runSpec', runSpec),
    vscode.commands.registerCommand('nasStudio.createQuickstart', () => createQuickstart(extensionUri)),
  ];
}
