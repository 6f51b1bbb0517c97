import { BACKEND_CHOICES, isBackendChoice, type BackendChoice } from '../contract/backends';
import { isInputError } from '../contract/errors';
import { CancelledError, DataError, NasError } from '../server/core/errors';
import { readSpecFileText } from '../server/experiment/specFile';
import { LineIndex, type SpecDiagnostic } from '../server/experiment/specText';
import { InvalidSpecError } from '../server/runs/runService';

/** Where a command writes: stdout for results, stderr for diagnostics (tests pass collectors). */
export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
}

export const processIo: CommandIo = {
  out: (line) => {
    process.stdout.write(line + '\n');
  },
  err: (line) => {
    process.stderr.write(line + '\n');
  },
};

/** A command-line mistake: printed with the usage text, exit code 2. */
export class UsageError extends Error {}

/** A spec or file problem already printed in full (file:line:col diagnostics): exit code 2. */
export class ReportedError extends Error {}

/** Exit codes: 0 done, 1 unexpected failure, 2 bad arguments or input, 130 interrupted. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERRUPTED = 130;

/**
 * Runs a command body with Ctrl-C wired to an AbortSignal (a second Ctrl-C quits at once) and
 * errors mapped to exit codes and one clear message (the usage text after argument mistakes).
 * The body may return its own exit code.
 */
export async function guardCommand(io: CommandIo, usage: string, body: (signal: AbortSignal) => Promise<number | void>): Promise<number> {
  const controller = new AbortController();
  const interrupt = () => {
    io.err('stopping (Ctrl-C again to quit at once)...');
    controller.abort();
  };
  process.once('SIGINT', interrupt);
  try {
    const code = await body(controller.signal);
    return typeof code === 'number' ? code : EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.err(`error: ${(error as Error).message}`);
      io.err(usage);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof ReportedError) return EXIT_BAD_INPUT;
    if (error instanceof InvalidSpecError) {
      printDiagnostics(io, error.file, error.text, error.diagnostics);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof CancelledError) {
      io.err('interrupted');
      return EXIT_INTERRUPTED;
    }
    // Spec, data, run-state and infrastructure errors: one clear line, no stack.
    if (error instanceof NasError) {
      io.err(`error: ${error.message}`);
      return isInputError(error.code) ? EXIT_BAD_INPUT : EXIT_FAILURE;
    }
    io.err(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return EXIT_FAILURE;
  } finally {
    process.off('SIGINT', interrupt);
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/** "15,20,25" or "from:to:step" (inclusive), e.g. "160:224:4"; at most `maxCount` values. */
export function parseNumberList(text: string, option: string, maxCount = 1000): number[] {
  const range = /^\s*(-?[\d.]+)\s*:\s*(-?[\d.]+)\s*:\s*([\d.]+)\s*$/.exec(text);
  if (range) {
    const [from, to, step] = range.slice(1).map(Number);
    if (!(step > 0) || to < from) throw new UsageError(`--${option} range "${text}" needs from <= to and a positive step`);
    const count = Math.floor((to - from) / step + 1e-9) + 1;
    if (count > maxCount) throw new UsageError(`--${option} range "${text}" gives ${count} values; at most ${maxCount}`);
    const values: number[] = [];
    // Rounding keeps decimal steps (e.g. 0.5) from drifting past `to`.
    for (let k = 0; from + k * step <= to + 1e-9; k++) values.push(Number((from + k * step).toFixed(9)));
    return values;
  }
  const values = text.split(',').map((part) => Number(part.trim()));
  if (text.trim() === '' || values.some((v) => !Number.isFinite(v))) throw new UsageError(`--${option} must be numbers separated by commas or a from:to:step range, got "${text}"`);
  if (values.length > maxCount) throw new UsageError(`--${option} lists ${values.length} values; at most ${maxCount}`);
  return values;
}

export function parseInteger(text: string | undefined, option: string, min: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new UsageError(`--${option} must be an integer >= ${min}, got "${text}"`);
  return value;
}


/** --backend, checked: the TensorFlow.js backend preference handed to the run (default 'auto'). */
export function backendOption(value: string | undefined): BackendChoice {
  if (value === undefined) return 'auto';
  if (!isBackendChoice(value)) throw new UsageError(`--backend must be one of ${BACKEND_CHOICES.join(', ')}, got "${value}"`);
  return value;
}

/** A spec file's text; a missing or unreadable file is a usage error, a device or an oversized file bad input. */
export function readSpecFile(specPath: string): string {
  try {
    return readSpecFileText(specPath);
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new UsageError(`cannot read spec ${specPath} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

/** Spec problems as `file:line:col: severity: message` lines (positions found in one pass). */
export function printDiagnostics(io: CommandIo, specPath: string, text: string, diagnostics: readonly SpecDiagnostic[]): void {
  const lines = new LineIndex(text);
  for (const d of diagnostics) {
    const { line, column } = lines.position(d.start);
    io.err(`${specPath}:${line}:${column}: ${d.severity}: ${d.message}`);
  }
}
