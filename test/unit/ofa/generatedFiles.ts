// Reference files generated for tests (no shared data needed): predictors and FLOPs tables.
import { Mlp } from '../../../server/ofa/mlp';
import { BLOCK_COUNT, EXPAND_RATIOS, KERNEL_SIZES } from '../../../server/spaces/ofa/mbv3Network';

/** A one-layer (linear) OFA predictor: `bias` plus `perFeature(index)` for every feature set in the 128-d encoding. */
export function linearPredictor(bias: number, perFeature: (feature: number) => number): Mlp {
  return new Mlp([{ inputs: 128, outputs: 1, weight: Float64Array.from({ length: 128 }, (_, i) => perFeature(i)), bias: Float64Array.of(bias) }]);
}

/** Encoding features 0..59 are kernel one-hots (3 per block), 60..119 expand ones: the last of each triple is kernel 7 / expand 6. */
export const isLargestOption = (feature: number) => feature < 120 && feature % 3 === 2;

/**
 * A FLOPs table in the layout of OFA's tutorial FLOPsTable: per resolution the fixed first block
 * ("3,1": 10), the 20 elastic blocks with `blockFlops(kernel, expand)` each, and other blocks
 * summing to 56.5.
 */
export function flopsTableJson(resolutions: readonly number[], blockFlops: (kernel: number, expand: number) => number) {
  const options = () => Object.fromEntries(KERNEL_SIZES.flatMap((k) => EXPAND_RATIOS.map((e) => [`${k},${e}`, blockFlops(k, e)])));
  return {
    table: Object.fromEntries(
      resolutions.map((r) => [
        r,
        {
          mobile_inverted_blocks: [{ '3,1': 10 }, ...Array.from({ length: BLOCK_COUNT }, options)],
          other_blocks: { first_conv: 20, final_expand_layer: 30, feature_mix_layer: 5, classifier: 1.5 },
        },
      ]),
    ),
  };
}
