/**
 * `nas-studio`: the NAS engine headless. Same spec files, experiment folders and journal as
 * the editor, so experiments started here show up in the explorer and vice versa.
 */
import { EXIT_BAD_INPUT, EXIT_OK } from './commandSupport';
import { exportSubnetCommand, EXPORT_SUBNET_USAGE } from './exportSubnetCommand';
import { listCommand, LIST_USAGE, showCommand, SHOW_USAGE } from './listCommand';
import { lutCommand, LUT_USAGE } from './lut';
import { reportCommand, REPORT_USAGE } from './reportCommand';
import { resumeCommand, RESUME_USAGE } from './resumeCommand';
import { repairCommand, REPAIR_USAGE } from './repairCommand';
import { runCommand, RUN_USAGE } from './runCommand';
import { specializeCommand, SPECIALIZE_USAGE } from './specialize';
import { trainCommand, TRAIN_USAGE } from './trainCommand';
import { trainPredictorCommand, TRAIN_PREDICTOR_USAGE } from './trainPredictor';
import { workerCommand, WORKER_USAGE } from './workerCommand';

interface Command {
  readonly run: (argv: string[]) => Promise<number>;
  readonly usage: string;
}

const commands: Record<string, Command> = {
  run: { run: runCommand, usage: RUN_USAGE },
  resume: { run: resumeCommand, usage: RESUME_USAGE },
  list: { run: listCommand, usage: LIST_USAGE },
  show: { run: showCommand, usage: SHOW_USAGE },
  report: { run: reportCommand, usage: REPORT_USAGE },
  repair: { run: repairCommand, usage: REPAIR_USAGE },
  specialize: { run: specializeCommand, usage: SPECIALIZE_USAGE },
  lut: { run: lutCommand, usage: LUT_USAGE },
  'train-predictor': { run: trainPredictorCommand, usage: TRAIN_PREDICTOR_USAGE },
  train: { run: trainCommand, usage: TRAIN_USAGE },
  'export-subnet': { run: exportSubnetCommand, usage: EXPORT_SUBNET_USAGE },
  worker: { run: workerCommand, usage: WORKER_USAGE },
};

const HELP = `nas-studio — neural architecture search (the NAS Studio engine, headless)

${Object.values(commands)
  .map((c) => c.usage)
  .join('\n\n')}

Runs live in --root, $NAS_STUDIO_HOME or ./.nas-studio/experiments.
Exit codes: 0 done, 1 failed, 2 bad spec, input or arguments, 130 stopped.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(HELP);
    return name ? EXIT_OK : EXIT_BAD_INPUT;
  }
  const command = commands[name];
  if (!command) {
    console.error(`unknown command "${name}"\n\n${HELP}`);
    return EXIT_BAD_INPUT;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.usage);
    return EXIT_OK;
  }
  return command.run(rest);
}

// A reader that stops early (`nas-studio show X | head -1`) is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
