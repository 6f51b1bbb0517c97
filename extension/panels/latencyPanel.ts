import * as path from 'node:path';
import * as vscode from 'vscode';
import { validationFileCheck, type ValidationFile } from '../../contract/latencyValidation';
import { validate } from '../../contract/validate';
import { latencyViewStateCheck, readState } from '../../webviews/viewState';
import { ViewPanel, viewWebviewOptions } from './webviewHost';

export const latencyViewType = 'nasStudio.latencyValidation';
export const VALIDATION_FILE = 'validation.json';

/** A table folder's validation.json, checked; a clear error when it is missing or malformed. */
export async function readValidation(folder: vscode.Uri): Promise<ValidationFile> {
  const file = vscode.Uri.joinPath(folder, VALIDATION_FILE);
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
  } catch {
    throw new Error(`${folder.fsPath} has no ${VALIDATION_FILE}: validate the table first with \`nas-studio lut --validate 100 --lut ${folder.fsPath}\``);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file.fsPath} is not JSON: ${(e as Error).message}`);
  }
  const checked = validate(validationFileCheck, value);
  if (!checked.ok) throw new Error(`${file.fsPath} is not a latency validation written by \`nas-studio lut --validate\`: ${checked.error}`);
  return checked.value;
}

/** The table folder a command target names: the folder itself, or the folder of its validation.json or a table file. */
export function tableFolderOf(target: vscode.Uri, isFolder: boolean): vscode.Uri {
  return isFolder ? target : vscode.Uri.file(path.dirname(target.fsPath));
}

/**
 * A latency table folder's validation.json as a scatter of predicted against measured latency.
 * Read again whenever the view loads, so a new `lut --validate` shows after a reload.
 */
export function openLatencyPanel(folder: vscode.Uri, extensionUri: vscode.Uri, log: (message: string) => void): ViewPanel {
  const panel = vscode.window.createWebviewPanel(latencyViewType, `Latency validation · ${path.basename(folder.fsPath)}`, vscode.ViewColumn.Active, viewWebviewOptions(extensionUri));
  return adoptLatencyPanel(panel, folder, extensionUri, log);
}

function adoptLatencyPanel(panel: vscode.WebviewPanel, folder: vscode.Uri, extensionUri: vscode.Uri, log: (message: string) => void): ViewPanel {
  panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'nas-studio.svg');
  return new ViewPanel(panel, {
    view: 'latency',
    extensionUri,
    log,
    content: {
      snapshot: async () => [{ type: 'init', view: 'latency', title: folder.fsPath, validation: await readValidation(folder) }],
      exportFolder: () => folder,
    },
  });
}

/** Brings latency validation panels back after a window reload: the view saved its folder. */
export function registerLatencySerializer(extensionUri: vscode.Uri, log: (message: string) => void): vscode.Disposable {
  const read = readState(latencyViewStateCheck);
  return vscode.window.registerWebviewPanelSerializer(latencyViewType, {
    async deserializeWebviewPanel(panel, saved) {
      const state = read(saved);
      if (state) adoptLatencyPanel(panel, vscode.Uri.file(state.folder), extensionUri, log);
      else {
        log(`${latencyViewType}: nothing to restore from the saved state ${JSON.stringify(saved)}; closing the panel`);
        panel.dispose();
      }
    },
  });
}
