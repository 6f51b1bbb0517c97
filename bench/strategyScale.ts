// Strategy cost at scale: a long NAS-Bench-201 tabular search through the product's experiment
// runner (journal, fsync, replay and all), then a run stopped after R trials and resumed, timing
// the replay of its journal through a fresh strategy. The runner's pace depends on the disk
// (two fsyncs per trial), so the strategy's own ask+tell time per trial is measured too, in a
// tight loop over the same table.
//   npm run bench:strategy-scale -- [--table PATH] [--strategy TYPE] [--trials N] [--replay R] [--json]
// With --json the table goes to stderr and the last stdout line is
//   {"strategy", "trials", "seconds", "trials_per_s_first_500", "trials_per_s_last_500", "replay_2000_s",
//    "strategy_us_per_trial_first_500", "strategy_us_per_trial_last_500"}
// (the replay key names R: replay_2000_s by default).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Rng } from '../server/core/rng';
import { tabularEvaluator } from '../server/evaluators/tabular/tabularEvaluator';
import { Nb201Space } from '../server/spaces/nb201/nb201Space';
import type { RunEvents } from '../server/runs/runKind';
import { RunService } from '../server/runs/runService';
import type { RunLocation } from '../server/store/runStore';
import { strategies } from '../server/strategies/index';
import { evaluateTrial, type SearchProblem } from './nb201Loop';

const repoRoot = resolve(import.meta.dirname, '..');
const sharedData = process.env.NAS_SHARED_DATA ?? resolve(repoRoot, '../shared/data');
/** Trials at each end of the long run whose throughput is compared. */
const WINDOW = 500;
/** Trials the resumed run evaluates after its replay (the replay ends at the first of them). */
const AFTER_REPLAY = 5;

