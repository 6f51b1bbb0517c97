import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../../server/core/errors';
import { engineFailureOf, errorAction, type EngineFailure } from './errorAction';
import { formatOptionPath, specOptionEdits, specPathValue } from './specOptionEdit';

export interface ErrorContext {
  /** The run the request was about. */
  readonly runId?: string;
  /** Starts the spec again after "Choose File…" fixed it. */
  readonly runAgain?: (spec: vscode.Uri) => unknown;
}

/**
 * Shows a failed request the way its kind calls for (errorAction.ts): nothing for a
 * cancellation, the problem selected in the spec, "Choose File…" for a missing file, else one
 * message. Errors of the editor's own (no engine code) are shown as they are. Resolves once
 * the problem is shown, not when the user answers a message.
 */
export async function showEngineError(error: unknown, output: vscode.OutputChannel, context: ErrorContext = {}): Promise<void> {
  if (error instanceof vscode.CancellationError) return;
  const failure = engineFailureOf(error);
  if (!failure) {
    void vscode.window.showErrorMessage(`NAS Studio: ${errorMessage(error)}`);
    return;
  }
  await showFailure(failure, output, context);
}

/** Shows a failure of a known kind (from the engine, or one the editor sees first, e.g. a damaged run). */
export async function showFailure(failure: EngineFailure, output: vscode.OutputChannel, context: ErrorContext = {}): Promise<void> {
  const action = errorAction(failure, context);
  const failed = (e: unknown) => output.appendLine(`could not show an engine error: ${errorMessage(e)}`);
  switch (action.do) {
    case 'nothing':
      return;
    case 'open-problem': {
      try {
        const document = await vscode.workspace.openTextDocument(vscode.Uri.file(action.specPath));
        const range = new vscode.Range(document.positionAt(action.start), document.positionAt(action.end));
        await vscode.window.showTextDocument(document, { selection: range });
      } catch (e) {
        failed(e);
      }
      void vscode.window.showErrorMessage(action.message);
      return;
    }
    case 'locate': {
      output.appendLine(action.detail);
      const button = action.pick === 'folder' ? 'Choose Folder…' : 'Choose File…';
      void vscode.window
        .showErrorMessage(action.message, button)
        .then((choice) => (choice === button ? chooseSpecPath(action.specPath, action.optionPath, action.pick, context.runAgain) : undefined))
        .then(undefined, failed);
      return;
    }
    case 'show': {
      if (action.detail) output.appendLine(action.detail);
      const show = action.severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
      void (action.button ? show(action.message, action.button) : show(action.message)).then((choice) => {
        if (choice === 'Manage Workspace Trust') void vscode.commands.executeCommand('workbench.trust.manage');
        if (choice === 'Show Engine Log' || choice === 'Show Details') output.show(true);
      });
      return;
    }
  }
}

/**
 * Asks for a file or folder, writes it into the spec option (undoable, saved) and offers to run
 * again: "Choose File…" on a missing-file error and the quick fix of a diagnostic naming one.
 */
export async function chooseSpecPath(specPath: string, optionPath: readonly (string | number)[], pick: 'file' | 'folder', runAgain?: ErrorContext['runAgain']): Promise<void> {
  const spec = vscode.Uri.file(specPath);
  const specDir = path.dirname(specPath);
  const option = formatOptionPath(optionPath);
  const chosen = await vscode.window.showOpenDialog({
    title: `${option} of ${path.basename(specPath)}`,
    canSelectFiles: pick === 'file',
    canSelectFolders: pick === 'folder',
    defaultUri: vscode.Uri.file(specDir),
  });
  if (!chosen?.[0]) return;
  const value = specPathValue(chosen[0].fsPath, specDir);
  const document = await vscode.workspace.openTextDocument(spec);
  const edit = new vscode.WorkspaceEdit();
  for (const e of specOptionEdits(document.getText(), optionPath, value)) {
    edit.replace(spec, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.content);
  }
  if (!(await vscode.workspace.applyEdit(edit)) || !(await document.save())) {
    void vscode.window.showErrorMessage(`NAS Studio: could not update ${option} in ${specPath}.`);
    return;
  }
  const message = `NAS Studio: ${option} in ${path.basename(specPath)} is now "${value}".`;
  if (!runAgain) {
    void vscode.window.showInformationMessage(message);
    return;
  }
  if ((await vscode.window.showInformationMessage(message, 'Run Again')) === 'Run Again') await runAgain(spec);
}
