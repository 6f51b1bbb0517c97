/**
 * What a quantization run journals: the model prepared (its layers, float accuracy, graph, the
 * budget in its unit), one record per uniform baseline, one per episode (the policy, its cost,
 * accuracy and reward), and the final result once the best policy is exported.
 */
import type { ArchGraph } from '../../contract/architecture';
import type { QuantizationResult, ScoredPolicyInfo } from '../../contract/runs';
import type { QuantizableLayer } from './quantizableLayers';

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

/** A policy scored on the held-out examples (accuracy after the fine-tune when the run has one; cost in the budget's unit). */
export type ScoredPolicy = ScoredPolicyInfo;

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
export interface FinalRecord extends QuantizationResult {
  readonly type: 'final';
  readonly at: string;
}

export type QuantizationRecord = PreparedRecord | BaselineRecord | EpisodeRecord | FinalRecord;
