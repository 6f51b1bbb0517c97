import { parseArgs } from 'node:util';
import { type CommandIo, guardCommand, processIo, UsageError } from './commandSupport';
import { findExperiment } from './findExperiment';
import { rootOption } from './root';
import { runAndReport } from './runCommand';

export const RESUME_USAGE = 'usage: nas-studio resume ID|DIR [--root DIR] [--json]\n  Continues a stopped or interrupted experiment from its journal.';

/** `nas-studio resume ID`: continue a stopped or interrupted experiment from its journal. */
export async function resumeCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return guardCommand(io, RESUME_USAGE, async (signal) => {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...rootOption, json: { type: 'boolean', default: false } } });
    if (positionals.length !== 1) throw new UsageError('expected one experiment id or folder');
    return runAndReport(findExperiment(positionals[0], values.root), values.json, signal, io);
  });
}
