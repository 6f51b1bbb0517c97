// Spec fuzzer: seeded hostile spec files through validation and the real CLI; counts stack traces
// and hangs (both must be 0) and the exit codes. Needs a build (npm run build).
// Usage: npm run bench:fuzz -- [--cases 1000] [--seed 1] [--cli-valid 0.4] [--cli-invalid 0.03]
//          [--timeout 120] [--concurrency 2] [--no-supernet] [--json]
// --cli-valid / --cli-invalid: shares of the valid and invalid cases also run through the CLI.
// --json: tables on stderr, the last line of stdout is
//   {"cases", "stack_traces", "hangs", "exit_codes", "valid", "cli_runs", "seconds", "failures"}.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type CaseResult, type FuzzOptions, runFuzz } from './fuzz/fuzzRunner';
import { loadBases } from './fuzz/hostileSpecs';

const root = resolve(__dirname, '..');
const cli = join(root, 'bin/nas-studio.js');
const examplesDir = join(root, 'examples');

const USAGE = 'usage: npm run bench:fuzz -- [--cases N] [--seed S] [--cli-valid 0..1] [--cli-invalid 0..1] [--timeout SECONDS] [--concurrency N] [--no-supernet] [--json]';

/** A command-line value out of range. */
class OptionError extends Error {}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '1' },
      'cli-valid': { type: 'string', default: '0.4' },
      'cli-invalid': { type: 'string', default: '0.03' },
      timeout: { type: 'string', default: '120' },
      concurrency: { type: 'string', default: '2' },
      'no-supernet': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const log = (line: string) => (values.json ? process.stderr : process.stdout).write(line + '\n');
  if (!existsSync(join(root, 'dist/cli.js'))) {
    log('no build: run npm run build first');
    return 2;
  }
  let options: Omit<FuzzOptions, 'supernetRun' | 'log'>;
  try {
    options = {
      cases: numberOption(values.cases, 'cases', 1, 1_000_000, true),
      seed: numberOption(values.seed, 'seed', 0, 2 ** 32 - 1, true),
      cliShareOfValid: numberOption(values['cli-valid'], 'cli-valid', 0, 1, false),
      cliShareOfInvalid: numberOption(values['cli-invalid'], 'cli-invalid', 0, 1, false),
      validationTimeoutMs: 10_000,
      cliTimeoutMs: numberOption(values.timeout, 'timeout', 1, 3600, false) * 1000,
      concurrency: numberOption(values.concurrency, 'concurrency', 1, 64, true),
      examplesDir,
      cli,
      fifo: true,
    };
  } catch (error) {
    if (!(error instanceof OptionError)) throw error;
    log(`${error.message}\n${USAGE}`);
    return 2;
  }
  const supernet = values['no-supernet'] ? undefined : trainTinySupernet(log);
  try {
    const { summary, results } = await runFuzz({ ...options, supernetRun: supernet?.run, log });
    printTable(results, log);
    for (const f of summary.failures) log(`FAILED case ${f.case} (${f.problem}): ${f.mutation} of ${f.base}: ${f.file}`);
    log(`${summary.cases} cases (${summary.valid} valid, ${summary.cli_runs} through the CLI) in ${summary.seconds} s: ${summary.stack_traces} stack traces, ${summary.hangs} hangs; exit codes ${JSON.stringify(summary.exit_codes)}`);
    if (values.json) process.stdout.write(JSON.stringify(summary) + '\n');
    return summary.stack_traces === 0 && summary.hangs === 0 ? 0 : 1;
  } finally {
    if (supernet) rmSync(supernet.dir, { recursive: true, force: true });
  }
}

/** A numeric option in [min, max], an integer when asked. */
function numberOption(text: string, name: string, min: number, max: number, integer: boolean): number {
  const value = Number(text);
  if (text.trim() !== '' && Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value))) return value;
  throw new OptionError(`--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got "${text}"`);
}

/**
 * The supernet-search example searches a trained supernet: train the supernet example with tiny
 * budgets (seconds) so that its valid mutations run for real.
 */
function trainTinySupernet(log: (line: string) => void): { dir: string; run: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'nas-fuzz-supernet-'));
  const base = loadBases(examplesDir).find((b) => b.kind === 'supernet');
  if (!base) return undefined;
  const spec = join(dir, 'tiny.supernet.json');
  writeFileSync(spec, JSON.stringify(base.value, null, 2));
  const run = join(dir, 'run');
  const r = spawnSync(process.execPath, [cli, 'train', spec, '--out', run], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) {
    log(`could not train the tiny supernet (exit ${r.status}); supernet-search runs will fail for want of one:\n${r.stderr}`);
    return { dir, run };
  }
  log(`trained a tiny supernet for the supernet-search cases: ${run}`);
  return { dir, run };
}

function printTable(results: readonly CaseResult[], log: (line: string) => void): void {
  const rows = new Map<string, { cases: number; valid: number; cli: number; stackTraces: number; hangs: number }>();
  for (const r of results) {
    for (const mutation of r.mutation.split('+')) {
      const row = rows.get(mutation) ?? { cases: 0, valid: 0, cli: 0, stackTraces: 0, hangs: 0 };
      row.cases++;
      if (r.valid) row.valid++;
      if (r.via === 'cli') row.cli++;
      if (r.stackTrace) row.stackTraces++;
      if (r.hang) row.hangs++;
      rows.set(mutation, row);
    }
  }
  log('mutation          cases  valid  CLI runs  stack traces  hangs');
  for (const [mutation, row] of [...rows].sort()) {
    log(`${mutation.padEnd(16)}  ${String(row.cases).padStart(5)}  ${String(row.valid).padStart(5)}  ${String(row.cli).padStart(8)}  ${String(row.stackTraces).padStart(12)}  ${String(row.hangs).padStart(5)}`);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
