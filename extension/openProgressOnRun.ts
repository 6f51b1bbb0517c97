import * as vscode from 'vscode';
import { SPEC_FILE_KINDS } from '../contract/protocol';
import type { RunKindId } from '../contract/runs';

/** Kinds of run the progress view follows live: searches (best so far, per-trial curves), supernet trainings, AdaNet ensembles. */
const LIVE_KINDS: ReadonlySet<RunKindId> = new Set(['search', 'supernet', 'ensemble']);

/** The kind of run a spec file makes, by its name. */
export function kindOfSpecPath(specPath: string): RunKindId | undefined {
  return SPEC_FILE_KINDS.find((k) => specPath.endsWith(k.suffix))?.kind;
}

/** With `nasStudio.openProgressOnRun`: opens the progress view of a run the editor just started or resumed. */
export function openProgressOnRun(id: string, kind: string | undefined): void {
  if (!kind || !LIVE_KINDS.has(kind as RunKindId)) return;
  if (!vscode.workspace.getConfiguration('nasStudio').get<boolean>('openProgressOnRun', false)) return;
  void vscode.commands.executeCommand('nasStudio.showProgress', [id]);
}
