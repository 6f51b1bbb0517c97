import type { Genome } from '../core/searchSpace';
import { BLOCK_COUNT, BLOCK_OPTIONS, DEPTHS, EXPAND_RATIOS, KERNEL_SIZES, MAX_DEPTH, STAGE_COUNT } from '../spaces/ofa/mbv3Network';
import { D_OFFSET, E_OFFSET, KS_OFFSET, type OfaMbv3Space, R_INDEX } from '../spaces/ofa/ofaMbv3Space';

/**
 * Any efficiency measure that is a sum over layers (table latency, FLOPs), compiled for one
 * space: per resolution, a fixed part (stem, first block, head) plus one number per elastic
 * block and (kernel, expand) option. Evaluating a genome is then 1 + (active blocks) additions.
 */
export class AdditiveCost {
  constructor(
    /** Resolutions, in the space's resolution-index order. */
    readonly resolutions: readonly number[],
    /** Fixed cost per resolution index. */
    readonly base: Float64Array,
    /** `[resolution index][block][option]`, option = kernel index * 3 + expand index. */
    readonly blocks: Float64Array,
  ) {}

  /** Layout constants as fields: `blockCost` is called in search loops (see `cost`). */
  private readonly blockCount = BLOCK_COUNT;
  private readonly optionCount = BLOCK_OPTIONS;

  /**
   * Builds the table from a cost per elastic block (`blockCost`) and a fixed cost per resolution
   * (`fixedCost`). Called once per resolution, block and option, so lookups may throw.
   */
  static build(
    space: OfaMbv3Space,
    fixedCost: (resolution: number) => number,
    blockCost: (resolution: number, block: number, kernel: number, expand: number) => number,
  ): AdditiveCost {
    const rs = space.resolutions;
    const base = new Float64Array(rs.length);
    const blocks = new Float64Array(rs.length * BLOCK_COUNT * BLOCK_OPTIONS);
    rs.forEach((r, ri) => {
      base[ri] = fixedCost(r);
      for (let i = 0; i < BLOCK_COUNT; i++) {
        for (let k = 0; k < KERNEL_SIZES.length; k++) {
          for (let e = 0; e < EXPAND_RATIOS.length; e++) {
            blocks[(ri * BLOCK_COUNT + i) * BLOCK_OPTIONS + k * EXPAND_RATIOS.length + e] = blockCost(r, i, KERNEL_SIZES[k], EXPAND_RATIOS[e]);
          }
        }
      }
    });
    return new AdditiveCost(rs, base, blocks);
  }

  blockCost(resolutionIndex: number, block: number, option: number): number {
    return this.blocks[(resolutionIndex * this.blockCount + block) * this.optionCount + option];
  }

  cost(genome: Genome): number {
    // Hot path of every search: imported constants (property reads under CommonJS) go to locals.
    const blockCount = BLOCK_COUNT;
    const options = BLOCK_OPTIONS;
    const expands = EXPAND_RATIOS.length;
    const maxDepth = MAX_DEPTH;
    const depths = DEPTHS;
    const dOffset = D_OFFSET;
    const ksOffset = KS_OFFSET;
    const eOffset = E_OFFSET;
    const ri = genome[R_INDEX];
    let total = this.base[ri];
    const offset = ri * blockCount * options;
    for (let s = 0; s < STAGE_COUNT; s++) {
      const depth = depths[genome[dOffset + s]];
      for (let j = 0; j < depth; j++) {
        const i = s * maxDepth + j;
        total += this.blocks[offset + i * options + genome[ksOffset + i] * expands + genome[eOffset + i]];
      }
    }
    return total;
  }

  /** The cheapest sub-network: per resolution, the minimum depth with each block's cheapest option. */
  minimum(): { value: number; genome: Genome } {
    let best: { value: number; genome: Genome } | undefined;
    for (let ri = 0; ri < this.resolutions.length; ri++) {
      const genome = new Array<number>(R_INDEX + 1).fill(0);
      genome[R_INDEX] = ri;
      let value = this.base[ri];
      for (let s = 0; s < STAGE_COUNT; s++) {
        // Extra blocks only add cost, so the minimum depth is optimal; the cheapest option per block.
        for (let j = 0; j < DEPTHS[0]; j++) {
          const i = s * MAX_DEPTH + j;
          let option = 0;
          for (let o = 1; o < BLOCK_OPTIONS; o++) if (this.blockCost(ri, i, o) < this.blockCost(ri, i, option)) option = o;
          genome[KS_OFFSET + i] = Math.floor(option / EXPAND_RATIOS.length);
          genome[E_OFFSET + i] = option % EXPAND_RATIOS.length;
          value += this.blockCost(ri, i, option);
        }
      }
      if (!best || value < best.value) best = { value, genome };
    }
    return best!;
  }
}
