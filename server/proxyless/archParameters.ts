/**
 * ProxylessNAS's architecture parameters: one vector α per mixed block, p = softmax(α), and the
 * reference's path binarization (`MixedEdge.binarize`, `set_arch_param_grad`,
 * `rescale_updated_arch_param` in search/modules/mix_op.py). Plain numbers: the networks only
 * ever see which candidates are active and report the gradients of their gates.
 */
import type { Rng } from '../core/rng';

/** `two`: two paths sampled, gradient for their α only. `full_v2`: one path, gradient for every α. */
export type Binarization = 'two' | 'full_v2';

export function softmax(alpha: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < alpha.length; i++) max = Math.max(max, alpha[i]);
  const e = Array.from(alpha, (a) => Math.exp(a - max));
  const sum = e.reduce((s, x) => s + x, 0);
  return e.map((x) => x / sum);
}

/** α drawn from N(0, std²) per candidate (the reference's `init_arch_params('normal', 1e-3)`). */
export function initialAlphas(candidates: readonly number[], std: number, rng: Rng): number[][] {
  return candidates.map((n) => Array.from({ length: n }, () => std * rng.normal()));
}

/** The candidates of one block a step runs, and the probabilities its gradients use. */
export interface BlockSample {
  /** The candidate whose output the block passes on (gate 1). */
  readonly active: number;
  /** Candidates with gate 0 whose gate gradient is needed: the pair's other (`two`), every other (`full_v2`). */
  readonly inactive: readonly number[];
  /**
   * The reference's `current_prob_over_ops`: softmax over the sampled pair (`two`) or over all
   * candidates (`full_v2`), by candidate index (0 for candidates not involved).
   */
  readonly probs: readonly number[];
}

/** One candidate drawn from p (a weight step, MixedEdge.MODE None). */
export function samplePath(alpha: ArrayLike<number>, rng: Rng): number {
  return rng.weightedIndex(softmax(alpha));
}

/** Binarizes one block for an architecture step, as `MixedEdge.binarize` does in the given mode. */
export function binarize(alpha: readonly number[], mode: Binarization, rng: Rng): BlockSample {
  const p = softmax(alpha);
  if (mode === 'full_v2') {
    const active = rng.weightedIndex(p);
    return { active, inactive: p.map((_, i) => i).filter((i) => i !== active), probs: p };
  }
  // torch.multinomial(probs, 2, replacement=False): the second draw excludes the first.
  const first = rng.weightedIndex(p);
  const second = rng.weightedIndex(p.map((x, i) => (i === first ? 0 : x)));
  const pair = [first, second];
  const slice = softmax(pair.map((i) => alpha[i]));
  const c = rng.weightedIndex(slice);
  const probs = alpha.map(() => 0);
  pair.forEach((i, k) => (probs[i] = slice[k]));
  return { active: pair[c], inactive: [pair[1 - c]], probs };
}

/** Candidates a sample involves: the active one first. */
export function involved(sample: BlockSample): number[] {
  return [sample.active, ...sample.inactive];
}

/**
 * Vector-Jacobian product of the softmax over the involved candidates: for a gradient v with
 * respect to the probabilities (gates, or latencies weighted by dL/dE), the gradient with respect
 * to α is Σ_j v_j p_j (δ_ij − p_i) for every involved i, 0 elsewhere. With v the gate gradients
 * this is the reference's `set_arch_param_grad`.
 */
export function alphaGradient(sample: BlockSample, v: readonly number[]): number[] {
  const ids = involved(sample);
  const dot = ids.reduce((s, j) => s + v[j] * sample.probs[j], 0);
  const grad = sample.probs.map(() => 0);
  for (const i of ids) grad[i] = sample.probs[i] * (v[i] - dot);
  return grad;
}

/**
 * `rescale_updated_arch_param` after a `two`-mode update: shifts the pair's updated α by
 * log(Σ exp α_new / Σ exp α_old) over the pair, so the pair keeps its total probability mass and
 * every candidate that was not sampled keeps its probability. Changes `alpha` in place.
 */
export function rescaleInvolved(alpha: number[], before: readonly number[], ids: readonly number[]): void {
  const mass = (values: readonly number[]) => ids.reduce((s, i) => s + Math.exp(values[i]), 0);
  const offset = Math.log(mass(alpha) / mass(before));
  for (const i of ids) alpha[i] -= offset;
}

/** The most likely candidate of a block (`chosen_index`); the first on ties. */
export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
