/**
 * Bit policies as HAQ's environments build them (mit-han-lab/haq lib/env/*quantize_env.py): the
 * agent's continuous action becomes a bit width (`_action_wall`), first and last layers are pinned
 * to 8 bits (`_keep_first_last_layer`), and after the last layer the policy is walked back until
 * its cost fits the budget (`_final_action_wall`).
 */
import type { CostModel } from './costModel';
import { roundHalfEven } from './roundHalfEven';
import { FLOAT_BITS, INPUT_BITS, PINNED_BITS, type LayerBits, type Policy } from './quantizableLayers';

/** The bit widths the agent chooses from (the reference's --min_bit / --max_bit). */
export interface BitRange {
  readonly min: number;
  readonly max: number;
}

/** The weight and activation ranges of a run: the same range unless the spec sets `activationBits`. */
export interface BitRanges {
  readonly weight: BitRange;
  readonly activation: BitRange;
}

export function bitRangesOf(spec: { readonly bits: BitRange; readonly activationBits?: BitRange }): BitRanges {
  return { weight: spec.bits, activation: spec.activationBits ?? spec.bits };
}

/**
 * Action a in [0, 1] to bits: round(a * (max - min + 1) + min - 0.5), every width getting an
 * equal share of [0, 1]. Clamped to [min, max] (only a = 0 or 1 exactly could round outside).
 */
export function bitsOfAction(action: number, range: BitRange): number {
  const bits = roundHalfEven(action * (range.max - range.min + 1) + range.min - 0.5);
  return Math.min(range.max, Math.max(range.min, bits));
}

/**
 * Fixes what the agent does not choose: the first layer's 8-bit weights (its input is the 8-bit
 * image, never quantized), the last layer's 8-bit weights and inputs, and, for a quantizer of
 * weights only, float activations everywhere else.
 */
export function pinFirstLast(policy: readonly LayerBits[], quantizesActivations: boolean): LayerBits[] {
  const last = policy.length - 1;
  return policy.map((b, i) => ({
    weight: i === 0 || i === last ? PINNED_BITS : b.weight,
    activation: i === 0 ? INPUT_BITS : i === last && quantizesActivations ? PINNED_BITS : quantizesActivations ? b.activation : FLOAT_BITS,
  }));
}

/** Every layer at `weight` / `activation` bits, first and last pinned. */
export function uniformPolicy(layers: number, weight: number, activation: number, quantizesActivations: boolean): Policy {
  return pinFirstLast(Array.from({ length: layers }, () => ({ weight, activation })), quantizesActivations);
}

/** The cheapest policy the agent can reach: everything it chooses at the minimum. */
export function minimumPolicy(layers: number, ranges: BitRanges, quantizesActivations: boolean): Policy {
  return uniformPolicy(layers, ranges.weight.min, ranges.activation.min, quantizesActivations);
}

/**
 * The reference's final action wall: while the policy costs more than `target`, walk from the last
 * layer to the first lowering each layer's activation bits, then its weight bits, by one (never
 * below the minimum, never a pinned width), stopping as soon as the cost fits. Activation bits are
 * only lowered when they change the cost (not for a model-size budget). Returns the policy as it
 * stands when it fits or nothing more can be lowered.
 */
export function enforceBudget(policy: Policy, cost: CostModel, target: number, ranges: BitRanges, quantizesActivations: boolean): Policy {
  const bits = policy.map((b) => ({ ...b }));
  const last = bits.length - 1;
  const lowerActivations = quantizesActivations && cost.dependsOnActivations;
  const fits = () => cost.cost(bits) <= target;
  while (!fits()) {
    let lowered = false;
    for (let i = last; i >= 0; i--) {
      const pinned = i === 0 || i === last;
      if (lowerActivations && !pinned && bits[i].activation > ranges.activation.min) {
        bits[i].activation--;
        lowered = true;
      }
      if (fits()) break;
      if (!pinned && bits[i].weight > ranges.weight.min) {
        bits[i].weight--;
        lowered = true;
      }
      if (fits()) break;
    }
    if (!lowered) break;
  }
  return bits;
}
