import { parseArgs } from 'node:util';
import { type CommandIo, guardCommand, processIo, UsageError } from './commandSupport';
import { findExperiment } from './findExperiment';
import { rootOption } from './root';
import { runAndReport } from './runCommand';
import { readMeta } from '../server/store/experimentStore';
import { trainAndReport } from './trainCommand';

export const RESUME_USAGE =
  'usage: nas-studio resume ID|DIR [--root DIR] [--json]\n  Continues a stopped or interrupted experiment from its journal (a supernet training run from its last checkpoint).';

/** `nas-studio resume ID`: continue a stopped or interrupted experiment or supernet training run. */
export async function resumeCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return guardCommand(io, RESUME_USAGE, async (signal) => {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...rootOption, json: { type: 'boolean', default: false } } });
    if (positionals.length !== 1) throw new UsageError('expected one experiment id or folder');
    const files = findExperiment(positionals[0], values.root);
    const resume = readMeta(files).kind === 'supernet' ? trainAndReport : runAndReport;
    return resume(files, values.json, signal, io);
  });
}
