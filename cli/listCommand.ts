import { parseArgs } from 'node:util';
import { table } from '../contract/format';
import type { RunSummary } from '../contract/runs';
import { extentLine } from '../contract/runText';
import { type CommandIo, guardCommand, processIo, UsageError } from './commandSupport';
import { openRuns, rootOption } from './root';
import { runConsoles } from './runConsoles';

export const LIST_USAGE = 'usage: nas-studio list [--root DIR] [--json]\n  Every run (searches, supernet trainings, specializations) with status, progress and result, newest first; damaged runs with the reason.';
export const SHOW_USAGE = 'usage: nas-studio show ID|DIR [--root DIR] [--json]\n  One run: status and what it found (a search: the best architecture and its top trials; a supernet training: its epochs; a specialization: its sub-networks).';

/** The `best` cell of a run's row. */
function resultCell(summary: RunSummary): string {
  if (summary.kind === 'unreadable') return `damaged: ${summary.damage?.[0] ?? ''}`;
  const result = runConsoles[summary.kind].listResult(summary);
  return summary.status === 'damaged' ? `damaged: ${summary.damage?.[0] ?? ''}` : result;
}

/** `nas-studio list`: every run under the root with status, progress and result. */
export async function listCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return guardCommand(io, LIST_USAGE, async () => {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...rootOption, json: { type: 'boolean', default: false } } });
    if (positionals.length > 0) throw new UsageError('list takes no arguments');
    const service = openRuns(values.root);
    const summaries = service.list();
    if (values.json) io.out(JSON.stringify(summaries));
    else if (summaries.length === 0) io.out(`no runs in ${service.root}`);
    else io.out(table(['id', 'status', 'progress', 'best'], summaries.map((s) => [s.id, s.status, extentLine(s), resultCell(s)])));
  });
}

/** `nas-studio show ID`: one run's result. */
export async function showCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return guardCommand(io, SHOW_USAGE, async () => {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...rootOption, json: { type: 'boolean', default: false } } });
    if (positionals.length !== 1) throw new UsageError('expected one run id or folder');
    const service = openRuns(values.root);
    const location = service.find(positionals[0]);
    const run = service.read(location);
    const summary = service.summary(location);
    if (!run.readable) {
      if (values.json) io.out(JSON.stringify(summary));
      else io.out(`${summary.id}: damaged, it cannot be read: ${summary.damage?.join('; ')}\nfolder: ${summary.dir}`);
      return;
    }
    const console = runConsoles[run.kind.id];
    if (values.json) {
      io.out(JSON.stringify(console.showJson(run.view, summary)));
      return;
    }
    for (const line of console.show(run.view, summary)) io.out(line);
    if (summary.damage) io.out(`damaged (nas-studio repair ${summary.id} rewrites a clean journal):\n  ${summary.damage.join('\n  ')}`);
  });
}
