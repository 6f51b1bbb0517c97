/**
 * The spec files of the workspace (every run kind's suffix): found for "Run a Spec…", counted
 * into the `nasStudio.hasSpecs` context key the explorer's welcome view shows its offer by.
 */
import * as vscode from 'vscode';
import { SPEC_FILE_KINDS } from '../contract/protocol';
import type { SpecKind } from './commands/resolveTargets';

const GLOB = `**/*{${SPEC_FILE_KINDS.map((k) => k.suffix).join(',')}}`;
const EXCLUDE = '**/node_modules/**';

export interface SpecFile {
  readonly uri: vscode.Uri;
  readonly kind: SpecKind;
}

/** The kind of run a spec file makes, by its suffix. */
export function specKindOf(uri: vscode.Uri): SpecKind | undefined {
  return SPEC_FILE_KINDS.find((k) => uri.path.endsWith(k.suffix))?.kind as SpecKind | undefined;
}

/** Every spec file in the workspace (at most `limit`), sorted by path. */
export async function findSpecFiles(limit = 500): Promise<SpecFile[]> {
  const uris = await vscode.workspace.findFiles(GLOB, EXCLUDE, limit);
  return uris
    .flatMap((uri) => {
      const kind = specKindOf(uri);
      return kind ? [{ uri, kind }] : [];
    })
    .sort((a, b) => a.uri.path.localeCompare(b.uri.path));
}

/** Keeps `nasStudio.hasSpecs` true while the workspace holds a spec file. */
export class SpecFilesContext implements vscode.Disposable {
  private readonly watcher = vscode.workspace.createFileSystemWatcher(GLOB);
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly log: (message: string) => void) {
    const update = () => void this.update();
    this.subscriptions = [this.watcher.onDidCreate(update), this.watcher.onDidDelete(update), this.watcher];
    update();
  }

  private async update(): Promise<void> {
    try {
      const found = await vscode.workspace.findFiles(GLOB, EXCLUDE, 1);
      await vscode.commands.executeCommand('setContext', 'nasStudio.hasSpecs', found.length > 0);
    } catch (e) {
      this.log(`could not look for spec files: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
