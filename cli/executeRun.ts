import type { BackendChoice } from '../contract/backends';
import { isInputError } from '../contract/errors';
import type { RunKindId } from '../contract/runs';
import { NasError } from '../server/core/errors';
import type { RunService } from '../server/runs/runService';
import type { RunLocation } from '../server/store/runStore';
import { type CommandIo, EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK } from './commandSupport';
import { runConsoles } from './runConsoles';

export interface ExecuteOptions {
  readonly json: boolean;
  readonly backend: BackendChoice;
  readonly signal: AbortSignal;
  readonly io: CommandIo;
}

/**
 * Runs (or resumes) a run with live console output, then prints what it found and, with
 * --json, one JSON object as the last line. Exit code: 0 finished, 130 stopped, 2 when it failed
 * on bad input (a dataset that does not load), 1 when the work failed.
 */
export async function executeWithConsole(service: RunService, location: RunLocation, options: ExecuteOptions): Promise<number> {
  const { json, io } = options;
  const out = json ? io.err : io.out;
  const before = service.read(location);
  if (!before.readable) throw new NasError('damaged', `run ${location.id} cannot be read: ${before.summary.damage?.[0] ?? 'unknown problem'}`);
  const console = runConsoles[before.kind.id];
  const printer = console.printer(before.view, out, json ? process.stderr : process.stdout);
  let outcome;
  try {
    outcome = await service.execute(location, { signal: options.signal, events: printer.events, backend: options.backend });
  } finally {
    printer.close();
  }
  const after = service.read(location);
  if (!after.readable) throw new NasError('damaged', `run ${location.id} cannot be read: ${after.summary.damage?.[0] ?? 'unknown problem'}`);
  const summary = service.summary(location);
  const inputError = outcome.status === 'failed' && outcome.errorKind !== undefined && isInputError(outcome.errorKind);
  if (!inputError) for (const line of console.result(after.view, summary, 5)) out(line);
  out(`${label(after.kind.id)} ${location.id} ${outcome.status}${outcome.error ? `: ${outcome.error}` : ''} (${after.view.folder.dir})`);
  if (json) io.out(JSON.stringify(console.json(after.view, summary)));
  if (outcome.status === 'finished') return EXIT_OK;
  if (outcome.status === 'stopped') return EXIT_INTERRUPTED;
  return inputError ? EXIT_BAD_INPUT : EXIT_FAILURE;
}

function label(kind: RunKindId): string {
  return kind === 'search' ? 'experiment' : 'run';
}
