import * as vscode from 'vscode';
import { EXPORT_FORMAT_TITLES, EXPORT_FORMATS, type ExportFormat, type ExportModelParams, type ModelExport } from '../../contract/modelExport';
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

/** A finished quantization run the command was invoked on (its row in the explorer): it exports its quantized model to ONNX. */
function quantizationRunOf(target: CommandTarget | { experiment: string; trial: number }): string | undefined {
  if (!target || typeof target !== 'object' || !('kind' in target) || target.kind !== 'run') return undefined;
  return target.summary.kind === 'quantization' ? target.summary.id : undefined;
}

/** Asks the engine for the export behind a progress notification, then says where it went and how it was checked. */
async function runExport(engine: EngineClient, params: ExportModelParams, what: string): Promise<ModelExport> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `NAS Studio: exporting ${what} as ${params.format}…`, cancellable: true },
    (_progress, token) => engine.request(Requests.exportModel, params, token),
  );
  const packed = result.quantization ? ` Kernels packed at their bit widths: ${result.quantization.packedBytes} bytes.` : '';
  void vscode.window.showInformationMessage(`Exported ${what} to ${result.file}. ${checkLine(result)}${packed}`, 'Reveal').then((choice) => {
    if (choice) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(result.file));
  });
  return result;
}

/**
 * "Export Model…" on a trial in the Experiments explorer: a format quick pick (ONNX, TF.js,
 * PyTorch), then the engine exports the trial's trained model (or its sub-network of the
 * supernet) to `<run>/exports/trial-<n>-<format>/` and checks it. On a finished quantization run:
 * its quantized model as ONNX with Q/DQ nodes (the one format it exports to), to
 * `<run>/exports/quantized-onnx/`. Returns what was written (for tests).
 */
export async function exportModel(engine: EngineClient, target: CommandTarget | { experiment: string; trial: number }): Promise<ModelExport | undefined> {
  if (!requireTrust('export models')) return undefined;
  const quantization = quantizationRunOf(target);
  if (quantization) {
    try {
      return await runExport(engine, { id: quantization, format: 'onnx' }, `the quantized model of ${quantization}`);
    } catch (e) {
      await showEngineError(e, engine.output, { runId: quantization });
      return undefined;
    }
  }
  const trial = trialOf(target);
  if (!trial) {
    void vscode.window.showInformationMessage('Export Model works on a trial or a finished quantization run: right-click one in the Experiments view.');
    return undefined;
  }
  try {
    const picked = await vscode.window.showQuickPick(
      EXPORT_FORMATS.map((format) => ({ label: EXPORT_FORMAT_TITLES[format], format })),
      { title: `Export trial ${trial.trial} as` },
    );
    if (!picked) return undefined;
    const format: ExportFormat = picked.format;
    return await runExport(engine, { id: trial.id, trial: trial.trial, format }, `trial ${trial.trial}`);
  } catch (e) {
    await showEngineError(e, engine.output, { runId: trial.id });
    return undefined;
  }
}
