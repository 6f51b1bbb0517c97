import type { ErrorKind } from '../../contract/errors';

/** Location inside a JSON document: object keys and array indices from the root. */
export type JsonPath = readonly (string | number)[];

/** `strategy.population`, `objectives[0].metric`; keys that are not names as `["a b"]`; `whole` for the root. */
export function formatJsonPath(path: JsonPath, whole: string): string {
  const step = (s: string, p: string | number) => {
    if (typeof p === 'number') return `${s}[${p}]`;
    if (!/^[A-Za-z_$][\w$-]*$/.test(p)) return `${s}[${quoted(p)}]`;
    return s ? `${s}.${p}` : p;
  };
  return path.reduce<string>(step, '') || whole;
}

/**
 * Text from a user's file inside a message: in quotes, escaped (a key may hold line breaks or
 * control characters) and cut short (or one key could fill the terminal).
 */
export function quoted(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}...` : text);
}

/** Base of the engine's typed errors; `code` is what the protocol, the CLI and the editor act on. */
export class NasError extends Error {
  constructor(
    readonly code: ErrorKind,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A problem in an experiment spec, anchored to the JSON value it is about. */
export class SpecError extends NasError {
  constructor(
    message: string,
    readonly path: JsonPath,
    /** When the problem is the key itself (unknown key), not its value. */
    readonly atKey = false,
  ) {
    super('invalid-spec', message);
  }
}

/** A dataset, table or weights file that is missing, unreadable or malformed. */
export class DataError extends NasError {
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super('invalid-data', file && !message.includes(file) ? `${file}: ${message}` : message);
  }
}

/**
 * A file or folder the spec names does not exist (the editor offers "Locate…" for it). The
 * message says what was expected there.
 */
export class MissingFileError extends DataError {
  override readonly code: ErrorKind = 'missing-data';
}

/**
 * Infrastructure the run depends on (Redis, a worker machine) is unreachable or failed. Not the
 * user's input and not the architecture's fault: the run stops resumable, and trials cut off
 * by it run again on resume.
 */
export class UnavailableError extends NasError {
  constructor(message: string) {
    super('unavailable', message);
  }
}

/** The work was cancelled by the user. */
export class CancelledError extends NasError {
  constructor(message = 'cancelled') {
    super('cancelled', message);
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
