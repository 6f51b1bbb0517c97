import type { ConstraintSpec, ObjectiveSpec } from '../../contract/metrics';

/** A `{ "type": ..., ...options }` block naming a registered space, evaluator or strategy. */
export interface Component {
  readonly type: string;
  readonly [option: string]: unknown;
}

/** A validated experiment spec (`*.nas.json`). */
export interface ExperimentSpec {
  readonly name: string;
  readonly description?: string;
  readonly space: Component;
  readonly evaluator: Component;
  readonly strategy: Component;
  /** What the strategy optimizes; the only metrics it ever sees, together with the constraints. */
  readonly objectives: readonly ObjectiveSpec[];
  readonly constraints: readonly ConstraintSpec[];
  /** Metrics recorded for the result but never shown to the strategy. */
  readonly report: readonly string[];
  readonly budget: { readonly trials: number; readonly minutes?: number };
  readonly seed: number;
  /** Where evaluations run: in this engine (default) or on BullMQ workers. */
  readonly execution?: { readonly queue?: { readonly redis: string; readonly name?: string; readonly concurrency?: number } };
  /** Earlier searches of the same space this one starts from. */
  readonly warmStart?: WarmStartSpec;
  /** Trials' latency_ms measured on a device's queue workers (Redis and queue resolved). */
  readonly latency?: { readonly device: string; readonly redis: string; readonly queue: string; readonly repeats: number };
}

/** The options of a component: everything but its `type`. */
export function optionsOf(component: Component): Record<string, unknown> {
  const { type: _type, ...options } = component;
  return options;
}

/** How a warm start uses its sources: evaluate their best architectures first, pre-fit the strategy's model, or both. */
export type WarmStartUse = 'top-k' | 'prior' | 'both';

/** A resolved warm start: every source by id and folder, every option filled in. */
export interface WarmStartSpec {
  readonly runs: readonly { readonly id: string; readonly dir: string }[];
  readonly use: WarmStartUse;
  readonly k: number;
  readonly halfLife: number;
}

/** `warmStart` as a spec file writes it. */
export interface WarmStartText {
  readonly runs: readonly string[];
  readonly use?: WarmStartUse;
  readonly k?: number;
  readonly halfLife?: number;
}
