import * as vscode from 'vscode';
import type { ExplorerNode } from '../experimentsTree';

/** What a command was invoked on: an explorer node, an experiment id, a spec Uri, or nothing. */
export type CommandTarget = ExplorerNode | string | vscode.Uri | undefined;

export function experimentIdOf(target: CommandTarget): string | undefined {
  if (typeof target === 'string') return target;
  if (!target || target instanceof vscode.Uri) return undefined;
  switch (target.kind) {
    case 'experiment':
    case 'trials':
      return target.summary.id;
    case 'detail':
    case 'trial':
    case 'more':
      return target.experimentId;
  }
}

export function isSpecUri(uri: vscode.Uri | undefined): uri is vscode.Uri {
  return !!uri && uri.scheme === 'file' && uri.path.endsWith('.nas.json');
}

/** The spec to run: the argument, the active editor's spec, or one picked from the workspace. */
export async function pickSpec(target: CommandTarget): Promise<vscode.Uri | undefined> {
  if (target instanceof vscode.Uri && isSpecUri(target)) return target;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (isSpecUri(active)) return active;
  const specs = await vscode.workspace.findFiles('**/*.nas.json', '**/node_modules/**', 200);
  if (specs.length === 0) {
    void vscode.window.showWarningMessage('No *.nas.json experiment spec in this workspace. Create one with "NAS Studio: New Experiment".');
    return undefined;
  }
  if (specs.length === 1) return specs[0];
  const picked = await vscode.window.showQuickPick(
    specs.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: 'Run which experiment spec?' },
  );
  return picked?.uri;
}
