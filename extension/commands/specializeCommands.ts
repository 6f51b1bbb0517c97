import * as path from 'node:path';
import * as vscode from 'vscode';
import { Requests } from '../../contract/protocol';
import type { EfficiencyChoice, SpecializationRunSummary, SpecializeParams } from '../../contract/runs';
import type { EngineClient } from '../engineClient';
import { showEngineError } from '../errors/showEngineError';
import { subnetFileName } from '../../contract/specializationSweep';
import type { ViewPanels } from '../panels/openPanels';
import { subnetLabel } from '../runs/specializationPresenter';
import type { RunsTree } from '../runs/runsTree';
import { requireTrust } from './requireTrust';
import { runIdOf, type CommandTarget } from './resolveTargets';

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
 * one limit or a sweep; the engine runs it as a run of its own (progress, stop and resume like
 * any run) and its sub-networks appear under it in the Experiments explorer. Returns the run id.
 */
export async function specializeSubnet(engine: EngineClient, memory: vscode.Memento): Promise<string | undefined> {
  if (!requireTrust('run anything')) return undefined;
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
  const spec: SpecializeParams = { predictor, efficiency, limits };
  await memory.update(MEMORY_KEY, spec);
  try {
    return (await engine.request(Requests.startRun, { kind: 'specialization', spec })).id;
  } catch (e) {
    await showEngineError(e, engine.output);
    return undefined;
  }
}

/** A sub-network to export: a row of the explorer, or one picked among every specialization's. */
async function pickSubnet(tree: RunsTree, target: CommandTarget): Promise<{ run: SpecializationRunSummary; limit: number } | undefined> {
  const id = runIdOf(target);
  const run = id ? tree.summary(id) : undefined;
  const limit = typeof target === 'object' && !(target instanceof vscode.Uri) && target.kind === 'item' ? target.limit : undefined;
  if (run?.kind === 'specialization' && limit !== undefined) return { run, limit };
  const choices = tree
    .all()
    .filter((s): s is SpecializationRunSummary => s.kind === 'specialization' && (!run || s.id === run.id))
    .flatMap((s) => s.subnets.map((subnet) => ({ label: `${s.name}: ${subnetLabel(s, subnet)}`, description: subnet.description, run: s, limit: subnet.limit })));
  if (choices.length === 0) {
    void vscode.window.showInformationMessage('No specialized sub-network to export yet. Run "NAS Studio: Specialize Sub-network" first.');
    return undefined;
  }
  return vscode.window.showQuickPick(choices, { title: 'Export which sub-network?', matchOnDescription: true });
}

/** "Export Sub-network": writes the chosen sub-network for OFA's set_active_subnet. Returns the file. */
export async function exportSpecializedSubnet(engine: EngineClient, tree: RunsTree, target: CommandTarget): Promise<string | undefined> {
  const picked = await pickSubnet(tree, target);
  if (!picked) return undefined;
  const { run, limit } = picked;
  const subnet = run.subnets.find((s) => s.limit === limit);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const existing = new Set(folder ? (await vscode.workspace.fs.readDirectory(folder).then(undefined, () => [])).map(([name]) => name) : []);
  const suggested = subnetFileName(run.request.efficiency, limit, (name) => existing.has(name));
  const uri = await vscode.window.showSaveDialog({ title: 'Export sub-network', defaultUri: folder ? vscode.Uri.joinPath(folder, suggested) : undefined, filters: { JSON: ['json'] } });
  if (!uri) return undefined;
  try {
    await engine.request(Requests.exportSpecializedSubnet, { id: run.id, limit, path: uri.fsPath });
    void vscode.window.showInformationMessage(`Exported ${subnet?.description ?? `the sub-network for ${limit}`} to ${vscode.workspace.asRelativePath(uri)}.`);
    return uri.fsPath;
  } catch (e) {
    await showEngineError(e, engine.output, { runId: run.id });
    return undefined;
  }
}

/** "Show Specialization Curve": the run of an explorer row, or one picked among the specializations. Returns the run id. */
export async function showSpecializationCurve(tree: RunsTree, panels: ViewPanels, target: CommandTarget): Promise<string | undefined> {
  const id = runIdOf(target);
  const runs = tree.all().filter((s): s is SpecializationRunSummary => s.kind === 'specialization');
  let run = id ? runs.find((s) => s.id === id) : runs.length === 1 ? runs[0] : undefined;
  if (!run) {
    if (runs.length === 0) {
      void vscode.window.showInformationMessage('No specialization yet. Run "NAS Studio: Specialize Sub-network" first.');
      return undefined;
    }
    run = (await vscode.window.showQuickPick(runs.map((s) => ({ label: s.name, description: `${s.request.limits.join(', ')} ${s.efficiency.unit}`, run: s })), { title: 'Show the curve of which specialization?' }))?.run;
  }
  if (!run) return undefined;
  panels.openRunView('specialization', run.id);
  return run.id;
}
