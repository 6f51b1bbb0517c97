import { ExperimentStore } from '../server/store/experimentStore';
import { parseArgs, UsageError } from './args';
import { experimentsRoot } from './root';
import { runAndReport } from './runCommand';

/** `nas-studio resume ID`: continue a stopped or interrupted experiment from its journal. */
export async function resumeCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['json'], ['root']);
  if (args.positionals.length !== 1) throw new UsageError('usage: nas-studio resume ID|DIR [--root DIR] [--json]');
  const files = new ExperimentStore(experimentsRoot(args)).find(args.positionals[0]);
  if (!files) {
    console.error(`no experiment "${args.positionals[0]}" in ${experimentsRoot(args)}`);
    return 2;
  }
  return runAndReport(files, args.flags.has('json'));
}