const { values: args } = parseArgs({
  options: {
    table: { type: 'string', default: resolve(sharedData, 'nas-bench-201/nb201.csv') },
    strategy: { type: 'string', default: 'predictor-local-search' },
    trials: { type: 'string', default: '5000' },
    replay: { type: 'string', default: '2000' },
    json: { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  console.error(`bench:strategy-scale: ${message}`);
  process.exit(2);
}

function positiveInteger(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a positive integer, got "${text}"`);
  return n;
}

const OBJECTIVE = 'cifar10_valid_12ep';

const log = (line: string) => (args.json ? process.stderr : process.stdout).write(line + '\n');

/** A new run folder for an nb201 tabular search of `budget` trials. */
async function createExperiment(service: RunService, root: string, name: string, budget: number): Promise<RunLocation> {
  const spec = {
    name,
    space: { type: 'nb201' },
    evaluator: { type: 'tabular', table: resolve(args.table) },
    strategy: { type: args.strategy },
    objectives: [{ metric: OBJECTIVE, goal: 'maximize' }],
    budget: { trials: budget },
    seed: 0,
  };
  const text = JSON.stringify(spec, null, 2);
  const specPath = join(root, `${name}.nas.json`);
  writeFileSync(specPath, text);
  return (await service.create({ specPath, text })).location;
}

async function run(service: RunService, location: RunLocation, signal: AbortSignal, events: Partial<RunEvents>): Promise<void> {
  const quiet: RunEvents = { started: () => undefined, progress: () => undefined, finished: () => undefined, log: () => undefined };
  const outcome = await service.execute(location, { signal, events: { ...quiet, ...events }, backend: 'auto' });
  if (outcome.status === 'failed') fail(`run ${location.id} failed: ${outcome.error}`);
}

/** The long run: total seconds and the throughput of its first and last WINDOW trials. */
async function longRun(root: string, trials: number): Promise<{ seconds: number; first: number; last: number }> {
  const service = new RunService(join(root, 'experiments'));
  const files = await createExperiment(service, root, 'long', trials);
  const finishedAt: number[] = [];
  let startedAt = 0;
  const t0 = performance.now();
  await run(service, files, new AbortController().signal, {
    started: () => (startedAt = performance.now()),
    finished: () => void finishedAt.push(performance.now()),
  });
  const seconds = (performance.now() - t0) / 1000;
  const window = Math.min(WINDOW, trials);
  const rate = (from: number, to: number, count: number) => count / ((to - from) / 1000);
  return {
    seconds,
    first: rate(startedAt, finishedAt[window - 1], window),
    last: rate(trials > window ? finishedAt[trials - window - 1] : startedAt, finishedAt[trials - 1], window),
  };
}

/**
 * Runs `replay` trials, stops, resumes: the seconds from the resumed runner's start (journal read,
 * evaluator open) to its first new trial are the replay of the journal through a fresh strategy.
 * The runner checks every replayed proposal against the journal, so a finished resume also
 * proves the strategy proposed exactly what it did before.
 */
async function replayRun(root: string, replay: number): Promise<number> {
  const service = new RunService(join(root, 'experiments'));
  const files = await createExperiment(service, root, 'replay', replay + AFTER_REPLAY);
  const stop = new AbortController();
  let finished = 0;
  await run(service, files, stop.signal, { finished: () => void (++finished === replay && stop.abort()) });
  if (finished !== replay) fail(`the stopped run finished ${finished} trials, expected ${replay}`);

  let replayStarted = 0;
  let replaySeconds = NaN;
  // A fresh service: the resumed run reads the journal as a new process would.
  await run(new RunService(join(root, 'experiments')), files, new AbortController().signal, {
    started: ({ done }) => {
      if (done !== replay) fail(`the resumed run replays ${done} trials, expected ${replay}`);
      replayStarted = performance.now();
    },
    // The first progress report after the start is the first new trial's (replayed ones report none).
    progress: () => {
      if (Number.isNaN(replaySeconds)) replaySeconds = (performance.now() - replayStarted) / 1000;
    },
  });
  return replaySeconds;
}

/**
 * The strategy alone: ask, table look-up, tell, in a tight loop; microseconds of ask + tell per
 * trial over the first and the last WINDOW trials (table look-ups not counted).
 */
async function strategyAlone(trials: number): Promise<{ first: number; last: number }> {
  const definition = strategies.find((s) => s.type === args.strategy) ?? fail(`unknown strategy "${args.strategy}"`);
  const space = new Nb201Space();
  const evaluator = await tabularEvaluator.create(
    { table: resolve(args.table) },
    { space, baseDir: process.cwd(), workDir: tmpdir(), seed: 0, metrics: [OBJECTIVE], backend: 'auto', log: () => undefined },
  );
  const problem: SearchProblem = { space, evaluator, objectives: [{ metric: OBJECTIVE, goal: 'maximize' }], constraints: [] };
  const strategy = definition.create({}, { space, rng: new Rng(0), budget: trials, objectiveCount: 1 });
  const spent: number[] = [];
  for (let n = 0; n < trials; n++) {
    const t0 = performance.now();
    const genome = strategy.ask();
    const t1 = performance.now();
    const trial = await evaluateTrial(problem, genome, 0, n);
    const t2 = performance.now();
    strategy.tell(trial.genome, trial.observation);
    spent.push(t1 - t0 + performance.now() - t2);
  }
  await evaluator.dispose();
  const window = Math.min(WINDOW, trials);
  const microseconds = (times: number[]) => (1000 * times.reduce((a, b) => a + b, 0)) / times.length;
  return { first: microseconds(spent.slice(0, window)), last: microseconds(spent.slice(trials - window)) };
}

async function main(): Promise<void> {
  const trials = positiveInteger('trials', args.trials);
  const replay = positiveInteger('replay', args.replay);
  const root = mkdtempSync(join(tmpdir(), 'nas-strategy-scale-'));
  mkdirSync(join(root, 'experiments'));
  try {
    log(`${args.strategy} on NAS-Bench-201 (${args.table}), tabular evaluator, through the experiment runner; node ${process.version}`);
    const long = await longRun(root, trials);
    const replaySeconds = await replayRun(root, replay);
    const alone = await strategyAlone(trials);
    const rows = [
      [`${trials}-trial run`, `${long.seconds.toFixed(2)} s`],
      [`trials/s, first ${Math.min(WINDOW, trials)}`, long.first.toFixed(0)],
      [`trials/s, last ${Math.min(WINDOW, trials)}`, long.last.toFixed(0)],
      [`resume: replay of ${replay} trials`, `${replaySeconds.toFixed(3)} s`],
      [`strategy alone: ask+tell µs/trial, first ${Math.min(WINDOW, trials)}`, alone.first.toFixed(0)],
      [`strategy alone: ask+tell µs/trial, last ${Math.min(WINDOW, trials)}`, alone.last.toFixed(0)],
    ];
    const width = Math.max(...rows.map((r) => r[0].length));
    const valueWidth = Math.max(...rows.map((r) => r[1].length));
    log(`| ${'measurement'.padEnd(width)} | ${'value'.padStart(valueWidth)} |`);
    log(`|${'-'.repeat(width + 2)}|${'-'.repeat(valueWidth + 2)}|`);
    for (const [name, value] of rows) log(`| ${name.padEnd(width)} | ${value.padStart(valueWidth)} |`);
    if (args.json) {
      const round = (x: number, digits: number) => Number(x.toFixed(digits));
      console.log(
        JSON.stringify({
          strategy: args.strategy,
          trials,
          seconds: round(long.seconds, 2),
          trials_per_s_first_500: round(long.first, 1),
          trials_per_s_last_500: round(long.last, 1),
          [`replay_${replay}_s`]: round(replaySeconds, 3),
          strategy_us_per_trial_first_500: round(alone.first, 1),
          strategy_us_per_trial_last_500: round(alone.last, 1),
        }),
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
