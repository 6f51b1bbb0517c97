import * as vscode from 'vscode';
import { openLatencyPanel, readValidation, tableFolderOf } from '../panels/latencyPanel';
import type { ViewPanel } from '../panels/webviewHost';

/**
 * "NAS Studio: Show Latency Validation": a table folder's validation.json (from the explorer: the
 * folder, its validation.json or a table file; from the palette: a folder picked in a dialog) as
 * the latency validation view. Returns the view, for tests.
 */
export async function showLatencyValidation(target: unknown, extensionUri: vscode.Uri, log: (message: string) => void): Promise<ViewPanel | undefined> {
  let folder: vscode.Uri | undefined;
  if (target instanceof vscode.Uri) {
    const stat = await vscode.workspace.fs.stat(target);
    folder = tableFolderOf(target, (stat.type & vscode.FileType.Directory) !== 0);
  } else {
    folder = (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: 'Latency table folder (validated with nas-studio lut --validate)', openLabel: 'Show Validation' }))?.[0];
  }
  if (!folder) return undefined;
  try {
    await readValidation(folder);
  } catch (e) {
    void vscode.window.showErrorMessage(`NAS Studio: ${(e as Error).message}`);
    return undefined;
  }
  return openLatencyPanel(folder, extensionUri, log);
}
