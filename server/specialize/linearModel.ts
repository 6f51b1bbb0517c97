import type { Genome } from '../core/searchSpace';
import type { AccuracyPredictor } from '../ofa/accuracyPredictor';
import { BLOCK_COUNT, BLOCK_OPTIONS, EXPAND_RATIOS } from '../spaces/ofa/mbv3Network';
import { RESOLUTION_FEATURE_OFFSET, resolutionSlot } from '../spaces/ofa/ofaMbv3Space';

/**
 * First-order model of the accuracy predictor around one architecture. The predictor's input is
 * one-hot, so its gradient prices every choice at once: an active block with option o adds
 * `block[i * 9 + o]` (kernel plus expand feature), resolution index r adds `resolution[r]`.
 * On OFA's predictor it ranks two-block moves with a Spearman correlation near 0.9.
 */
export interface LinearModel {
  readonly block: Float64Array;
  readonly resolution: Float64Array;
}

export function linearize(predictor: AccuracyPredictor, genome: Genome): LinearModel {
  const trace: Float64Array[] = [];
  predictor.mlp.predictOne(predictor.space.encode(genome), trace);
  const gradient = predictor.mlp.backward(trace, 1);
  const block = new Float64Array(BLOCK_COUNT * BLOCK_OPTIONS);
  for (let i = 0; i < BLOCK_COUNT; i++) {
    for (let o = 0; o < BLOCK_OPTIONS; o++) {
      const kernel = Math.floor(o / EXPAND_RATIOS.length);
      const expand = o % EXPAND_RATIOS.length;
      block[i * BLOCK_OPTIONS + o] = gradient[3 * i + kernel] + gradient[3 * BLOCK_COUNT + 3 * i + expand];
    }
  }
  const resolution = Float64Array.from(predictor.space.resolutions, (r) => gradient[RESOLUTION_FEATURE_OFFSET + resolutionSlot(r)]);
  return { block, resolution };
}
