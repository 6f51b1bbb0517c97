import type { Rng } from './rng';
import type { Genome, SearchSpace } from './searchSpace';
import type { JsonSchema } from './jsonSchema';
import type { SpecError } from './errors';

/**
 * What a strategy learns about an evaluated architecture: the declared objectives only,
 * each oriented so that larger is better, and whether the declared constraints hold.
 * Report-only metrics never reach a strategy: this type is all `tell` receives.
 */
export interface Observation {
  readonly objectives: readonly number[];
  readonly feasible: boolean;
}

/**
 * What another run observed about an architecture of the same space (a warm start's source):
 * its objectives as that run oriented them, and its first objective as a standardized score
 * (z-score among that run's finite values; -Infinity when infeasible or missing), because
 * another dataset puts accuracies on another scale.
 */
export interface TransferredObservation {
  readonly genome: Genome;
  readonly observation: Observation;
  readonly score: number;
}

/**
 * Ask/tell search strategy. The runner may call `ask` several times before the matching
 * `tell`s (parallel evaluation); tells arrive in ask order. A tell may also bring an
 * architecture the strategy did not ask for (a warm start's top-k, evaluated first): it is an
 * evaluation like any other. Given the same Rng seed and the same observations a strategy must
 * propose the same genomes: resuming an experiment replays the journal through a fresh strategy.
 */
export interface Strategy {
  ask(): Genome;
  tell(genome: Genome, observation: Observation): void;
  /** The strategy's current recommendation(s), when it has an opinion beyond best-observed. */
  recommend?(): Genome[];
  /**
   * Pre-fits the strategy's model with observations of earlier runs, before the first ask. Their
   * weight decays as this run's observations arrive: to one half after `halfLife` of them
   * (strategies with populations let them age out instead). Absent: the strategy has no model
   * a prior could shape.
   */
  prior?(observations: readonly TransferredObservation[], halfLife: number): void;
}

export interface StrategyContext {
  readonly space: SearchSpace;
  readonly rng: Rng;
  /** Total number of evaluations the experiment will make. */
  readonly budget: number;
  /** Number of objectives in every Observation. */
  readonly objectiveCount: number;
}

/** A selectable strategy: its spec `type`, documentation, option schema and factory. */
export interface StrategyDefinition<Options = Record<string, unknown>> {
  readonly type: string;
  readonly title: string;
  readonly description: string;
  /** JSON Schema of the options object (without the `type` key). */
  readonly optionsSchema: JsonSchema;
  /** Whether it optimizes two or more objectives (a Pareto front) rather than one. */
  readonly multiObjective: boolean;
  /** What a warm start's prior pre-fits ("its predictor"); absent when its strategies have no `prior`. */
  readonly priorShapes?: string;
  /** Checks between options and the experiment beyond the schema (SpecError paths relative to the options). */
  check?(options: Options, context: { readonly budget: number; readonly objectiveCount: number; readonly space?: SearchSpace }): SpecError[];
  create(options: Options, context: StrategyContext): Strategy;
}
