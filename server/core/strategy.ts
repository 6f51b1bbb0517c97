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
 * Ask/tell search strategy. The runner may call `ask` several times before the matching
 * `tell`s (parallel evaluation); tells arrive in ask order. Given the same Rng seed and the
 * same observations a strategy must propose the same genomes: resuming an experiment replays
 * the journal through a fresh strategy.
 */
export interface Strategy {
  ask(): Genome;
  tell(genome: Genome, observation: Observation): void;
  /** The strategy's current recommendation(s), when it has an opinion beyond best-observed. */
  recommend?(): Genome[];
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
  /** Checks between options and the experiment beyond the schema (SpecError paths relative to the options). */
  check?(options: Options, context: { readonly budget: number; readonly objectiveCount: number }): SpecError[];
  create(options: Options, context: StrategyContext): Strategy;
}
