// Warm-start benchmark on NAS-Bench-201: a search on the target dataset, cold or warm-started from
// a finished search on the source dataset (each seed its own source run, signal column only).
//   npm run bench:warmstart -- --table PATH --source cifar10 --target cifar100 --seeds N
//        [--strategy S] [--source-strategy S] [--source-budget 100] [--k K] [--half-life H] [--curves FILE] [--json]
// Prints the mean test accuracy of the pick (the best target signal so far) after 10, 20, 50 and
// 100 evaluations for: cold, top-k, prior, warm (top-k + prior) and single-best (top-k with k = 1).
// With --json the last line is {"cold": {"10": A, "20": A, "50": A, "100": A}, "warm": {...},
// "top-k": {...}, "prior": {...}, "single-best": {...}}.
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ObjectiveSpec } from '../contract/metrics';
import { NasError } from '../server/core/errors';
import type { StrategyDefinition } from '../server/core/strategy';
import { tabularEvaluator } from '../server/evaluators/tabular/tabularEvaluator';
import type { WarmObservationRecord } from '../server/experiment/searchRecords';
import type { WarmStartSpec } from '../server/experiment/spec';
import { warmStarted } from '../server/experiment/warmStart';
import { WARM_START_DEFAULTS } from '../server/experiment/warmStartSpec';
import { warmObservation } from '../server/experiment/warmStartSource';
import { Nb201Space } from '../server/spaces/nb201/nb201Space';
import { strategies } from '../server/strategies/index';
import { meanCurve, regretCurve, writeCurves } from './learningCurves';
import { bestBySignal, enumerateGenomes, evaluateTrial, meanAndStd, runSearch, type SearchProblem, type Trial } from './nb201Loop';

const repoRoot = resolve(import.meta.dirname, '..');
const sharedData = process.env.NAS_SHARED_DATA ?? resolve(repoRoot, '../shared/data');

/** NAS-Bench-201's datasets: the signal strategies see (12-epoch validation) and the column the pick is scored with (200-epoch test). */
const DATASETS: Record<string, { signal: string; report: string }> = {
  cifar10: { signal: 'cifar10_valid_12ep', report: 'cifar10_test' },
  cifar100: { signal: 'cifar100_valid_12ep', report: 'cifar100_test' },
  imagenet16: { signal: 'imagenet16_valid_12ep', report: 'imagenet16_test' },
};
const ALIASES: Record<string, string> = { 'imagenet16-120': 'imagenet16', 'ImageNet16-120': 'imagenet16' };
const CHECKPOINTS = [10, 20, 50, 100];
/** Source runs use other seeds than the target runs they warm-start. */
const SOURCE_SEED_OFFSET = 1_000_000;

