/**
 * EfficientNet's compound scaling (Tan & Le, ICML 2019; tensorflow/tpu
 * models/official/efficientnet): depth, width and input resolution grow together by
 * d = α^φ, w = β^φ, r = γ^φ with α·β²·γ² ≈ 2, so FLOPs grow by about 2^φ. The rounding follows
 * the reference's `round_filters` and `round_repeats`.
 */

/** Multipliers of depth (layer repeats), width (channels) and input resolution. */
export interface ScalingCoefficients {
  readonly depth: number;
  readonly width: number;
  readonly resolution: number;
}

export const UNSCALED: ScalingCoefficients = { depth: 1, width: 1, resolution: 1 };

/**
 * The reference's `round_filters`: `filters · width` rounded to the nearest multiple of
 * `divisor` (at least `minDepth`, by default the divisor), plus one divisor when that rounding
 * went down by more than 10 %.
 */
export function roundFilters(filters: number, width: number, divisor = 8, minDepth?: number): number {
  if (!width) return filters;
  const scaled = filters * width;
  let rounded = Math.max(minDepth ?? divisor, Math.floor(Math.trunc(scaled + divisor / 2) / divisor) * divisor);
  if (rounded < 0.9 * scaled) rounded += divisor;
  return rounded;
}

/** The reference's `round_repeats`: ceil(depth · repeats). */
export function roundRepeats(repeats: number, depth: number): number {
  if (!depth) return repeats;
  return Math.ceil(depth * repeats);
}

/** An input side scaled by `resolution`, rounded to the nearest multiple the input pipeline needs (at least one). */
export function roundResolution(side: number, resolution: number, multiple: number): number {
  return Math.max(multiple, Math.round((side * resolution) / multiple) * multiple);
}

/** α·β²·γ²: how much one step of φ multiplies the FLOPs of a network by. */
export function flopsFactor(c: ScalingCoefficients): number {
  return c.depth * c.width ** 2 * c.resolution ** 2;
}

/** d = α^φ, w = β^φ, r = γ^φ. */
export function compoundCoefficients(base: ScalingCoefficients, phi: number): ScalingCoefficients {
  return { depth: base.depth ** phi, width: base.width ** phi, resolution: base.resolution ** phi };
}

/** What the grid search at φ = 1 tries. */
export interface GridOptions {
  /** Distance between grid values of each coefficient (from 1 upward). */
  readonly step: number;
  /** Largest |α·β²·γ² − target| kept. */
  readonly tolerance: number;
  /** The FLOPs factor the coefficients aim at (the paper's 2). */
  readonly target: number;
}

/**
 * Every (α, β, γ) with each coefficient 1, 1 + step, 1 + 2·step, … and |α·β²·γ² − target| within
 * the tolerance, as the paper's small grid search at φ = 1; ordered by α, then β, then γ.
 * Coefficients are rounded to 6 decimals so that 1 + 3·0.1 reads 1.3.
 */
export function coefficientGrid(options: GridOptions): ScalingCoefficients[] {
  const { step, tolerance, target } = options;
  const value = (i: number) => Math.round((1 + i * step) * 1e6) / 1e6;
  const points: ScalingCoefficients[] = [];
  // Each coefficient is at least 1, so α ≤ target + tolerance and β², γ² ≤ target + tolerance.
  const most = target + tolerance;
  for (let a = 0; value(a) <= most + 1e-9; a++) {
    for (let b = 0; value(a) * value(b) ** 2 <= most + 1e-9; b++) {
      for (let g = 0; value(a) * value(b) ** 2 * value(g) ** 2 <= most + 1e-9; g++) {
        const c = { depth: value(a), width: value(b), resolution: value(g) };
        if (Math.abs(flopsFactor(c) - target) <= tolerance + 1e-9) points.push(c);
      }
    }
  }
  return points;
}
