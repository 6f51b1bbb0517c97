import * as path from 'node:path';
import * as vscode from 'vscode';
import { SpecializationRequests } from '../../contract/protocol';
import { type EfficiencyChoice, type SpecializeParams } from '../../contract/runs';
import type { EngineClient } from '../engineClient';
import type { SpecializationNode, SpecializationsTree } from './specializationsTree';

/** Last answers, so the next specialization starts from them. */
const MEMORY_KEY = 'nasStudio.lastSpecialization';

/** "1:60:5" or "15, 20, 25" or "25" -> limits; undefined when malformed. */
export function parseLimits(text: string): number[] | undefined {
  const range = /^\s*([\d.]+)\s*:\s*([\d.]+)\s*:\s*([\d.]+)\s*$/.exec(text);
  if (range) {
    const [from, to, step] = range.slice(1).map(Number);
    if (!(step > 0) || !(to >= from) || !(from > 0) || (to - from) / step > 200) return undefined;
    const values: number[] = [];
    for (let k = 0; from + k * step <= to + 1e-9; k++) values.push(Number((from + k * step).toFixed(6)));
    return values;
  }
  const values = text.split(',').map((p) => Number(p.trim()));
  return text.trim() !== '' && values.every((v) => Number.isFinite(v) && v > 0) ? values : undefined;
}

async function pickFile(title: string, remembered: string | undefined, folders: boolean): Promise<string | undefined> {
  const items: (vscode.QuickPickItem & { path?: string })[] = [];
  if (remembered) items.push({ label: path.basename(remembered), description: remembered, path: remembered });
  items.push({ label: folders ? '$(folder-opened) Choose a folder…' : '$(file) Choose a file…' });
  const picked = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title, ignoreFocusOut: true });
  if (!picked) return undefined;
  if (picked.path) return picked.path;
  const chosen = await vscode.window.showOpenDialog({ title, canSelectFiles: !folders, canSelectFolders: folders, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri });
  return chosen?.[0]?.fsPath;
}

/**
 * "NAS Studio: Specialize Sub-network": quick picks for the predictor, the efficiency model and
 * one limit or a sweep; the engine searches in the background and the result appears in the
 * Specializations explorer. Returns the run id.
 */
export async function specializeSubnet(engine: EngineClient, memory: vscode.Memento): Promise<string | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('NAS Studio does not run searches in an untrusted workspace.');
    return undefined;
  }
  const last = memory.get<Partial<SpecializeParams>>(MEMORY_KEY) ?? {};
  const predictor = await pickFile('Specialize (1/3): accuracy predictor weights (acc_predictor.json format)', last.predictor, false);
  if (!predictor) return undefined;
  const lastLut = last.efficiency?.kind === 'lut' ? last.efficiency.dir : undefined;
  const lastTable = last.efficiency?.kind === 'flops-table' ? last.efficiency.path : undefined;
  const choice = await vscode.window.showQuickPick(
    [
      { label: 'Latency lookup tables', description: lastLut ?? 'a folder of <resolution>_lookup_table.yaml', model: 'lut' as const },
      { label: 'FLOPs table', description: lastTable ?? 'flops_table.json', model: 'flops-table' as const },
      { label: 'Analytic FLOPs', description: 'counted from layer shapes', model: 'flops' as const },
    ],
    { title: 'Specialize (2/3): efficiency model', ignoreFocusOut: true },
  );
  if (!choice) return undefined;
  let efficiency: EfficiencyChoice;
  if (choice.model === 'lut') {
    const dir = await pickFile('Latency lookup table folder', lastLut, true);
    if (!dir) return undefined;
    efficiency = { kind: 'lut', dir };
  } else if (choice.model === 'flops-table') {
    const file = await pickFile('FLOPs table', lastTable, false);
    if (!file) return undefined;
    efficiency = { kind: 'flops-table', path: file };
  } else {
    efficiency = { kind: 'flops' };
  }
  const unit = efficiency.kind === 'lut' ? 'ms' : 'MFLOPs';
  const limitsText = await vscode.window.showInputBox({
    title: `Specialize (3/3): limit in ${unit}, or a sweep`,
    prompt: `One limit (e.g. ${unit === 'ms' ? '25' : '300'}), a list (15, 20, 25) or a range from:to:step (15:60:5) for a Pareto sweep`,
    value: last.limits?.join(', ') ?? (unit === 'ms' ? '25' : '300'),
    ignoreFocusOut: true,
    validateInput: (v) => (parseLimits(v) ? undefined : 'Positive numbers separated by commas, or from:to:step'),
  });
  const limits = limitsText === undefined ? undefined : parseLimits(limitsText);
  if (!limits) return undefined;
  const params: SpecializeParams = { predictor, efficiency, limits };
  await memory.update(MEMORY_KEY, params);
  let id: string;
  try {
    id = (await engine.request(SpecializationRequests.start, params)).id;
  } catch (e) {
    void vscode.window.showErrorMessage(`NAS Studio: ${(e as Error).message}`);
    return undefined;
  }
  showProgress(engine, id, `NAS Studio: specializing for ${limits.join(', ')} ${unit}`);
  return id;
}

