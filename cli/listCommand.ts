import { parseArgs } from 'node:util';
import { ExperimentStore } from '../server/store/experimentStore';
import { loadExperimentState, summarize } from '../server/store/experimentState';
import { formatMetric, table, formatPercent } from '../contract/format';
import { type CommandIo, guardCommand, processIo, UsageError } from './commandSupport';
import { findExperiment } from './findExperiment';
import { experimentsRoot, rootOption } from './root';
import { printResultTable } from './resultTable';
import { epochLine } from './trainingPrinter';
import type { TrainingSummary } from '../contract/protocol';

/** `largest 98.12% smallest 96.40%` (validation accuracy after the last epoch). */
function supernetResult(t: TrainingSummary): string {
  if (t.accuracy === undefined || t.smallestAccuracy === undefined) return '-';
  return `val largest ${formatPercent(t.accuracy)} smallest ${formatPercent(t.smallestAccuracy)}`;
}

export const LIST_USAGE = 'usage: nas-studio list [--root DIR] [--json]\n  Experiments and supernet training runs with status, progress and best result, newest first.';
export const SHOW_USAGE = 'usage: nas-studio show ID|DIR [--root DIR] [--json]\n  One experiment: status, best architecture and its top trials (a supernet run: its epochs).';

/** `nas-studio list`: every experiment under the root with status, progress and best result. */
export async function listCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return guardCommand(io, LIST_USAGE, async () => {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...rootOption, json: { type: 'boolean', default: false } } });
    if (positionals.length > 0) throw new UsageError('list takes no arguments');
    const root = experimentsRoot(values.root);
    const summaries = new ExperimentStore(root).list().map((f) => summarize(loadExperimentState(f)));
    if (values.json) return io.out(JSON.stringify(summaries));
    if (summaries.length === 0) return io.out(`no experiments in ${root}`);
    const rows = summaries.map((s) => {
      if (s.training) return [s.id, s.status, `epoch ${s.training.epoch}/${s.training.epochs}`, supernetResult(s.training)];
      const o = s.objectives[0];
      const best = s.best && o ? `${o.metric}=${formatMetric(o.metric, s.best.metrics[o.metric])}  ${s.best.description}` : '-';
      return [s.id, s.status, `${s.trials}/${s.budget}`, best];
    });
    io.out(table(['id', 'status', 'progress', 'best'], rows));
  });
}

/** `nas-studio show ID`: one experiment's result table. */
export async function showCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return guardCommand(io, SHOW_USAGE, async () => {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...rootOption, json: { type: 'boolean', default: false } } });
    if (positionals.length !== 1) throw new UsageError('expected one experiment id or folder');
    const state = loadExperimentState(findExperiment(positionals[0], values.root));
    const s = summarize(state);
    if (state.training) {
      if (values.json) return io.out(JSON.stringify({ ...s, epochs: state.training.epochs }));
      io.out(`${s.name} (${s.id}): supernet training ${s.status}, epoch ${s.training!.epoch}/${s.training!.epochs}${s.error ? `\nerror: ${s.error}` : ''}\nfolder: ${s.dir}`);
      for (const record of state.training.epochs) io.out(epochLine(record));
      return;
    }
    if (values.json) return io.out(JSON.stringify({ ...s, trials: state.trials }));
    io.out(`${s.name} (${s.id}): ${s.status}, ${s.trials}/${s.budget} trials${s.error ? `\nerror: ${s.error}` : ''}\nfolder: ${s.dir}`);
    printResultTable(state, io.out, 10);
  });
}
