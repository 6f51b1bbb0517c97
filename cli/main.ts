/**
 * `nas-studio`: the NAS engine headless. Same spec files, experiment folders and journal as
 * the editor, so experiments started here show up in the explorer and vice versa.
 */
import { NasError, errorMessage } from '../server/core/errors';
import { UsageError } from './args';
import { listCommand, showCommand } from './listCommand';
import { reportCommand } from './reportCommand';
import { resumeCommand } from './resumeCommand';
import { runCommand } from './runCommand';

const HELP = `nas-studio — neural architecture search (the NAS Studio engine, headless)

usage:
  nas-studio run SPEC [--out DIR] [--root DIR] [--seed N] [--backend NAME] [--json]
      validate SPEC (*.nas.json), create an experiment folder and run the search;
      --out DIR puts the experiment in DIR; --json prints one JSON result object last
  nas-studio resume ID|DIR [--root DIR] [--json]   continue a stopped or interrupted experiment
  nas-studio list [--root DIR] [--json]            experiments with status and best result
  nas-studio show ID|DIR [--root DIR] [--json]     one experiment's results
  nas-studio report ID|DIR [--root DIR] [--out FILE]
      one self-contained HTML file (plot, best architecture's graph, progress) that
      opens offline in any browser; default FILE: <experiment folder>/exports/report.html

Experiments live in --root, $NAS_STUDIO_HOME or ./.nas-studio/experiments.
Exit codes: 0 done, 1 experiment failed, 2 bad spec or arguments, 130 stopped.`;

const commands: Record<string, (argv: string[]) => Promise<number>> = {
  run: runCommand,
  resume: resumeCommand,
  list: listCommand,
  show: showCommand,
  report: reportCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(HELP);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  try {
    return await command(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(e.message);
      return 2;
    }
    console.error(e instanceof NasError ? `error: ${e.message}` : `internal error: ${e instanceof Error ? e.stack : errorMessage(e)}`);
    return e instanceof NasError && (e.code === 'spec' || e.code === 'data') ? 2 : 1;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
