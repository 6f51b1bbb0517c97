import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ExperimentStore, type ExperimentFiles } from '../server/store/experimentStore';
import { trainingSummary } from '../server/store/experimentState';
import { runSupernetTraining } from '../server/supernet/supernetRunner';
import { validateSupernetSpecText } from '../server/supernet/validateSupernet';
import {
  applyBackendOption,
  type CommandIo,
  EXIT_FAILURE,
  EXIT_INTERRUPTED,
  EXIT_OK,
  guardCommand,
  processIo,
  readSpecFile,
  requireValidSpec,
  UsageError,
} from './commandSupport';
import { experimentsRoot, rootOption } from './root';
import { TrainingPrinter } from './trainingPrinter';

export const TRAIN_USAGE = `usage: nas-studio train SPEC [--out DIR] [--root DIR] [--backend auto|wasm|cpu|tensorflow] [--json]
  Validates SPEC (*.supernet.json), creates a run folder (DIR with --out) and trains the OFA
  supernet: a line per epoch (phase, loss, accuracy of the largest and smallest sub-networks,
  images/s, ETA), a checkpoint after every epoch. A stopped or killed run continues from its last
  checkpoint with nas-studio resume. --json: the last line is one JSON object
  {"experiment", "status", "training": {"epoch", "epochs", "accuracy", "smallestAccuracy", ...}}.`;

/** `nas-studio train`: validate a supernet spec, create its run folder and train it. */
export async function trainCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return guardCommand(io, TRAIN_USAGE, async (signal) => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...rootOption, out: { type: 'string' }, backend: { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    if (positionals.length !== 1) throw new UsageError('expected one supernet spec file');
    const specPath = resolve(positionals[0]);
    const text = readSpecFile(specPath);
    applyBackendOption(values.backend);
    const spec = requireValidSpec(io, specPath, text, validateSupernetSpecText(text, { file: specPath, baseDir: dirname(specPath) }));
    const files = new ExperimentStore(experimentsRoot(values.root)).create(spec.name, text, specPath, values.out, 'supernet');
    return trainAndReport(files, values.json, signal, io);
  });
}

/** Trains (or resumes) a supernet run folder with console progress; the signal stops it after the step in progress. */
export async function trainAndReport(files: ExperimentFiles, json: boolean, signal: AbortSignal, io: CommandIo): Promise<number> {
  const out = json ? io.err : io.out;
  const printer = new TrainingPrinter(files.id, out, json ? process.stderr : process.stdout);
  const outcome = await runSupernetTraining(files, signal, printer.events).finally(() => printer.close());
  const training = outcome.state.training ? trainingSummary(outcome.state.training) : undefined;
  out(`run ${files.id} ${outcome.status}${outcome.error ? `: ${outcome.error}` : ''} (${files.dir})`);
  if (json) io.out(JSON.stringify({ experiment: files.id, status: outcome.state.status, training: training ?? null }));
  return outcome.status === 'finished' ? EXIT_OK : outcome.status === 'stopped' ? EXIT_INTERRUPTED : EXIT_FAILURE;
}
