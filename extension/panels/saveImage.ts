import * as vscode from 'vscode';
import type { ExportCsv, ExportImage } from '../../contract/webviewMessages';
import { imageBytes } from './imageBytes';

/** A view's exported picture: asks where to save it (starting in `folder`), then writes it. */
export async function saveExportedImage(image: ExportImage, folder: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  const bytes = imageBytes(image);
  const start = folder ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: `Export ${image.view === 'plot' ? 'plot' : image.view === 'graph' ? 'architecture graph' : image.view === 'analysis' ? 'analysis' : 'progress chart'}`,
    defaultUri: start ? vscode.Uri.joinPath(start, image.fileName) : undefined,
    filters: image.format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, bytes);
  void vscode.window.showInformationMessage(`Saved ${vscode.workspace.asRelativePath(target)}`, 'Open').then((choice) => {
    if (choice) void vscode.commands.executeCommand('vscode.open', target);
  });
  return target;
}

/** A view's exported table: asks where to save the CSV (starting in `folder`), then writes it. */
export async function saveExportedCsv(table: ExportCsv, folder: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  const start = folder ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: 'Export trials as CSV',
    defaultUri: start ? vscode.Uri.joinPath(start, table.fileName) : undefined,
    filters: { 'CSV table': ['csv'] },
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, Buffer.from(table.data, 'utf8'));
  void vscode.window.showInformationMessage(`Saved ${vscode.workspace.asRelativePath(target)}`, 'Open').then((choice) => {
    if (choice) void vscode.commands.executeCommand('vscode.open', target);
  });
  return target;
}
