import * as vscode from 'vscode';
import { Requests } from '../../contract/protocol';
import type { EngineClient } from '../engineClient';
import type { ExperimentsTree } from '../experimentsTree';
import { experimentIdOf, pickSpec, type CommandTarget, type SpecKind } from './resolveTargets';

function showError(e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  void vscode.window.showErrorMessage(`NAS Studio: ${message}`);
}

function requireTrust(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage('NAS Studio does not run experiments in an untrusted workspace.', 'Manage Workspace Trust')
    .then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
  return false;
}

/** Run, resume and stop experiments and supernet trainings. Each returns the experiment id it acted on (for tests). */
export function registerExperimentCommands(engine: EngineClient, tree: ExperimentsTree): vscode.Disposable[] {
  /** Starts a search (`*.nas.json`) or a supernet training run (`*.supernet.json`) from the saved spec. */
  const runSpec = async (uri: vscode.Uri, kind: SpecKind): Promise<string | undefined> => {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (document?.isDirty) await document.save();
    const { id } = await engine.request(kind === 'supernet' ? Requests.trainSupernet : Requests.runExperiment, { specPath: uri.fsPath });
    return id;
  };

  const run = async (target: CommandTarget): Promise<string | undefined> => {
    if (!requireTrust()) return undefined;
    try {
      const id = experimentIdOf(target);
      const summary = id ? tree.summary(id) : undefined;
      if (summary) {
        if (summary.status === 'stopped' || summary.status === 'interrupted' || summary.status === 'pending') {
          await engine.request(Requests.resumeExperiment, { id: summary.id });
          return summary.id;
        }
        return await runSpec(vscode.Uri.file(summary.specPath), summary.kind ?? 'search');
      }
      const spec = await pickSpec(target, 'search');
      return spec ? await runSpec(spec, 'search') : undefined;
    } catch (e) {
      showError(e);
      return undefined;
    }
  };

  const train = async (target: CommandTarget): Promise<string | undefined> => {
    if (!requireTrust()) return undefined;
    try {
      const spec = await pickSpec(target, 'supernet');
      return spec ? await runSpec(spec, 'supernet') : undefined;
    } catch (e) {
      showError(e);
      return undefined;
    }
  };

  const stop = async (target: CommandTarget): Promise<string | undefined> => {
    let id = experimentIdOf(target);
    if (!id) {
      const running = tree.all().filter((s) => s.status === 'running');
      if (running.length === 0) {
        void vscode.window.showInformationMessage('No NAS Studio experiment is running.');
        return undefined;
      }
      id = running.length === 1 ? running[0].id : (await vscode.window.showQuickPick(running.map((s) => ({ label: s.name, description: s.id, id: s.id }))))?.id;
    }
    if (!id) return undefined;
    try {
      await engine.request(Requests.stopExperiment, { id });
      return id;
    } catch (e) {
      showError(e);
      return undefined;
    }
  };

  return [
    vscode.commands.registerCommand('nasStudio.runExperiment', run),
    vscode.commands.registerCommand('nasStudio.resumeExperiment', run),
    vscode.commands.registerCommand('nasStudio.trainSupernet', train),
    vscode.commands.registerCommand('nasStudio.stopExperiment', stop),
    vscode.commands.registerCommand('nasStudio.refreshExperiments', () => tree.refresh()),
    vscode.commands.registerCommand('nasStudio.showEngineLog', () => engine.output.show(true)),
    vscode.commands.registerCommand('nasStudio.restartEngine', async () => {
      try {
        await engine.restart();
        void vscode.window.showInformationMessage('NAS Studio engine restarted.');
      } catch (e) {
        showError(e);
      }
    }),
  ];
}
