import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'jsonc-parser';
import { setTopLevelKey } from '../server/experiment/specText';
import { runKind, runKindOfSpecFile } from '../server/runs/registry';
import { backendOption, type CommandIo, guardCommand, parseInteger, printDiagnostics, processIo, readSpecFile, UsageError } from './commandSupport';
import { executeWithConsole } from './executeRun';
import { openRuns, rootOption } from './root';

export const RUN_USAGE = `usage: nas-studio run SPEC [--out DIR] [--root DIR] [--seed N] [--warm-start ID,...] [--backend auto|wasm|cpu|tensorflow] [--json]
  Validates SPEC (*.nas.json: a search; *.supernet.json: a supernet training; *.proxyless.json: a
  ProxylessNAS search), creates its run folder (DIR with --out) and runs it with a progress bar, a
  line per trial or epoch and a final table. Nothing is created when the spec or the files it names
  are bad (exit 2). --warm-start: start the search from these finished searches of the same space
  (ids or folders; sets the spec's warmStart.runs, see \`nas-studio similar\`). --json: the last
  line is one JSON object ({"experiment", "status", "trials", "best": {"arch", "metrics"}} for a
  search; {"experiment", "status", "epoch", "epochs", "targetMs", "expectedLatencyMs", "derived":
  {"arch", "expectedLatencyMs", "predictedLatencyMs", "measuredLatencyMs", "valAccuracy",
  "testAccuracy", ...}} for a ProxylessNAS search); progress goes to stderr.`;

/** `nas-studio run`: validate a spec, create its run folder and run it to the end. */
export async function runCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return guardCommand(io, RUN_USAGE, (signal) => createAndRun(argv, io, signal, undefined));
}

/** `run` and its alias `train`: `kind` restricts the spec files accepted. */
export async function createAndRun(argv: string[], io: CommandIo, signal: AbortSignal, only: 'supernet' | undefined): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...rootOption, out: { type: 'string' }, seed: { type: 'string' }, 'warm-start': { type: 'string' }, backend: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) throw new UsageError('expected one spec file');
  if (values.out === '') throw new UsageError('--out must name a folder');
  const specPath = resolve(positionals[0]);
  let text = readSpecFile(specPath);
  // Spec files say their kind by name; any other JSON file is read as a search spec.
  const kind = runKindOfSpecFile(specPath) ?? runKind('search')!;
  if (only && kind.id !== only) throw new UsageError(`${positionals[0]} is not a *.supernet.json spec (use nas-studio run for other specs)`);
  const seed = parseInteger(values.seed, 'seed', 0);
  if (seed !== undefined) text = setTopLevelKey(text, 'seed', seed);
  if (values['warm-start'] !== undefined) {
    if (kind.id !== 'search') throw new UsageError('--warm-start applies to searches (*.nas.json specs)');
    text = withWarmStartRuns(text, parseRunList(values['warm-start']));
  }
  const backend = backendOption(values.backend);
  const service = openRuns(values.root);
  const { location, warnings } = await service.create({ kind, text, baseDir: dirname(specPath), specPath }, values.out);
  printDiagnostics(io, specPath, text, warnings);
  return executeWithConsole(service, location, { json: values.json, backend, signal, io });
}

function parseRunList(text: string): string[] {
  const runs = text.split(',').map((r) => r.trim());
  if (runs.some((r) => r === '')) throw new UsageError(`--warm-start must list run ids or folders separated by commas, got "${text}"`);
  return runs;
}

/** The spec text with `warmStart.runs` set (its other warm-start options kept), comments and layout kept. */
function withWarmStartRuns(text: string, runs: readonly string[]): string {
  const existing = (parse(text.replace(/^\uFEFF/, '')) as { warmStart?: unknown } | undefined)?.warmStart;
  const options = existing && typeof existing === 'object' && !Array.isArray(existing) ? existing : {};
  return setTopLevelKey(text, 'warmStart', { ...options, runs });
}
