import { performance } from 'node:perf_hooks';
import type { Evaluator } from '../server/core/evaluator';
import type { Metrics, ConstraintSpec, ObjectiveSpec } from '../contract/metrics';
import { observe } from '../server/core/objectives';
import { paretoFront } from '../server/core/pareto';
import { Rng } from '../server/core/rng';
import type { Genome, SearchSpace } from '../server/core/searchSpace';
import type { Observation, Strategy, StrategyDefinition } from '../server/core/strategy';

export interface SearchProblem {
  readonly space: SearchSpace;
  readonly evaluator: Evaluator;
  /** What strategies optimize (the signal columns). */
  readonly objectives: readonly ObjectiveSpec[];
  readonly constraints: readonly ConstraintSpec[];
}

export interface Trial {
  readonly genome: Genome;
  /** Everything the evaluator returned, report columns included: the bench's view, never the strategy's. */
  readonly metrics: Metrics;
  readonly observation: Observation;
}

export interface SearchRun {
  readonly trials: readonly Trial[];
  readonly seconds: number;
}

const noAbort = new AbortController().signal;

/** Evaluates one genome and builds the strategy's view of it with the product's `observe()`. */
export async function evaluateTrial(problem: SearchProblem, genome: Genome, seed = 0, trial = 0): Promise<Trial> {
  const metrics = await problem.evaluator.evaluate(genome, {
    signal: noAbort,
    seed,
    trial,
    progress: () => undefined,
    log: () => undefined,
  });
  return { genome, metrics, observation: observe(metrics, problem.objectives, problem.constraints) };
}

/**
 * One seeded search, ask/tell in a tight loop: the evaluator's metrics pass through the same
 * `observe()` as in the product runner, so the strategy sees only the oriented objectives and
 * feasibility. Wall time includes strategy work (predictor training) and table look-ups.
 * `prepare` may wrap the new strategy (a warm start) before the first ask.
 */
export async function runSearch(
  problem: SearchProblem,
  strategy: StrategyDefinition,
  options: Record<string, unknown>,
  budget: number,
  seed: number,
  prepare: (strategy: Strategy) => Strategy = (s) => s,
): Promise<SearchRun> {
  const started = performance.now();
  const instance = prepare(
    strategy.create(options, {
      space: problem.space,
      rng: new Rng(seed),
      budget,
      objectiveCount: problem.objectives.length,
    }),
  );
  const trials: Trial[] = [];
  for (let n = 0; n < budget; n++) {
    const trial = await evaluateTrial(problem, instance.ask(), seed, n);
    instance.tell(trial.genome, trial.observation);
    trials.push(trial);
  }
  return { trials, seconds: (performance.now() - started) / 1000 };
}

/** The protocol's pick: the feasible trial with the best (first) objective; undefined if none is feasible. */
export function bestBySignal(trials: readonly Trial[]): Trial | undefined {
  let best: Trial | undefined;
  for (const t of trials) {
    if (!t.observation.feasible) continue;
    if (!best || t.observation.objectives[0] > best.observation.objectives[0]) best = t;
  }
  return best;
}

/** The feasible trials on the Pareto front of the objectives the strategy optimized. */
export function signalFront(trials: readonly Trial[]): Trial[] {
  const feasible = trials.filter((t) => t.observation.feasible);
  return paretoFront(feasible.map((t) => t.observation.objectives)).map((i) => feasible[i]);
}

/** Every genome of a finite categorical space, in mixed-radix order. */
export function* enumerateGenomes(space: SearchSpace): Generator<Genome> {
  const sizes = space.decisions.map((d) => d.choices.length);
  const genome = sizes.map(() => 0);
  for (;;) {
    yield genome.slice();
    let i = sizes.length - 1;
    while (i >= 0 && ++genome[i] === sizes[i]) genome[i--] = 0;
    if (i < 0) return;
  }
}

export function meanAndStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / Math.max(1, values.length - 1);
  return { mean, std: Math.sqrt(variance) };
}
