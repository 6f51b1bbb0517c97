/**
 * `nas-studio`: the NAS engine headless. Same spec files, experiment folders and journal as
 * the editor, so experiments started here show up in the explorer and vice versa.
 */
import { EXIT_BAD_INPUT, EXIT_OK } from './commandSupport';

interface Command {
  readonly run: (argv: string[]) => Promise<number>;
  readonly usage: string;
}

/**
 * Each command is loaded when it runs, so `list` or `show` start without TensorFlow.js, BullMQ
 * and the rest of what running needs.
 */
const commands: Record<string, () => Promise<Command>> = {
  run: async () => ({ run: (await import('./runCommand')).runCommand, usage: (await import('./runCommand')).RUN_USAGE }),
  resume: async () => ({ run: (await import('./resumeCommand')).resumeCommand, usage: (await import('./resumeCommand')).RESUME_USAGE }),
  list: async () => ({ run: (await import('./listCommand')).listCommand, usage: (await import('./listCommand')).LIST_USAGE }),
  show: async () => ({ run: (await import('./listCommand')).showCommand, usage: (await import('./listCommand')).SHOW_USAGE }),
  report: async () => ({ run: (await import('./reportCommand')).reportCommand, usage: (await import('./reportCommand')).REPORT_USAGE }),
  similar: async () => ({ run: (await import('./similarCommand')).similarCommand, usage: (await import('./similarCommand')).SIMILAR_USAGE }),
  repair: async () => ({ run: (await import('./repairCommand')).repairCommand, usage: (await import('./repairCommand')).REPAIR_USAGE }),
  specialize: async () => ({ run: (await import('./specialize')).specializeCommand, usage: (await import('./specialize')).SPECIALIZE_USAGE }),
  quantize: async () => ({ run: (await import('./quantizeCommand')).quantizeCommand, usage: (await import('./quantizeCommand')).QUANTIZE_USAGE }),
  lut: async () => ({ run: (await import('./lut')).lutCommand, usage: (await import('./lut')).LUT_USAGE }),
  'train-predictor': async () => ({ run: (await import('./trainPredictor')).trainPredictorCommand, usage: (await import('./trainPredictor')).TRAIN_PREDICTOR_USAGE }),
  train: async () => ({ run: (await import('./trainCommand')).trainCommand, usage: (await import('./trainCommand')).TRAIN_USAGE }),
  'export-subnet': async () => ({ run: (await import('./exportSubnetCommand')).exportSubnetCommand, usage: (await import('./exportSubnetCommand')).EXPORT_SUBNET_USAGE }),
  export: async () => ({ run: (await import('./exportCommand')).exportCommand, usage: (await import('./exportCommand')).EXPORT_USAGE }),
  worker: async () => ({ run: (await import('./workerCommand')).workerCommand, usage: (await import('./workerCommand')).WORKER_USAGE }),
};

async function help(): Promise<string> {
  const usages = await Promise.all(Object.values(commands).map(async (load) => (await load()).usage));
  return `nas-studio — neural architecture search (the NAS Studio engine, headless)

${usages.join('\n\n')}

Runs live in --root, $NAS_STUDIO_HOME or ./.nas-studio/experiments.
Exit codes: 0 done, 1 failed, 2 bad spec, input or arguments, 130 stopped.`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(await help());
    return name ? EXIT_OK : EXIT_BAD_INPUT;
  }
  if (!Object.hasOwn(commands, name)) {
    console.error(`unknown command "${name}"\n\n${await help()}`);
    return EXIT_BAD_INPUT;
  }
  const command = await commands[name]();
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
