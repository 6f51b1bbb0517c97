import * as vscode from 'vscode';
import { EXPORT_FORMAT_TITLES, EXPORT_FORMATS, type ExportFormat, type ModelExport } from '../../contract/modelExport';
import { Requests } from '../../contract/protocol';
import type { EngineClient } from '../engineClient';
import { showEngineError } from '../errors/showEngineError';
import { requireTrust } from './requireTrust';
import { runIdOf, type CommandTarget } from './resolveTargets';

/** The trial a command was invoked on: an explorer row, or `{experiment, trial}` from a view. */
function trialOf(target: CommandTarget | { experiment: string; trial: number }): { id: string; trial: number } | undefined {
  if (target && typeof target === 'object' && 'experiment' in target) return { id: target.experiment, trial: target.trial };
  const id = runIdOf(target as CommandTarget);
  const trial = target && typeof target === 'object' && 'trial' in target ? target.trial : undefined;
  return id !== undefined && typeof trial === 'number' ? { id, trial } : undefined;
}

/** One line on how the export was checked. */
function checkLine(result: ModelExport): string {
  return 'skipped' in result.check
    ? `Not checked: ${result.check.skipped}.`
    : `Checked in ${result.check.runtime}: max |difference| from TF.js ${result.check.maxDifference.toExponential(1)}.`;
}

/**
 * "Export Model…" on a trial in the Experiments explorer: a format quick pick (ONNX, TF.js,
 * PyTorch), then the engine exports the trial's trained model (or its sub-network of the
 * supernet) to `<run>/exports/trial-<n>-<format>/` and checks it. Returns what was written (for tests).
 */
export async function exportModel(engine: EngineClient, target: CommandTarget | { experiment: string; trial: number }): Promise<ModelExport | undefined> {
  if (!requireTrust('export models')) return undefined;
  const trial = trialOf(target);
  if (!trial) {
    void vscode.window.showInformationMessage('Export Model works on a trial: right-click one in the Experiments view.');
    return undefined;
  }
  try {
    const picked = await vscode.window.showQuickPick(
      EXPORT_FORMATS.map((format) => ({ label: EXPORT_FORMAT_TITLES[format], format })),
      { title: `Export trial ${trial.trial} as` },
    );
    if (!picked) return undefined;
    const format: ExportFormat = picked.format;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `NAS Studio: exporting trial ${trial.trial} as ${format}…`, cancellable: true },
      (_progress, token) => engine.request(Requests.exportModel, { id: trial.id, trial: trial.trial, format }, token),
    );
    void vscode.window.showInformationMessage(`Exported trial ${trial.trial} to ${result.file}. ${checkLine(result)}`, 'Reveal').then((choice) => {
      if (choice) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(result.file));
    });
    return result;
  } catch (e) {
    await showEngineError(e, engine.output, { runId: trial.id });
    return undefined;
  }
}
