// NAS-Bench-201 strategy benchmark: every strategy K seeds at a budget of N table look-ups.
//   npm run bench:nb201 -- --table PATH --signal COL --report COL --budget N --seeds K
//        [--strategies a,b] [--constraint 'COL<=X'] [--set type.option=value] [--curves FILE] [--json]
// --curves (single objective): each strategy's mean regret after every evaluation, as JSON for
// bench/plotCurves.ts.
// Several signal columns (`--signal acc,lat_ms_pixel3:min`) make it multi-objective: the score
// is then the hypervolume of the found front as a fraction of the table's true front (with
// --report, the report column replaces the first objective when fronts are scored).
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { NasError } from '../server/core/errors';
import { observe } from '../server/core/objectives';
import { type ConstraintSpec, type ObjectiveSpec } from '../contract/metrics';
import { hypervolume, paretoFront } from '../server/core/pareto';
import type { StrategyDefinition } from '../server/core/strategy';
import { tabularEvaluator } from '../server/evaluators/tabular/tabularEvaluator';
import { Nb201Space } from '../server/spaces/nb201/nb201Space';
import { strategies } from '../server/strategies/index';
import { meanCurve, regretCurve, writeCurves } from './learningCurves';
import { bestBySignal, enumerateGenomes, evaluateTrial, meanAndStd, runSearch, signalFront, type SearchProblem, type Trial } from './nb201Loop';

const repoRoot = resolve(import.meta.dirname, '..');
const sharedData = process.env.NAS_SHARED_DATA ?? resolve(repoRoot, '../shared/data');
const BASELINE = 'random';

