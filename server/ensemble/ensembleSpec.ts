import type { DatasetSpec } from '../data/datasetSpec';
import type { Component } from '../experiment/spec';
import type { ResolvedTrainOptions } from '../evaluators/train/trainOptions';
import type { MixtureOptions } from './mixtureWeights';

/** The blocks a generated subnetwork stacks: the `layers` space's hidden dense layers or conv blocks (conv + 2×2 max-pool). */
export type BlockSpec = { readonly type: 'dense'; readonly units: number } | { readonly type: 'conv'; readonly filters: number; readonly kernel: number };

/**
 * AdaNet's simple DNN generator over the `layers` space's blocks: each iteration one candidate as
 * deep as the last subnetwork chosen and one a block deeper (adanet/examples/simple_dnn.py).
 */
export interface BlocksGenerator {
  readonly type: 'blocks';
  readonly block: BlockSpec;
  /** Depth of the first iteration's shallower candidate (the reference's initial_num_layers; 0 = a linear model). */
  readonly initialDepth: number;
  /** No candidate deeper than this. */
  readonly maxDepth: number;
  /** Dropout after each block (and before a conv stack's classifier). */
  readonly dropout: number;
}

/**
 * Candidates proposed by a search strategy over a trainable search space (AdaNet's generator is
 * any source of subnetworks): each iteration asks the strategy for `candidates` architectures.
 */
export interface SearchGenerator {
  readonly type: 'search';
  /** `{ type, ...options }` as an experiment's "space". */
  readonly space: Component;
  /** `{ type, ...options }` as an experiment's "strategy". */
  readonly strategy: Component;
  readonly candidates: number;
}

/** Most candidates a search generator proposes per iteration (each a full training). */
export const MAX_SEARCH_CANDIDATES = 8;

/** The complexity-regularized objective and how its mixture weights are learned. */
export interface ObjectiveSpec extends MixtureOptions {
  /** λ: the penalty per unit of complexity r(h) = √depth. */
  readonly lambda: number;
  /** β: the penalty every member pays. */
  readonly beta: number;
}

/** A validated `*.ensemble.json`, defaults filled in. */
export interface EnsembleSpec {
  readonly name: string;
  readonly description?: string;
  /** What every subnetwork takes and outputs. */
  readonly network: { readonly input: readonly [number, number, number]; readonly classes: number };
  readonly dataset: DatasetSpec;
  readonly training: Omit<ResolvedTrainOptions, 'dataset'>;
  readonly generator: BlocksGenerator | SearchGenerator;
  readonly objective: ObjectiveSpec;
  readonly maxIterations: number;
  /** Add the best new candidate even when the previous ensemble scores better (the reference's force_grow). */
  readonly forceGrow: boolean;
  readonly seed: number;
}
