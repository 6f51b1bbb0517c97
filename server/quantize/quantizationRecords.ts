/**
 * What a quantization run journals: the model prepared (its layers, float accuracy, graph, the
 * budget in its unit), one record per uniform baseline, one per episode (the policy, its cost,
 * accuracy and reward), and the final result once the best policy is exported.
 */
import type { ArchGraph } from '../../contract/architecture';
import type { LayerBits, QuantizableLayer } from './quantizableLayers';

export interface PreparedRecord {
  readonly type: 'prepared';
  readonly at: string;
  readonly layers: readonly QuantizableLayer[];
  /** The float model on the held-out examples. */
  readonly originalAccuracy: number;
  readonly heldOut: number;
  /** The budget in its cost model's unit, the cheapest policy reachable and the float32 model's cost. */
  readonly target: number;
  readonly minimumCost: number;
  readonly floatCost?: number;
  readonly unit: string;
  readonly graph: ArchGraph;
  readonly backend: string;
}

/** A policy scored on the held-out examples. */
export interface ScoredPolicy {
  readonly policy: readonly LayerBits[];
  /** Held-out accuracy (a fraction), after the fine-tune when the run has one. */
  readonly accuracy: number;
  /** In the budget's unit. */
  readonly cost: number;
  readonly sizeBits: number;
  readonly bitOps: number;
}

/** A uniform policy (every chosen layer at `weight` / `activation` bits), the baseline drawn with the episodes. */
export interface BaselineRecord extends ScoredPolicy {
  readonly type: 'baseline';
  readonly at: string;
  readonly weight: number;
  readonly activation: number;
}

export interface EpisodeRecord extends ScoredPolicy {
  readonly type: 'episode';
  readonly at: string;
  /** 0-based. */
  readonly episode: number;
  /** 0.1 x (accuracy - original accuracy) in percent points, the reference's reward. */
  readonly reward: number;
  /** Random actions (warm-up or random search) rather than the agent's. */
  readonly explored: boolean;
  /** The exploration noise of the agent's actions. */
  readonly sigma?: number;
  readonly seconds: number;
}

/** The best episode's policy, exported and measured once on the test split. */
export interface FinalRecord extends ScoredPolicy {
  readonly type: 'final';
  readonly at: string;
  readonly episode: number;
  /** Simulated quantization (weights and, linear, activations) on the test split, when the dataset has one. */
  readonly testAccuracy?: number;
  /** The float model on the test split. */
  readonly originalTestAccuracy?: number;
  /** The exported model as stock TF.js reloads and runs it (quantized weights, float activations), on `exportedOn`. */
  readonly exportedAccuracy: number;
  readonly exportedOn: 'test' | 'held-out';
  readonly packedBytes: number;
  readonly floatBytes: number;
  readonly modelDir: string;
  readonly finetuned: boolean;
}

export type QuantizationRecord = PreparedRecord | BaselineRecord | EpisodeRecord | FinalRecord;
