import type { ErrorKind } from '../../contract/errors';
import { CancelledError, DataError, MissingFileError, NasError, SpecError, UnavailableError, type JsonPath } from '../core/errors';

/**
 * An error thrown in a worker thread, as it crosses to the main thread. Structured cloning keeps
 * only an Error's message, so each class the engine tells apart (a missing dataset file is bad
 * input, exit 2; an unexpected failure is not) travels with its kind and fields and is rebuilt.
 */
export type SerializedError =
  | { readonly kind: 'spec'; readonly message: string; readonly path: JsonPath; readonly atKey: boolean }
  | { readonly kind: 'missing-file' | 'data'; readonly message: string; readonly file?: string }
  | { readonly kind: 'unavailable' | 'cancelled'; readonly message: string }
  | { readonly kind: 'nas'; readonly code: ErrorKind; readonly message: string }
  | { readonly kind: 'internal'; readonly message: string; readonly stack?: string };

export function serializeError(error: unknown): SerializedError {
  const { message } = error instanceof Error ? error : { message: String(error) };
  // Subclasses before their base classes.
  if (error instanceof SpecError) return { kind: 'spec', message, path: error.path, atKey: error.atKey };
  if (error instanceof MissingFileError) return { kind: 'missing-file', message, file: error.file };
  if (error instanceof DataError) return { kind: 'data', message, file: error.file };
  if (error instanceof UnavailableError) return { kind: 'unavailable', message };
  if (error instanceof CancelledError) return { kind: 'cancelled', message };
  if (error instanceof NasError) return { kind: 'nas', code: error.code, message };
  return { kind: 'internal', message, stack: error instanceof Error ? error.stack : undefined };
}

/** The error as the worker threw it: same class, code, message and fields (a DataError keeps its file). */
export function deserializeError(error: SerializedError): Error {
  switch (error.kind) {
    case 'spec':
      return new SpecError(error.message, error.path, error.atKey);
    case 'missing-file':
      return new MissingFileError(error.message, error.file);
    case 'data':
      return new DataError(error.message, error.file);
    case 'unavailable':
      return new UnavailableError(error.message);
    case 'cancelled':
      return new CancelledError(error.message);
    case 'nas':
      return new NasError(error.code, error.message);
    case 'internal': {
      // A bug, not the user's input: a plain Error (exit 1, not 2) keeping the worker's stack for the logs.
      const rebuilt = new Error(error.message);
      if (error.stack) rebuilt.stack = error.stack;
      return rebuilt;
    }
  }
}
