import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { applyEdits, modify } from 'jsonc-parser';
import { errorMessage } from '../server/core/errors';
import { runExperiment, type RunOutcome } from '../server/experiment/runner';
import { lineColumn, validateSpecText } from '../server/experiment/validate';
import { ExperimentStore, type ExperimentFiles } from '../server/store/experimentStore';
import { bestResult, type ExperimentState } from '../server/store/experimentState';
import { flagInteger, flagString, parseArgs, UsageError } from './args';
import { experimentsRoot } from './root';
import { ProgressPrinter } from './progressPrinter';
import { printResultTable } from './resultTable';

const USAGE = 'nas-studio run SPEC [--out DIR] [--root DIR] [--seed N] [--backend auto|wasm|cpu|tensorflow] [--json]';

/** `nas-studio run`: validate a spec, create its experiment folder and run it to the end. */
export async function runCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['json'], ['out', 'root', 'seed', 'backend']);
  if (args.positionals.length !== 1) throw new UsageError(`expected one spec file\nusage: ${USAGE}`);
  const specPath = resolve(args.positionals[0]);
  let text: string;
  try {
    text = readFileSync(specPath, 'utf8');
  } catch (e) {
    console.error(`${specPath}: cannot read spec (${(e as NodeJS.ErrnoException).code ?? errorMessage(e)})`);
    return 2;
  }
  const seed = flagInteger(args, 'seed');
  if (seed !== undefined) text = applyEdits(text, modify(text, ['seed'], seed, { formattingOptions: { insertSpaces: true, tabSize: 2 } }));
  const backend = flagString(args, 'backend');
  if (backend !== undefined) {
    if (!['auto', 'wasm', 'cpu', 'tensorflow'].includes(backend)) throw new UsageError(`--backend must be auto, wasm, cpu or tensorflow, got "${backend}"`);
    process.env.NAS_STUDIO_BACKEND = backend;
  }

  const validation = validateSpecText(text, { file: specPath, baseDir: dirname(specPath) });
  for (const d of validation.diagnostics) {
    const { line, column } = lineColumn(text, d.start);
    console.error(`${specPath}:${line}:${column}: ${d.severity}: ${d.message}`);
  }
  if (!validation.spec) return 2;

  const store = new ExperimentStore(experimentsRoot(args));
  const outDir = flagString(args, 'out');
  const files = store.create(validation.spec.name, text, specPath, outDir);
  return runAndReport(files, args.flags.has('json'));
}

/** Runs (or resumes) an experiment folder with console progress; Ctrl-C stops it cleanly. */
export async function runAndReport(files: ExperimentFiles, json: boolean): Promise<number> {
  const out = json ? console.error : console.log;
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    out('\nstopping (Ctrl-C again to quit at once)...');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const printer = new ProgressPrinter(files, out, json ? process.stderr : process.stdout);
  let outcome: RunOutcome;
  try {
    outcome = await runExperiment(files, controller.signal, printer.events);
  } finally {
    process.off('SIGINT', onSigint);
    printer.close();
  }
  printResultTable(outcome.state, out);
  out(`experiment ${files.id} ${outcome.status}${outcome.error ? `: ${outcome.error}` : ''} (${files.dir})`);
  if (json) console.log(JSON.stringify(resultJson(outcome.state)));
  return outcome.status === 'finished' ? 0 : outcome.status === 'stopped' ? 130 : 1;
}

/** The one-line machine-readable result of `run --json`. */
export function resultJson(state: ExperimentState): Record<string, unknown> {
  const best = bestResult(state);
  return {
    experiment: state.files.id,
    status: state.status,
    trials: state.trials.length,
    best: best ? { trial: best.trial, arch: best.arch, description: best.description, metrics: best.metrics } : null,
  };
}
