import { UNSCALED, type ScalingCoefficients } from './compoundScaling';
import type { Rounding } from './scaledLayerStack';
import { archFlops, scaleArch, type ScalableArch } from './scalableArch';

/** One dimension scaled alone: the baselines compound scaling is compared with. */
export type SingleDimension = 'depth' | 'width' | 'resolution';

/** How a scaling rule grows the base network: all three dimensions together, or one alone. */
export type ScalingRule = 'compound' | SingleDimension;

export const SINGLE_DIMENSIONS: readonly SingleDimension[] = ['depth', 'width', 'resolution'];

export interface MatchedNetwork {
  readonly coefficients: ScalingCoefficients;
  readonly arch: ScalableArch;
  readonly flops: number;
  /** flops / target. */
  readonly ratio: number;
}

/** Coefficient increments tried; FLOPs only change where rounding lets them. */
const STEP = 0.01;
/** The search stops this far past the target (FLOPs grow with every coefficient). */
const OVERSHOOT = 1.5;
const MAX_COEFFICIENT = 64;

/**
 * The network that scales only `dimension` and whose counted FLOPs come closest (in ratio) to
 * `target`: the compound member's FLOPs, so that rules are compared at matched FLOPs. Tries the
 * coefficient from 1 upward in steps of 0.01 until the FLOPs pass the target by half; the
 * smallest coefficient wins a tie.
 */
export function matchFlops(base: ScalableArch, dimension: SingleDimension, target: number, rounding: Rounding): MatchedNetwork {
  let best: MatchedNetwork | undefined;
  for (let i = 0; ; i++) {
    const value = Math.round((1 + i * STEP) * 100) / 100;
    const coefficients = { ...UNSCALED, [dimension]: value };
    const arch = scaleArch(base, coefficients, rounding);
    const flops = archFlops(arch);
    const ratio = flops / target;
    if (!best || Math.abs(Math.log(ratio)) < Math.abs(Math.log(best.ratio))) best = { coefficients, arch, flops, ratio };
    if (ratio > OVERSHOOT || value >= MAX_COEFFICIENT) return best;
  }
}
