import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import * as vscode from 'vscode';
import { Requests, type WarmStartCandidate } from '../../contract/protocol';
import type { EngineClient } from '../engineClient';
import { specOptionEdits } from '../errors/specOptionEdit';

/** Spec files the user asked not to be offered warm starts for (workspace state). */
const DECLINED = 'nasStudio.warmStartDeclined';
/** Sources "Add Warm Start" names: the newest finished searches of the space. */
const SUGGESTED_SOURCES = 3;

/**
 * After Run Experiment started a spec without a warm start: when finished searches of its space
 * exist, offers to name them as the spec's `warmStart` (for its next run), or to stop asking for
 * this spec. Never in the way: a notification the user may ignore.
 */
export async function suggestWarmStart(engine: EngineClient, spec: vscode.Uri, state: vscode.Memento): Promise<void> {
  if ((state.get<string[]>(DECLINED) ?? []).includes(spec.fsPath)) return;
  const document = await vscode.workspace.openTextDocument(spec);
  const value = parse(document.getText()) as { warmStart?: unknown; space?: { type?: unknown }; objectives?: unknown } | undefined;
  if (!value || typeof value !== 'object' || value.warmStart !== undefined || typeof value.space?.type !== 'string') return;
  let candidates: WarmStartCandidate[];
  try {
    const objectiveCount = Array.isArray(value.objectives) ? value.objectives.length : 1;
    candidates = await engine.request(Requests.warmStartCandidates, { space: value.space as { type: string }, objectiveCount });
  } catch {
    return; // a spec the engine cannot read reports its problems elsewhere
  }
  if (candidates.length === 0) return;
  const sources = candidates.slice(0, SUGGESTED_SOURCES);
  const names = sources.map((c) => c.name).join(', ') + (candidates.length > sources.length ? ` and ${candidates.length - sources.length} more` : '');
  const file = path.basename(spec.fsPath);
  const choice = await vscode.window.showInformationMessage(
    `NAS Studio: ${candidates.length} finished search${candidates.length === 1 ? '' : 'es'} of this space (${names}) could warm-start ${file}: its next run would evaluate their best architectures first and start from what they learned.`,
    'Add Warm Start',
    'Not for This Spec',
  );
  if (choice === 'Not for This Spec') await state.update(DECLINED, [...(state.get<string[]>(DECLINED) ?? []), spec.fsPath]);
  if (choice !== 'Add Warm Start') return;
  const edit = new vscode.WorkspaceEdit();
  for (const e of specOptionEdits(document.getText(), ['warmStart'], { runs: sources.map((c) => c.id) })) {
    edit.replace(spec, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.content);
  }
  if (!(await vscode.workspace.applyEdit(edit)) || !(await document.save())) {
    void vscode.window.showErrorMessage(`NAS Studio: could not add a warm start to ${file}.`);
    return;
  }
  void vscode.window.showInformationMessage(`NAS Studio: ${file} now starts from ${sources.map((c) => c.name).join(', ')} (warmStart).`);
}
