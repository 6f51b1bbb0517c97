import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../../server/core/errors';
import { formatPercent } from '../../contract/format';
import { Requests, type SubnetChoice, type SubnetExport } from '../../contract/protocol';
import { extentLine } from '../../contract/runText';
import type { SupernetRunSummary } from '../../contract/runs';
import type { EngineClient } from '../engineClient';
import { showEngineError } from '../errors/showEngineError';
import { exportsFolder } from '../panels/liveView';
import type { RunsTree } from '../runs/runsTree';
import { requireTrust } from './requireTrust';
import { runIdOf, type CommandTarget } from './resolveTargets';

/** Supernet runs with at least one finished epoch (a checkpoint to export from). */
function trainedRuns(tree: RunsTree): SupernetRunSummary[] {
  return tree.all().filter((s): s is SupernetRunSummary => s.kind === 'supernet' && s.training.epoch > 0);
}

async function pickRun(tree: RunsTree): Promise<SupernetRunSummary | undefined> {
  const runs = trainedRuns(tree);
  if (runs.length === 0) {
    void vscode.window.showInformationMessage('No trained supernet yet: train one with "NAS Studio: Train Supernet".');
    return undefined;
  }
  if (runs.length === 1) return runs[0];
  const picked = await vscode.window.showQuickPick(
    runs.map((s) => ({ label: s.name, description: `${s.status} · ${extentLine(s)}`, detail: s.id, summary: s })),
    { title: 'Export a sub-network of which supernet?', matchOnDetail: true, ignoreFocusOut: true },
  );
  return picked?.summary;
}

/** Largest, smallest, or an architecture file (e.g. a search's exports/best.arch.json); with the output folder's name. */
async function pickSubnet(run: SupernetRunSummary): Promise<{ choice: SubnetChoice; name: string } | undefined> {
  const t = run.training;
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'Largest sub-network', description: t.accuracy !== undefined ? `validation ${formatPercent(t.accuracy)}` : undefined, choice: 'largest' as const },
      { label: 'Smallest sub-network', description: t.smallestAccuracy !== undefined ? `validation ${formatPercent(t.smallestAccuracy)}` : undefined, choice: 'smallest' as const },
      { label: '$(file) From an architecture file…', description: '{"ks": [...], "e": [...], "d": [...], "r": N}, e.g. a search\'s best.arch.json', choice: 'file' as const },
    ],
    { title: `Export which sub-network of ${run.name}?`, ignoreFocusOut: true },
  );
  if (!picked) return undefined;
  if (picked.choice !== 'file') return { choice: picked.choice, name: picked.choice };
  const files = await vscode.window.showOpenDialog({
    title: 'Architecture to export',
    canSelectFiles: true,
    filters: { Architecture: ['json'] },
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  const file = files?.[0];
  if (!file) return undefined;
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
  try {
    return { choice: JSON.parse(text) as SubnetChoice, name: path.basename(file.fsPath).replace(/(\.arch)?\.json$/, '') };
  } catch (e) {
    throw new Error(`${file.fsPath} is not valid JSON: ${errorMessage(e)}`);
  }
}

/**
 * "NAS Studio: Export Supernet Sub-network": a sub-network of a trained supernet as a TF.js
 * Layers model in `<run>/exports/<name>/` (model.json, weights.bin, subnet.json), exported by the
 * engine with its batch norms recalibrated and the reloaded files checked. Returns what was
 * written (for tests).
 */
export async function exportSupernetSubnet(engine: EngineClient, tree: RunsTree, target: CommandTarget): Promise<SubnetExport | undefined> {
  if (!requireTrust('export sub-networks')) return undefined;
  const id = runIdOf(target);
  try {
    const run = id ? tree.summary(id) : await pickRun(tree);
    if (!run) return undefined;
    if (run.kind !== 'supernet') throw new Error(`${run.name} is not a supernet training run`);
    const subnet = await pickSubnet(run);
    if (!subnet) return undefined;
    const outDir = vscode.Uri.joinPath(exportsFolder(run), subnet.name).fsPath;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `NAS Studio: exporting the ${subnet.name} sub-network of ${run.name}…`, cancellable: true },
      (_progress, token) => engine.request(Requests.exportSupernetSubnet, { id: run.id, arch: subnet.choice, outDir }, token),
    );
    const summary =
      `Exported ${result.description} to ${result.dir}: validation ${formatPercent(result.valAccuracy)}, ${result.params.toLocaleString('en-US')} params, ` +
      `${(result.flops / 1e6).toFixed(2)} MFLOPs, ${result.latencyMs.toFixed(2)} ms per image; the reloaded model matches the supernet (max |Δlogit| ${result.reloadMaxDifference.toExponential(1)}).`;
    void vscode.window.showInformationMessage(summary, 'Open subnet.json').then((choice) => {
      if (choice) void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(path.join(result.dir, 'subnet.json')));
    });
    return result;
  } catch (e) {
    await showEngineError(e, engine.output, { runId: id });
    return undefined;
  }
}
