import * as vscode from 'vscode';
import type { BackendChoice } from '../contract/backends';

export interface NasSettings {
  readonly experimentsFolder: string;
  readonly backend: BackendChoice;
  readonly resumeInterrupted: boolean;
}

/** The `nasStudio.*` settings (documented in package.json). */
export function readSettings(): NasSettings {
  const c = vscode.workspace.getConfiguration('nasStudio');
  return {
    experimentsFolder: c.get<string>('experimentsFolder', '.nas-studio/experiments'),
    backend: c.get<NasSettings['backend']>('backend', 'auto'),
    resumeInterrupted: c.get<boolean>('resumeInterrupted', true),
  };
}
