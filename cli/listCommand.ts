import { ExperimentStore } from '../server/store/experimentStore';
import { loadExperimentState, summarize } from '../server/store/experimentState';
import { formatMetric, table } from '../server/report/format';
import { parseArgs, UsageError } from './args';
import { experimentsRoot } from './root';
import { printResultTable } from './resultTable';

/** `nas-studio list`: every experiment under the root with status, progress and best result. */
export async function listCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['json'], ['root']);
  if (args.positionals.length > 0) throw new UsageError('usage: nas-studio list [--root DIR] [--json]');
  const root = experimentsRoot(args);
  const summaries = new ExperimentStore(root).list().map((f) => summarize(loadExperimentState(f)));
  if (args.flags.has('json')) {
    console.log(JSON.stringify(summaries));
    return 0;
  }
  if (summaries.length === 0) {
    console.log(`no experiments in ${root}`);
    return 0;
  }
  console.log(
    table(
      ['id', 'status', 'trials', 'best'],
      summaries.map((s) => {
        const o = s.objectives[0];
        const best = s.best && o ? `${o.metric}=${formatMetric(o.metric, s.best.metrics[o.metric])}  ${s.best.description}` : '-';
        return [s.id, s.status, `${s.trials}/${s.budget}`, best];
      }),
    ),
  );
  return 0;
}

/** `nas-studio show ID`: one experiment's result table. */
export async function showCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['json'], ['root', 'top']);
  if (args.positionals.length !== 1) throw new UsageError('usage: nas-studio show ID|DIR [--root DIR] [--json]');
  const files = new ExperimentStore(experimentsRoot(args)).find(args.positionals[0]);
  if (!files) {
    console.error(`no experiment "${args.positionals[0]}" in ${experimentsRoot(args)}`);
    return 2;
  }
  const state = loadExperimentState(files);
  if (args.flags.has('json')) {
    console.log(JSON.stringify({ ...summarize(state), trials: state.trials }));
    return 0;
  }
  const s = summarize(state);
  console.log(`${s.name} (${s.id}): ${s.status}, ${s.trials}/${s.budget} trials${s.error ? `\nerror: ${s.error}` : ''}\nfolder: ${s.dir}`);
  printResultTable(state, console.log, 10);
  return 0;
}
