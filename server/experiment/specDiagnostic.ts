import { formatJsonPath, type JsonPath } from '../core/errors';

/** A quick fix for a diagnostic: new text for a range of the spec, or a file or folder to choose for an option. */
export type SpecFix =
  | { readonly title: string; readonly start: number; readonly end: number; readonly text: string }
  | { readonly title: string; readonly choose: 'file' | 'folder'; readonly optionPath: JsonPath };

/** A problem in a spec file, anchored to the range of the text it is about. */
export interface SpecDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** Character offsets into the spec text. */
  readonly start: number;
  readonly end: number;
  readonly path: JsonPath;
  /** What the editor offers to do about it (did you mean…, clamp, choose a file). */
  readonly fixes?: readonly SpecFix[];
}

/** `strategy.population`, `objectives[0].metric`; keys that are not names as `["a b"]`; the root is "the spec". */
export function formatPath(path: JsonPath): string {
  return formatJsonPath(path, 'the spec');
}

export { quoted } from '../core/errors';

/**
 * Diagnostics listed for one spec. A file can hold tens of thousands of problems (a generated
 * list of bad entries); past the first ones they only bury the editor and the terminal.
 */
export const MAX_DIAGNOSTICS = 100;

/**
 * At most MAX_DIAGNOSTICS diagnostics, errors before warnings when some must go, then one
 * diagnostic that counts the rest, placed where the first of them is.
 */
export function limitDiagnostics(diagnostics: readonly SpecDiagnostic[]): readonly SpecDiagnostic[] {
  if (diagnostics.length <= MAX_DIAGNOSTICS) return diagnostics;
  const ordered = [...diagnostics.filter((d) => d.severity === 'error'), ...diagnostics.filter((d) => d.severity === 'warning')];
  const rest = ordered.slice(MAX_DIAGNOSTICS);
  const first = rest[0];
  const summary: SpecDiagnostic = {
    severity: first.severity,
    message: `...and ${rest.length} more problems (only the first ${MAX_DIAGNOSTICS} are listed; fix those and validate again)`,
    start: first.start,
    end: first.end,
    path: first.path,
  };
  return [...ordered.slice(0, MAX_DIAGNOSTICS), summary];
}
