import { predictedLatency, type LatencyModel } from './latencyModel';

/** Grid steps per tolerance band: latencies are rounded to target · tolerance / GRID ms in the search. */
const GRID = 200;

/**
 * The most likely network under softmax(α) (the largest Σ_b log p_b(c_b)) whose latency by the
 * table is within ±`tolerance` of `target`, or undefined when no network of the space is. This is
 * NAS Studio's `near-target` derivation, not the reference's: the reference takes every block's
 * most likely candidate, the unconstrained maximum, so whenever that network lands in the band
 * both give the same one. A search stopped before α has settled leaves blocks undecided, and the
 * blocks' argmax can then sit far from the target even when E[lat] is on it.
 *
 * A dynamic programme over blocks on latencies rounded to a grid (each block's candidates
 * measured from its fastest), which keeps the most likely partial network per grid point; the
 * networks it ends with are checked with exact sums, most likely first.
 */
export function mostLikelyNearTarget(model: LatencyModel, probabilities: readonly (readonly number[])[], target: number, tolerance: number): number[] | undefined {
  const step = (target * tolerance) / GRID;
  const blocks = model.blockMs.map((ms, b) => {
    const fastest = Math.min(...ms);
    return { fastest, steps: ms.map((m) => Math.round((m - fastest) / step)), logP: probabilities[b].map((p) => Math.log(Math.max(p, Number.MIN_VALUE))) };
  });
  const base = blocks.reduce((sum, b) => sum + b.fastest, model.fixedMs);
  const width = blocks.reduce((sum, b) => sum + Math.max(...b.steps), 0) + 1;
  // best[b][s]: the largest log-probability of blocks 0..b-1 whose rounded latency is s steps above the fastest.
  const best = [new Float64Array(width).fill(-Infinity)];
  best[0][0] = 0;
  const choice: Int32Array[] = [];
  blocks.forEach((block, b) => {
    const next = new Float64Array(width).fill(-Infinity);
    const chosen = new Int32Array(width).fill(-1);
    for (let s = 0; s < width; s++) {
      if (best[b][s] === -Infinity) continue;
      block.steps.forEach((d, c) => {
        const value = best[b][s] + block.logP[c];
        if (value > next[s + d]) {
          next[s + d] = value;
          chosen[s + d] = c;
        }
      });
    }
    best.push(next);
    choice.push(chosen);
  });
  const last = best[blocks.length];
  // Rounding moves a sum by at most half a step per block: look that far beyond the band, then check exactly.
  const slack = (blocks.length * step) / 2;
  const ends = [...last.keys()]
    .filter((s) => last[s] > -Infinity && Math.abs(base + s * step - target) <= target * tolerance + slack)
    .sort((a, b) => last[b] - last[a]);
  for (const end of ends) {
    const choices = new Array<number>(blocks.length);
    for (let b = blocks.length - 1, s = end; b >= 0; b--) {
      choices[b] = choice[b][s];
      s -= blocks[b].steps[choices[b]];
    }
    if (Math.abs(predictedLatency(model, choices) - target) <= target * tolerance) return choices;
  }
  return undefined;
}
