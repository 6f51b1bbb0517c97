/**
 * What the editor does about a failed engine request, decided from the error's kind and data
 * (contract/errors.ts) alone: point at the problem, offer to locate a missing file, or say
 * what happened once. Pure; showEngineError.ts carries it out.
 */
import * as path from 'node:path';
import { errorKindOf, isErrorKind, type ErrorData, type ErrorKind } from '../../contract/errors';
import { formatOptionPath } from './specOptionEdit';

/** A failed request as the client receives it: a JSON-RPC error code, message and data. */
export interface EngineFailure {
  readonly kind: ErrorKind;
  readonly message: string;
  readonly data?: ErrorData;
}

export type ErrorAction =
  /** The user cancelled: nothing to say. */
  | { readonly do: 'nothing' }
  /** Open the spec and select the problem (its diagnostics underline it already). */
  | { readonly do: 'open-problem'; readonly message: string; readonly specPath: string; readonly start: number; readonly end: number }
  /** Say which file is missing and offer to pick it; the choice rewrites the spec option. `detail` (the full path) goes to the output channel. */
  | { readonly do: 'locate'; readonly message: string; readonly detail: string; readonly specPath: string; readonly optionPath: readonly (string | number)[]; readonly pick: 'file' | 'folder' }
  /** One message; a `detail` too long for a notification goes to the output channel ("Show Details" opens it). */
  | { readonly do: 'show'; readonly severity: 'error' | 'warning'; readonly message: string; readonly detail?: string; readonly button?: 'Manage Workspace Trust' | 'Show Engine Log' | 'Show Details' };

/** The engine failure a rejected request carries; undefined for errors of the editor's own (no JSON-RPC code). */
export function engineFailureOf(error: unknown): EngineFailure | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message, data } = error as { code?: unknown; message?: unknown; data?: unknown };
  if (typeof code !== 'number') return undefined;
  const kind = errorKindOf(code);
  const withData = typeof data === 'object' && data !== null && isErrorKind((data as ErrorData).kind) ? { data: data as ErrorData } : {};
  return { kind, message: typeof message === 'string' ? message : kind, ...withData };
}

/** A missing path with a file extension is looked for as a file, one without as a folder (datasets, lookup tables). */
function pickFor(missing: string | undefined): 'file' | 'folder' {
  return missing && path.extname(missing) !== '' ? 'file' : 'folder';
}

/** `runId`: the run the request was about, to name it in `nas-studio repair`. */
export function errorAction(failure: EngineFailure, context: { readonly runId?: string } = {}): ErrorAction {
  const { kind, data } = failure;
  const message = `NAS Studio: ${failure.message}`;
  switch (kind) {
    case 'cancelled':
      return { do: 'nothing' };
    case 'invalid-spec': {
      const first = data?.problems?.[0];
      if (data?.specPath && first) return { do: 'open-problem', message, specPath: data.specPath, start: first.start, end: first.end };
      return { do: 'show', severity: 'error', message };
    }
    case 'missing-data':
      // Short enough for a notification: the file's name and the option naming it (the full path is in the problem's hover).
      if (data?.specPath && data.optionPath) {
        const missing = data.file ? `${path.basename(data.file)} does not exist` : failure.message;
        return {
          do: 'locate',
          message: `NAS Studio: ${missing} (${formatOptionPath(data.optionPath)} in ${path.basename(data.specPath)}).`,
          detail: `${failure.message} (${formatOptionPath(data.optionPath)} in ${data.specPath})`,
          specPath: data.specPath,
          optionPath: data.optionPath,
          pick: pickFor(data.file),
        };
      }
      if (data?.file) return { do: 'show', severity: 'error', message: `NAS Studio: ${path.basename(data.file)} does not exist.`, detail: failure.message, button: 'Show Details' };
      return { do: 'show', severity: 'error', message };
    case 'untrusted':
      return { do: 'show', severity: 'warning', message, button: 'Manage Workspace Trust' };
    case 'busy':
      return { do: 'show', severity: 'warning', message };
    case 'damaged':
      return {
        do: 'show',
        severity: 'error',
        message: message.includes('nas-studio repair') ? message : `${message}. Run \`nas-studio repair ${context.runId ?? 'ID'}\` in a terminal to check its journal (with --yes it rewrites a clean one).`,
      };
    case 'internal':
      return { do: 'show', severity: 'error', message, button: 'Show Engine Log' };
    case 'not-found':
    case 'invalid-data':
    case 'unavailable':
    case 'invalid-request':
    case 'failed':
      return { do: 'show', severity: 'error', message };
  }
}