const { values: args } = parseArgs({
  options: {
    table: { type: 'string', default: resolve(sharedData, 'nas-bench-201/nb201.csv') },
    source: { type: 'string', default: 'cifar10' },
    target: { type: 'string', default: 'cifar100' },
    seeds: { type: 'string', default: '300' },
    strategy: { type: 'string', default: 'predictor-local-search' },
    'source-strategy': { type: 'string' },
    'source-budget': { type: 'string', default: '100' },
    k: { type: 'string', default: String(WARM_START_DEFAULTS.k) },
    'half-life': { type: 'string', default: String(WARM_START_DEFAULTS.halfLife) },
    curves: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  console.error(`bench:warmstart: ${message}`);
  process.exit(2);
}

function positive(name: string, text: string, integer = true): number {
  const n = Number(text);
  if (!(n > 0) || (integer && !Number.isInteger(n))) fail(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got "${text}"`);
  return n;
}

function dataset(name: string, option: string): { signal: string; report: string } {
  const found = DATASETS[ALIASES[name] ?? name];
  if (!found) fail(`--${option} must be one of ${Object.keys(DATASETS).join(', ')}, got "${name}"`);
  return found;
}

function strategyNamed(type: string): StrategyDefinition {
  const found = strategies.find((s) => s.type === type);
  if (!found || found.multiObjective) fail(`--strategy must be a single-objective strategy (${strategies.filter((s) => !s.multiObjective).map((s) => s.type).join(', ')}), got "${type}"`);
  return found;
}

/** The source run's transferred observations, as the product journals them: first evaluations of distinct architectures, signal only. */
function transferredFrom(source: readonly Trial[], id: string, objectives: readonly ObjectiveSpec[], space: Nb201Space): WarmObservationRecord[] {
  const seen = new Set<string>();
  return source.flatMap((t, trial) => {
    const key = space.key(t.genome);
    if (seen.has(key)) return [];
    seen.add(key);
    return [warmObservation(id, { trial, key, genome: t.genome, metrics: t.metrics, feasible: t.observation.feasible }, objectives)];
  });
}

async function main(): Promise<void> {
  const source = dataset(args.source, 'source');
  const target = dataset(args.target, 'target');
  const seeds = positive('seeds', args.seeds);
  const sourceBudget = positive('source-budget', args['source-budget']);
  const strategy = strategyNamed(args.strategy);
  const sourceStrategy = strategyNamed(args['source-strategy'] ?? args.strategy);
  const k = positive('k', args.k);
  const halfLife = positive('half-life', args['half-life'], false);
  const budget = Math.max(...CHECKPOINTS);

  const space = new Nb201Space();
  const setup = (metrics: string[]) => ({ space, baseDir: process.cwd(), workDir: tmpdir(), seed: 0, metrics, backend: 'auto' as const, log: (m: string) => console.error(m) });
  // The source sees its signal column and nothing else.
  const sourceProblem: SearchProblem = { space, evaluator: await tabularEvaluator.create({ table: args.table }, setup([source.signal])), objectives: [{ metric: source.signal, goal: 'maximize' }], constraints: [] };
  const targetProblem: SearchProblem = { space, evaluator: await tabularEvaluator.create({ table: args.table }, setup([target.signal, target.report])), objectives: [{ metric: target.signal, goal: 'maximize' }], constraints: [] };

  const everything: Trial[] = [];
  for (const genome of enumerateGenomes(space)) everything.push(await evaluateTrial(targetProblem, genome));
  const bestReport = Math.max(...everything.map((t) => t.metrics[target.report]));
  const reportOf = new Map(everything.map((t) => [space.key(t.genome), t.metrics[target.report]]));

  const modes: { name: string; warm?: Pick<WarmStartSpec, 'use' | 'k' | 'halfLife'> }[] = [
    { name: 'cold' },
    { name: 'top-k', warm: { use: 'top-k', k, halfLife } },
    { name: 'prior', warm: { use: 'prior', k, halfLife } },
    { name: 'warm', warm: { use: 'both', k, halfLife } },
    { name: 'single-best', warm: { use: 'top-k', k: 1, halfLife } },
  ];
  const picks = new Map(modes.map((m) => [m.name, CHECKPOINTS.map(() => [] as number[])]));
  const regrets = new Map(modes.map((m) => [m.name, [] as number[][]]));
  const sourceBestAlone: number[] = [];
  for (let seed = 0; seed < seeds; seed++) {
    const sourceRun = await runSearch(sourceProblem, sourceStrategy, {}, sourceBudget, SOURCE_SEED_OFFSET + seed);
    const records = transferredFrom(sourceRun.trials, `source-${seed}`, sourceProblem.objectives, space);
    sourceBestAlone.push(reportOf.get(space.key(bestBySignal(sourceRun.trials)!.genome))!);
    for (const mode of modes) {
      const run = await runSearch(targetProblem, strategy, {}, budget, seed, mode.warm ? (s) => warmStarted(s, mode.warm!, records) : undefined);
      CHECKPOINTS.forEach((n, i) => picks.get(mode.name)![i].push(bestBySignal(run.trials.slice(0, n))!.metrics[target.report]));
      regrets.get(mode.name)!.push(regretCurve(run.trials, target.report, bestReport));
    }
  }

  console.log(`NAS-Bench-201 warm start: ${args.target} searched by ${strategy.type}, from a finished ${sourceBudget}-evaluation ${sourceStrategy.type} search on ${args.source} per seed; ${seeds} seeds; k = ${k}, halfLife = ${halfLife}`);
  console.log(`mean ${target.report} of the pick (the best ${target.signal} so far) after n evaluations; table best ${bestReport.toFixed(2)}`);
  const header = ['mode', ...CHECKPOINTS.map((n) => `n = ${n}`)];
  const rows = modes.map((m) => [m.name, ...picks.get(m.name)!.map((values) => { const { mean, std } = meanAndStd(values); return `${mean.toFixed(2)} ± ${std.toFixed(2)}`; })]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  rows.forEach((r) => console.log(line(r)));
  const alone = meanAndStd(sourceBestAlone);
  console.log(`the source run's best architecture alone, no search on ${args.target}: ${alone.mean.toFixed(2)} ± ${alone.std.toFixed(2)}`);

  if (args.curves) {
    writeCurves(args.curves, {
      title: `Warm start ${args.source} → ${args.target} (${strategy.type}): regret of ${target.report}, ${seeds} seeds`,
      yLabel: `${target.report} regret`,
      series: Object.fromEntries(modes.map((m) => [m.name, meanCurve(regrets.get(m.name)!)])),
    });
    console.log(`learning curves written to ${args.curves}`);
  }
  if (args.json) {
    const result = Object.fromEntries(modes.map((m) => [m.name, Object.fromEntries(CHECKPOINTS.map((n, i) => [String(n), meanAndStd(picks.get(m.name)![i]).mean]))]));
    console.log(JSON.stringify({ cold: result.cold, warm: result.warm, 'top-k': result['top-k'], prior: result.prior, 'single-best': result['single-best'] }));
  }
}

main().catch((error: unknown) => {
  if (error instanceof NasError) fail(error.message);
  throw error;
});
