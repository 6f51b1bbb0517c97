import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runExperiment } from '../server/experiment/runner';
import { setTopLevelKey } from '../server/experiment/specText';
import { validateSpecText } from '../server/experiment/validate';
import { ExperimentStore, type ExperimentFiles } from '../server/store/experimentStore';
import { bestResult, type ExperimentState } from '../server/store/experimentState';
import { paretoTrials } from '../server/experiment/best';
import {
  applyBackendOption,
  type CommandIo,
  EXIT_FAILURE,
  EXIT_INTERRUPTED,
  EXIT_OK,
  guardCommand,
  parseInteger,
  processIo,
  readSpecFile,
  requireValidSpec,
  UsageError,
} from './commandSupport';
import { experimentsRoot, rootOption } from './root';
import { ProgressPrinter } from './progressPrinter';
import { printResultTable } from './resultTable';

export const RUN_USAGE = `usage: nas-studio run SPEC [--out DIR] [--root DIR] [--seed N] [--backend auto|wasm|cpu|tensorflow] [--json]
  Validates SPEC (*.nas.json), creates an experiment folder (DIR with --out) and runs the search
  with a progress bar, a line per trial and a final table. --json: the last line is one JSON
  object {"experiment", "trials", "best": {"arch", "metrics"}}; progress goes to stderr.`;

/** `nas-studio run`: validate a spec, create its experiment folder and run it to the end. */
export async function runExperimentCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return guardCommand(io, RUN_USAGE, async (signal) => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...rootOption, out: { type: 'string' }, seed: { type: 'string' }, backend: { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    if (positionals.length !== 1) throw new UsageError('expected one spec file');
    const specPath = resolve(positionals[0]);
    let text = readSpecFile(specPath);
    const seed = parseInteger(values.seed, 'seed', 0);
    if (seed !== undefined) text = setTopLevelKey(text, 'seed', seed);
    applyBackendOption(values.backend);

    const spec = requireValidSpec(io, specPath, text, validateSpecText(text, { file: specPath, baseDir: dirname(specPath) }));
    const files = new ExperimentStore(experimentsRoot(values.root)).create(spec.name, text, specPath, values.out);
    return runAndReport(files, values.json, signal, io);
  });
}

/** Runs (or resumes) an experiment folder with console progress; the signal stops it cleanly. */
export async function runAndReport(files: ExperimentFiles, json: boolean, signal: AbortSignal, io: CommandIo): Promise<number> {
  const out = json ? io.err : io.out;
  const printer = new ProgressPrinter(files, out, json ? process.stderr : process.stdout);
  const outcome = await runExperiment(files, signal, printer.events).finally(() => printer.close());
  printResultTable(outcome.state, out);
  out(`experiment ${files.id} ${outcome.status}${outcome.error ? `: ${outcome.error}` : ''} (${files.dir})`);
  if (json) io.out(JSON.stringify(resultJson(outcome.state)));
  return outcome.status === 'finished' ? EXIT_OK : outcome.status === 'stopped' ? EXIT_INTERRUPTED : EXIT_FAILURE;
}

/** The one-line machine-readable result of `run --json`. */
export function resultJson(state: ExperimentState): Record<string, unknown> {
  const best = bestResult(state);
  return {
    experiment: state.files.id,
    status: state.status,
    trials: state.trials.length,
    best: best ? { trial: best.trial, arch: best.arch, description: best.description, metrics: best.metrics } : null,
    ...(state.spec && state.spec.objectives.length > 1
      ? {
          pareto: paretoTrials(state.trials, state.spec.objectives).map((n) => {
            const t = state.trials.find((x) => x.trial === n)!;
            return { trial: n, arch: t.arch, metrics: t.metrics };
          }),
        }
      : {}),
  };
}
