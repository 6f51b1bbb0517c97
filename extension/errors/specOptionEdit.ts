/**
 * Rewrites one option of a spec file's text (what "Locate…" does with the file the user
 * picked), keeping comments and formatting. Pure: the editor applies the edits to the open
 * document, so the change can be undone.
 */
import * as path from 'node:path';
import { applyEdits, modify, type Edit } from 'jsonc-parser';

/** How the spec names `chosen`: relative to the spec's folder when inside it (with `/`), else absolute. */
export function specPathValue(chosen: string, specDir: string): string {
  const relative = path.relative(specDir, chosen);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return chosen;
  return relative.split(path.sep).join('/');
}

/** The text edits that set the option at `optionPath` to `value`. */
export function specOptionEdits(text: string, optionPath: readonly (string | number)[], value: unknown): Edit[] {
  return modify(text, [...optionPath], value, { formattingOptions: { insertSpaces: true, tabSize: 2, eol: text.includes('\r\n') ? '\r\n' : '\n' } });
}

/** The spec text with the option at `optionPath` naming `chosen` instead. */
export function rewriteSpecOption(text: string, optionPath: readonly (string | number)[], chosen: string, specDir: string): string {
  return applyEdits(text, specOptionEdits(text, optionPath, specPathValue(chosen, specDir)));
}

/** "evaluator.dataset.path", "files[0]": a JSON path as a spec's diagnostics write it. */
export function formatOptionPath(optionPath: readonly (string | number)[]): string {
  return optionPath.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
