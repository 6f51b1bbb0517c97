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

/** The two kinds of spec file: experiment specs (searches) and supernet training specs. */
export type SpecKind = 'search' | 'supernet';

const SPEC_FILES: Record<SpecKind, { readonly suffix: string; readonly glob: string; readonly missing: string; readonly title: string }> = {
  search: {
    suffix: '.nas.json',
    glob: '**/*.nas.json',
    missing: 'No *.nas.json experiment spec in this workspace. Create one with "NAS Studio: New Experiment".',
    title: 'Run which experiment spec?',
  },
  supernet: {
    suffix: '.supernet.json',
    glob: '**/*.supernet.json',
    missing: 'No *.supernet.json supernet spec in this workspace (see docs/supernet.md for the format).',
    title: 'Train which supernet spec?',
  },
};

export function isSpecUri(uri: vscode.Uri | undefined, kind: SpecKind): uri is vscode.Uri {
  return !!uri && uri.scheme === 'file' && uri.path.endsWith(SPEC_FILES[kind].suffix);
}

/** The spec to run: the argument, the active editor's spec, or one picked from the workspace. */
export async function pickSpec(target: CommandTarget, kind: SpecKind): Promise<vscode.Uri | undefined> {
  if (target instanceof vscode.Uri && isSpecUri(target, kind)) return target;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (isSpecUri(active, kind)) return active;
  const files = SPEC_FILES[kind];
  const specs = await vscode.workspace.findFiles(files.glob, '**/node_modules/**', 200);
  if (specs.length === 0) {
    void vscode.window.showWarningMessage(files.missing);
    return undefined;
  }
  if (specs.length === 1) return specs[0];
  const picked = await vscode.window.showQuickPick(
    specs.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: files.title },
  );
  return picked?.uri;
}