/** A cancellable notification until the run ends, then its outcome. */
function showProgress(engine: EngineClient, id: string, title: string): void {
  void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    let reported = 0;
    const subscriptions: vscode.Disposable[] = [];
    token.onCancellationRequested(() => void engine.request(SpecializationRequests.stop, { id }).catch(() => undefined));
    return new Promise<void>((resolve) => {
      subscriptions.push(
        engine.onProgress((p) => {
          if (p.id !== id) return;
          progress.report({ increment: Math.max(0, p.fraction * 100 - reported), message: p.message });
          reported = Math.max(reported, p.fraction * 100);
        }),
        engine.onSpecializationChanged((s) => {
          if (s.id !== id || s.status === 'running') return;
          for (const d of subscriptions) d.dispose();
          resolve();
          if (s.status === 'failed') void vscode.window.showErrorMessage(`NAS Studio: specialization failed: ${s.error}`);
          else if (s.status === 'finished') {
            const best = s.subnets.map((n) => `≤ ${n.limit}: ${(n.predictedAccuracy * 100).toFixed(2)} %`).join(', ');
            void vscode.window.showInformationMessage(`NAS Studio: ${s.name} finished (${best}). See the Specializations view.`);
          }
        }),
      );
    });
  });
}

/** "Export Sub-network": writes the chosen sub-network for OFA's set_active_subnet. Returns the file. */
export async function exportSpecializedSubnet(engine: EngineClient, tree: SpecializationsTree, node: SpecializationNode | undefined): Promise<string | undefined> {
  let target = node?.kind === 'subnet' ? node : undefined;
  if (!target) {
    const choices = tree
      .getChildren()
      .flatMap((run) => tree.getChildren(run))
      .filter((n): n is Extract<SpecializationNode, { kind: 'subnet' }> => n.kind === 'subnet');
    if (choices.length === 0) {
      void vscode.window.showInformationMessage('No specialized sub-network to export yet. Run "NAS Studio: Specialize Sub-network" first.');
      return undefined;
    }
    target = (await vscode.window.showQuickPick(choices.map((n) => ({ label: `${n.run.name}: ≤ ${n.subnet.limit}`, description: n.subnet.description, n })), { title: 'Export which sub-network?' }))?.n;
  }
  if (!target) return undefined;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const suggested = `${target.run.name}-${target.subnet.limit}.arch.json`;
  const uri = await vscode.window.showSaveDialog({ title: 'Export sub-network', defaultUri: folder ? vscode.Uri.joinPath(folder, suggested) : undefined, filters: { JSON: ['json'] } });
  if (!uri) return undefined;
  try {
    await engine.request(SpecializationRequests.exportSubnet, { id: target.run.id, limit: target.subnet.limit, path: uri.fsPath });
    void vscode.window.showInformationMessage(`Exported ${target.subnet.description} to ${vscode.workspace.asRelativePath(uri)}.`);
    return uri.fsPath;
  } catch (e) {
    void vscode.window.showErrorMessage(`NAS Studio: ${(e as Error).message}`);
    return undefined;
  }
}
