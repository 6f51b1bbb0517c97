import * as vscode from 'vscode';
import { SPEC_FILE_KINDS } from '../../contract/protocol';
import { runIdOf as nodeRunId, type ExplorerNode } from '../runs/explorerNodes';

/** What a command was invoked on: an explorer node, a run id, a spec Uri, or nothing. */
export type CommandTarget = ExplorerNode | string | vscode.Uri | undefined;

export function runIdOf(target: CommandTarget): string | undefined {
  if (typeof target === 'string') return target;
  if (!target || target instanceof vscode.Uri) return undefined;
  return nodeRunId(target);
}

/** The kinds of run made from a spec file: searches (`*.nas.json`), supernet trainings (`*.supernet.json`), ProxylessNAS searches (`*.proxyless.json`), compound scaling (`*.scaling.json`), AdaNet ensembles (`*.ensemble.json`), HAQ quantizations (`*.quantize.json`). */
export type SpecKind = 'search' | 'supernet' | 'proxyless' | 'scaling' | 'ensemble' | 'quantization';

const SPEC_PICKS: Record<SpecKind, { readonly missing: string; readonly title: string }> = {
  search: { missing: 'No *.nas.json experiment spec in this workspace. Create one with "NAS Studio: New Experiment".', title: 'Run which experiment spec?' },
  supernet: { missing: 'No *.supernet.json supernet spec in this workspace (see docs/supernet.md for the format).', title: 'Train which supernet spec?' },
  proxyless: { missing: 'No *.proxyless.json ProxylessNAS spec in this workspace (see docs/proxyless.md for the format).', title: 'Run which ProxylessNAS spec?' },
  scaling: { missing: 'No *.scaling.json compound scaling spec in this workspace (see docs/grow.md for the format).', title: 'Scale which network (scaling spec)?' },
  ensemble: { missing: 'No *.ensemble.json AdaNet spec in this workspace (see docs/grow.md for the format).', title: 'Grow which ensemble spec?' },
  quantization: { missing: 'No *.quantize.json quantization spec in this workspace. Create one with "NAS Studio: Quantize Model" (see docs/quantization.md).', title: 'Run which quantization spec?' },
};

function suffixOf(kind: SpecKind): string {
  const entry = SPEC_FILE_KINDS.find((k) => k.kind === kind);
  if (!entry) throw new Error(`no spec file suffix for ${kind} runs`);
  return entry.suffix;
}

/** Whether the Uri is a spec file (of this kind, or of any kind that has spec files). */
export function isSpecUri(uri: vscode.Uri | undefined, kind?: SpecKind): uri is vscode.Uri {
  const suffixes = kind ? [suffixOf(kind)] : SPEC_FILE_KINDS.map((k) => k.suffix);
  return !!uri && uri.scheme === 'file' && suffixes.some((s) => uri.path.endsWith(s));
}

/** The spec to run: the argument, the active editor's spec, or one picked from the workspace. */
export async function pickSpec(target: CommandTarget, kind: SpecKind): Promise<vscode.Uri | undefined> {
  if (target instanceof vscode.Uri && isSpecUri(target, kind)) return target;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (isSpecUri(active, kind)) return active;
  const picks = SPEC_PICKS[kind];
  const specs = await vscode.workspace.findFiles(`**/*${suffixOf(kind)}`, '**/node_modules/**', 200);
  if (specs.length === 0) {
    void vscode.window.showWarningMessage(picks.missing);
    return undefined;
  }
  if (specs.length === 1) return specs[0];
  const picked = await vscode.window.showQuickPick(
    specs.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: picks.title },
  );
  return picked?.uri;
}