const { values: args } = parseArgs({
  options: {
    table: { type: 'string', default: resolve(sharedData, 'nas-bench-201/nb201.csv') },
    signal: { type: 'string', default: 'cifar10_valid_12ep' },
    report: { type: 'string' },
    budget: { type: 'string', default: '100' },
    seeds: { type: 'string', default: '100' },
    strategies: { type: 'string' },
    constraint: { type: 'string', multiple: true, default: [] },
    set: { type: 'string', multiple: true, default: [] },
    curves: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  console.error(`bench:nb201: ${message}`);
  process.exit(2);
}

function positiveInteger(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a positive integer, got "${text}"`);
  return n;
}

function parseObjectives(text: string): ObjectiveSpec[] {
  return text.split(',').map((part) => {
    const [metric, goal = 'max'] = part.trim().split(':');
    if (goal !== 'max' && goal !== 'min') fail(`--signal ${part}: the goal suffix must be :max or :min`);
    return { metric, goal: goal === 'max' ? 'maximize' : 'minimize' };
  });
}

function parseConstraint(text: string): ConstraintSpec {
  const match = /^\s*([\w.-]+)\s*(<=|>=)\s*(-?[\d.eE+-]+)\s*$/.exec(text);
  if (!match || !Number.isFinite(Number(match[3]))) fail(`--constraint "${text}": expected COL<=NUMBER or COL>=NUMBER`);
  const bound = Number(match[3]);
  return match[2] === '<=' ? { metric: match[1], max: bound } : { metric: match[1], min: bound };
}

/** `--set bananas.ensembleSize=3` -> {bananas: {ensembleSize: 3}} */
function parseOptionOverrides(entries: readonly string[]): Map<string, Record<string, unknown>> {
  const overrides = new Map<string, Record<string, unknown>>();
  for (const entry of entries) {
    const match = /^([\w-]+)\.(\w+)=(.*)$/.exec(entry);
    if (!match) fail(`--set "${entry}": expected strategy.option=value`);
    let value: unknown = match[3];
    try {
      value = JSON.parse(match[3]);
    } catch {
      // a bare string value
    }
    overrides.set(match[1], { ...overrides.get(match[1]), [match[2]]: value });
  }
  return overrides;
}

function pickStrategies(multiObjective: boolean): StrategyDefinition[] {
  if (args.strategies) {
    return args.strategies.split(',').map((type) => {
      const found = strategies.find((s) => s.type === type.trim());
      if (!found) fail(`unknown strategy "${type}"; known: ${strategies.map((s) => s.type).join(', ')}`);
      return found;
    });
  }
  return strategies.filter((s) => !multiObjective || s.multiObjective || s.type === BASELINE);
}

function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  rows.forEach((r) => console.log(line(r)));
}

interface Scorer {
  /** One line describing what the score is. */
  readonly title: string;
  /** Facts about the whole table, for context. */
  readonly tableLine?: string;
  readonly digits: number;
  score(trials: readonly Trial[]): number;
  /** Whether the run evaluated the table's best-signal architecture (single objective only). */
  foundOptimum?(trials: readonly Trial[]): boolean;
}

/** The NAS-Bench-201 protocol: pick the feasible trial with the best signal, score its report column. */
function singleObjectiveScorer(everything: readonly Trial[], signal: string, report: string): Scorer {
  const tableBest = bestBySignal(everything);
  const feasibleReports = everything.filter((t) => t.observation.feasible).map((t) => t.metrics[report]);
  return {
    title: `${report} of the architecture with the best ${signal}`,
    tableLine: `table: best ${report} ${Math.max(...feasibleReports).toFixed(2)}; ${report} of the best-${signal} architecture ${tableBest?.metrics[report].toFixed(2)}`,
    digits: 2,
    score: (trials) => bestBySignal(trials)?.metrics[report] ?? NaN,
    foundOptimum: (trials) => tableBest !== undefined && bestBySignal(trials)?.observation.objectives[0] === tableBest.observation.objectives[0],
  };
}

/**
 * Hypervolume of the found front over the table's true front. The front is selected by the
 * signal objectives; with a report column it is scored with the report column in place of the
 * first objective (the same protocol as the single-objective score). Reference point: the worst
 * value of every scored objective over the whole table.
 */
function multiObjectiveScorer(everything: readonly Trial[], scored: readonly ObjectiveSpec[], constraints: readonly ConstraintSpec[]): Scorer {
  const point = (t: Trial) => observe(t.metrics, scored, constraints).objectives;
  const all = everything.map(point);
  const reference = scored.map((_, k) => Math.min(...all.map((p) => p[k]).filter(Number.isFinite)));
  const feasible = all.filter((_, i) => everything[i].observation.feasible);
  const trueFront = paretoFront(feasible).map((i) => feasible[i]);
  const trueVolume = hypervolume(trueFront, reference);
  const names = scored.map((o) => `${o.metric}:${o.goal === 'maximize' ? 'max' : 'min'}`).join(', ');
  return {
    title: `hypervolume of the found front / the true front (${trueFront.length} points) in (${names})`,
    digits: 4,
    score: (trials) => hypervolume(signalFront(trials).map(point), reference) / trueVolume,
  };
}

async function main(): Promise<void> {
  const objectives = parseObjectives(args.signal);
  const multiObjective = objectives.length > 1;
  const report = args.report ?? (multiObjective ? undefined : fail('--report COL is required with a single --signal'));
  const constraints = args.constraint.map(parseConstraint);
  const overrides = parseOptionOverrides(args.set);
  const seeds = positiveInteger('seeds', args.seeds);
  const space = new Nb201Space();
  let budget = positiveInteger('budget', args.budget);
  if (budget > space.cardinality) {
    console.error(`warning: --budget ${budget} exceeds the ${space.cardinality} architectures of the space; using ${space.cardinality}`);
    budget = space.cardinality;
  }

  const metrics = [...new Set([...objectives.map((o) => o.metric), ...(report ? [report] : []), ...constraints.map((c) => c.metric)])];
  const evaluator = await tabularEvaluator.create(
    { table: args.table },
    { space, baseDir: process.cwd(), workDir: tmpdir(), seed: 0, metrics, backend: 'auto', log: (m) => console.error(m) },
  );
  const problem: SearchProblem = { space, evaluator, objectives, constraints };
  const chosen = pickStrategies(multiObjective);

  // The whole table through the product's evaluator and observe(): the yardstick.
  const everything: Trial[] = [];
  for (const genome of enumerateGenomes(space)) everything.push(await evaluateTrial(problem, genome));
  const scorer = multiObjective
    ? multiObjectiveScorer(everything, report ? [{ ...objectives[0], metric: report }, ...objectives.slice(1)] : objectives, constraints)
    : singleObjectiveScorer(everything, objectives[0].metric, report as string);

  console.log(`NAS-Bench-201, ${scorer.title}; budget ${budget}, ${seeds} seeds${constraints.length ? `, constraints ${args.constraint.join(' ')}` : ''}`);
  if (scorer.tableLine) console.log(scorer.tableLine);

  if (args.curves && multiObjective) fail('--curves needs a single --signal');
  const bestReport = report ? Math.max(...everything.filter((t) => t.observation.feasible).map((t) => t.metrics[report])) : NaN;
  const curves: Record<string, number[]> = {};
  const results: Record<string, { mean: number; std: number; seconds: number }> = {};
  const rows: string[][] = [];
  for (const strategy of chosen) {
    const options = overrides.get(strategy.type) ?? {};
    const scores: number[] = [];
    const seconds: number[] = [];
    let optimumFound = 0;
    const regrets: number[][] = [];
    for (let seed = 0; seed < seeds; seed++) {
      const run = await runSearch(problem, strategy, options, budget, seed);
      scores.push(scorer.score(run.trials));
      if (args.curves) regrets.push(regretCurve(run.trials, report as string, bestReport));
      if (scorer.foundOptimum?.(run.trials)) optimumFound++;
      seconds.push(run.seconds);
    }
    if (args.curves) curves[strategy.type] = meanCurve(regrets);
    const { mean, std } = meanAndStd(scores);
    const time = meanAndStd(seconds).mean;
    results[strategy.type] = { mean, std, seconds: time };
    rows.push([
      strategy.type,
      `${mean.toFixed(scorer.digits)} ± ${std.toFixed(scorer.digits)}`,
      Math.min(...scores).toFixed(scorer.digits),
      ...(scorer.foundOptimum ? [`${Math.round((100 * optimumFound) / seeds)}%`] : []),
      time.toFixed(3),
      Math.max(...seconds).toFixed(3),
    ]);
  }
  const scoreColumns = ['mean ± std', 'worst run', ...(scorer.foundOptimum ? ['found signal optimum'] : [])];
  printTable(['strategy', ...scoreColumns, 's/run (mean)', 's/run (max)'], rows);
  if (args.curves) {
    writeCurves(args.curves, { title: `NAS-Bench-201: regret of ${report} (best ${bestReport.toFixed(2)}), signal ${objectives[0].metric}, ${seeds} seeds`, yLabel: `${report} regret`, series: curves });
    console.log(`learning curves written to ${args.curves}`);
  }
  if (args.json) console.log(JSON.stringify(results));
}

main().catch((error: unknown) => {
  if (error instanceof NasError) fail(error.message);
  throw error;
});
