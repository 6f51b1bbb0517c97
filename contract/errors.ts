/**
 * What went wrong, named the same way on every side: the engine's typed errors carry one of
 * these kinds, a failed JSON-RPC request carries the matching code (one-to-one), the CLI turns
 * it into an exit code and the editor acts on it (open the problem, offer "Locate…", stay
 * silent on a cancellation).
 */
export const ERROR_CODES = {
  /** The spec does not validate; `data.diagnostics` lists the problems. */
  'invalid-spec': -32001,
  /** The workspace is not trusted: nothing runs. */
  untrusted: -32002,
  /** No run (or trial, or sub-network) by that id. */
  'not-found': -32003,
  /** The run is already running (here or in another process). */
  busy: -32004,
  /** A file or folder the spec names does not exist; `data.file` says which. */
  'missing-data': -32005,
  /** A dataset, table or weights file exists but is malformed. */
  'invalid-data': -32006,
  /** The run folder cannot be read (its journal or spec snapshot is damaged); `nas-studio repair` fixes the journal. */
  damaged: -32007,
  /** Infrastructure the run needs (Redis, a backend) is unavailable; the run stays resumable. */
  unavailable: -32008,
  /** The request's parameters are wrong (a bad architecture, a run of another kind). */
  'invalid-request': -32009,
  /** The work itself failed (trials failed in a row, a training diverged). */
  failed: -32010,
  /** LSP's RequestCancelled: the user cancelled; nothing to show. */
  cancelled: -32800,
  /** A bug in NAS Studio; the engine log has the stack. */
  internal: -32603,
} as const;

export type ErrorKind = keyof typeof ERROR_CODES;

/** Where in the user's files an error points, when it points somewhere (the `data` of a failed request). */
export interface ErrorData {
  readonly kind: ErrorKind;
  /** The missing or malformed file. */
  readonly file?: string;
  /** The spec file the problem is in, or whose option names the missing file. */
  readonly specPath?: string;
  /** JSON path of the spec option naming the missing file (what "Locate…" rewrites). */
  readonly optionPath?: readonly (string | number)[];
  /** Invalid specs: the problems, as character ranges of the spec text. */
  readonly problems?: readonly { readonly message: string; readonly start: number; readonly end: number }[];
}

const KIND_BY_CODE = new Map<number, ErrorKind>(Object.entries(ERROR_CODES).map(([kind, code]) => [code, kind as ErrorKind]));

/** The kind of a JSON-RPC error code; codes NAS Studio does not define are internal errors. */
export function errorKindOf(code: number): ErrorKind {
  return KIND_BY_CODE.get(code) ?? 'internal';
}

/** Kinds that mean "the input was wrong" (CLI exit code 2) rather than "the work failed" (1). */
export function isInputError(kind: ErrorKind): boolean {
  return kind !== 'failed' && kind !== 'unavailable' && kind !== 'internal' && kind !== 'cancelled';
}

export function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}
