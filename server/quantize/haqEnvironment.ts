/**
 * HAQ's environment without the network: the agent's view of each layer (its state), one step per
 * bit width it chooses (weights, then input activations, layer after layer), and the final policy
 * (pinned and walked back into the budget). Scoring the policy is the caller's business.
 */
import { bitsOfAction, enforceBudget, pinFirstLast, type BitRanges } from './bitPolicy';
import type { CostModel } from './costModel';
import type { LayerBits, Policy, QuantizableLayer } from './quantizableLayers';

/**
 * Features of a state: depthwise?, in channels, out channels, stride, kernel, number of weights,
 * input feature-map size, layer index, previous action, weight (1) or activation (0) decision.
 */
export const STATE_FEATURES = 10;

/**
 * The static part of every layer's state (the first 8 features), each min-max normalized over the
 * layers as the reference's `_build_state_embedding` does (a feature equal on every layer stays as
 * it is). A fully connected layer has stride 0 and kernel 1.
 */
export function layerEmbedding(layers: readonly QuantizableLayer[]): number[][] {
  const rows = layers.map((l, i) => [l.kind === 'depthwise' ? 1 : 0, l.inChannels, l.outChannels, l.kind === 'dense' ? 0 : l.stride, l.kind === 'dense' ? 1 : l.kernel, l.weights, l.inputSize, i]);
  for (let f = 0; f < rows[0].length; f++) {
    const column = rows.map((r) => r[f]);
    const min = Math.min(...column);
    const max = Math.max(...column);
    if (max > min) for (const r of rows) r[f] = (r[f] - min) / (max - min);
  }
  return rows;
}

export interface EnvironmentSetup {
  readonly layers: readonly QuantizableLayer[];
  /** Linear quantization chooses weight and activation bits per layer; k-means weights only. */
  readonly quantizesActivations: boolean;
  readonly ranges: BitRanges;
  readonly cost: CostModel;
  /** The budget in the cost model's unit. */
  readonly target: number;
}

/**
 * One episode at a time: `reset`, then `step(action)` until `done`, then `policy()`. The state of
 * a decision carries the previous decision's bits / max bits (1 at an episode's start) and whether
 * it is about weights (1) or activations (0).
 */
export class HaqEnvironment {
  private readonly embedding: number[][];
  private chosen: LayerBits[] = [];
  private layer = 0;
  private weightTurn = true;
  private pendingWeight = 0;
  private current = new Float32Array(STATE_FEATURES);

  constructor(readonly setup: EnvironmentSetup) {
    this.embedding = layerEmbedding(setup.layers);
  }

  /** Decisions per episode. */
  get steps(): number {
    return this.setup.layers.length * (this.setup.quantizesActivations ? 2 : 1);
  }

  private observe(layer: number, previous: number, weightTurn: boolean): Float32Array {
    this.current = Float32Array.from([...this.embedding[layer], previous, weightTurn ? 1 : 0]);
    return this.current;
  }

  reset(): Float32Array {
    this.chosen = [];
    this.layer = 0;
    this.weightTurn = true;
    return this.observe(0, 1, true);
  }

  /** Takes the action for the current decision; the next state, or the last one again when the episode is done. */
  step(action: number): { readonly observation: Float32Array; readonly done: boolean } {
    const { ranges, quantizesActivations, layers } = this.setup;
    const range = quantizesActivations && !this.weightTurn ? ranges.activation : ranges.weight;
    const bits = bitsOfAction(action, range);
    if (quantizesActivations && this.weightTurn) {
      this.pendingWeight = bits;
      this.weightTurn = false;
      return { observation: this.observe(this.layer, bits / range.max, false), done: false };
    }
    this.chosen.push(quantizesActivations ? { weight: this.pendingWeight, activation: bits } : { weight: bits, activation: bits });
    this.weightTurn = true;
    if (this.layer === layers.length - 1) return { observation: this.current, done: true };
    this.layer++;
    return { observation: this.observe(this.layer, bits / range.max, true), done: false };
  }

  /** The bits chosen this episode, pinned and walked back into the budget. */
  policy(): Policy {
    const { layers, quantizesActivations, cost, target, ranges } = this.setup;
    if (this.chosen.length !== layers.length) throw new Error(`the episode chose bits for ${this.chosen.length} of ${layers.length} layers`);
    return enforceBudget(pinFirstLast(this.chosen, quantizesActivations), cost, target, ranges, quantizesActivations);
  }
}
