import type { Genome } from '../core/searchSpace';
import type { AdditiveCost } from '../ofa/additiveCost';
import { BLOCK_COUNT, BLOCK_OPTIONS, DEPTHS, EXPAND_RATIOS, MAX_DEPTH, STAGE_COUNT } from '../spaces/ofa/mbv3Network';
import { D_OFFSET, E_OFFSET, KS_OFFSET, R_INDEX } from '../spaces/ofa/ofaMbv3Space';
import type { LinearModel } from './linearModel';

const BISECTION_STEPS = 40;

/**
 * Maximizes a linear accuracy model under `cost <= limit` at one resolution, by Lagrangian
 * relaxation: for a price `lambda` per unit of cost, every block independently takes the option
 * with the best value - lambda * cost and every stage the depth with the best sum; bisection on
 * lambda finds the cheapest price whose solution fits. Costs and values are both additive, so
 * each trial price costs 180 comparisons. Returns undefined when nothing fits at this resolution.
 * Genes of blocks the solution skips keep `template`'s values.
 */
export function solveLinear(model: LinearModel, cost: AdditiveCost, limit: number, resolutionIndex: number, template: Genome): number[] | undefined {
  const budget = limit - cost.base[resolutionIndex];
  // Hot loop (~45 prices x 180 options): constants and this resolution's costs go to locals.
  const options = BLOCK_OPTIONS;
  const maxDepth = MAX_DEPTH;
  const minDepth = DEPTHS[0];
  const stages = STAGE_COUNT;
  const blockCosts = cost.blocks.subarray(resolutionIndex * BLOCK_COUNT * options, (resolutionIndex + 1) * BLOCK_COUNT * options);
  const values = model.block;
  const choice = new Int8Array(stages * maxDepth);
  const depth = new Int8Array(stages);

  /** Chooses options and depths for one price; returns the blocks' total cost. */
  const solve = (lambda: number): number => {
    let total = 0;
    for (let s = 0; s < stages; s++) {
      let sum = 0;
      let bestSum = -Infinity;
      for (let j = 0; j < maxDepth; j++) {
        const i = s * maxDepth + j;
        let bestValue = -Infinity;
        for (let o = i * options, end = o + options; o < end; o++) {
          const value = values[o] - lambda * blockCosts[o];
          if (value > bestValue) {
            bestValue = value;
            choice[i] = o - i * options;
          }
        }
        sum += bestValue;
        if (j + 1 >= minDepth && sum > bestSum) {
          bestSum = sum;
          depth[s] = j + 1;
        }
      }
      for (let j = 0; j < depth[s]; j++) total += blockCosts[(s * maxDepth + j) * options + choice[s * maxDepth + j]];
    }
    return total;
  };

  let low = 0;
  let high = 1;
  if (solve(0) > budget) {
    while (solve(high) > budget) {
      low = high;
      high *= 4;
      if (high > 1e12) return undefined;
    }
    for (let step = 0; step < BISECTION_STEPS; step++) {
      const mid = (low + high) / 2;
      if (solve(mid) > budget) low = mid;
      else high = mid;
    }
    solve(high);
  }
  const genome = template.slice();
  genome[R_INDEX] = resolutionIndex;
  for (let s = 0; s < STAGE_COUNT; s++) {
    genome[D_OFFSET + s] = DEPTHS.indexOf(depth[s] as 2);
    for (let j = 0; j < depth[s]; j++) {
      const i = s * MAX_DEPTH + j;
      genome[KS_OFFSET + i] = Math.floor(choice[i] / EXPAND_RATIOS.length);
      genome[E_OFFSET + i] = choice[i] % EXPAND_RATIOS.length;
    }
  }
  return genome;
}
