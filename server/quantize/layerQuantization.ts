/**
 * How one layer's kernel is quantized: integer levels on a linear grid, or labels into a k-means
 * codebook. The weights the layer computes with follow from it, exactly as stock TF.js decodes
 * uint8/uint16-quantized weights (code * scale + min), so the exported model computes what the
 * simulation measured.
 */
import { Rng } from '../core/rng';
import { decodeCodebook, kmeans1d, type Codebook } from './kmeans1d';
import { levelOf, weightGrid, type LinearGrid } from './linearQuantizer';
import type { ClipMethod } from './clipThreshold';

export type LayerQuantization =
  | { readonly kind: 'linear'; readonly bits: number; readonly grid: LinearGrid; readonly levels: Int32Array }
  | { readonly kind: 'kmeans'; readonly bits: number; readonly codebook: Codebook };

/** Codes are levels shifted to start at 0 (a signed grid's -maxLevel is code 0). */
export function codeOffset(grid: LinearGrid): number {
  return grid.signed ? grid.maxLevel : 0;
}

/** The value code 0 stands for: what TF.js calls `min`. */
export function gridMinimum(grid: LinearGrid): number {
  return -codeOffset(grid) * grid.step;
}

/** The weights a quantized layer computes with. */
export function dequantize(q: LayerQuantization): Float32Array {
  if (q.kind === 'kmeans') return decodeCodebook(q.codebook);
  const offset = codeOffset(q.grid);
  const min = gridMinimum(q.grid);
  return Float32Array.from(q.levels, (k) => (k + offset) * q.grid.step + min);
}

/** Levels of `values` on a fixed grid (the grid chosen before fine-tuning moved the weights). */
export function linearLevels(values: ArrayLike<number>, grid: LinearGrid): Int32Array {
  return Int32Array.from({ length: values.length }, (_, i) => levelOf(values[i], grid));
}

/**
 * A layer's kernel at `bits` bits: linear (threshold by `clip` below 5 bits) or a k-means codebook
 * seeded from `seed` (the same seed, kernel and bits always give the same codebook).
 */
export function quantizeKernel(kernel: Float32Array, bits: number, quantizer: 'linear' | 'kmeans', clip: ClipMethod, seed: string): LayerQuantization {
  if (quantizer === 'kmeans') return { kind: 'kmeans', bits, codebook: kmeans1d(kernel, 2 ** bits, new Rng(seed)) };
  const grid = weightGrid(kernel, bits, clip);
  return { kind: 'linear', bits, grid, levels: linearLevels(kernel, grid) };
}
