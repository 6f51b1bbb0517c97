import { parseArgs } from 'node:util';
import { backendOption, type CommandIo, guardCommand, processIo, UsageError } from './commandSupport';
import { executeWithConsole } from './executeRun';
import { openRuns, rootOption } from './root';

export const RESUME_USAGE = `usage: nas-studio resume ID|DIR [--root DIR] [--backend auto|wasm|cpu|tensorflow] [--json]
  Continues a stopped, interrupted or failed run where its journal ends (a search replays its
  finished trials, a supernet training restarts from its last checkpoint, a specialization
  searches the limits not done yet). A finished run is left as it is; a damaged one is refused
  (see nas-studio repair).`;

/** `nas-studio resume ID`: continue any kind of run. */
export async function resumeCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return guardCommand(io, RESUME_USAGE, async (signal) => {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...rootOption, backend: { type: 'string' }, json: { type: 'boolean', default: false } } });
    if (positionals.length !== 1) throw new UsageError('expected one run id or folder');
    const backend = backendOption(values.backend);
    const service = openRuns(values.root);
    return executeWithConsole(service, service.find(positionals[0]), { json: values.json, backend, signal, io });
  });
}
