/**
 * Linear (uniform) quantization as HAQ's linear environment simulates it (QModule in
 * mit-han-lab/haq lib/utils/quantize_utils.py): weights symmetric around 0 with 2^(b-1) - 1 levels
 * each side of a clipping threshold; a layer's input activations on 2^b - 1 levels over [0, range]
 * (half wave, after a ReLU) or, when the calibration saw negative inputs, symmetric with b - 1 bits
 * of magnitude (full wave). Thresholds are max |x| from 5 bits on, clipped below (clipThreshold.ts).
 */
import { CLIP_BELOW_BITS, klThreshold, maxAbs, mseThreshold, type ClipMethod } from './clipThreshold';
import { roundHalfEven } from './roundHalfEven';

/** A linear grid: value = step * k for integer k in [-maxLevel, maxLevel] (signed) or [0, maxLevel]. */
export interface LinearGrid {
  readonly step: number;
  readonly maxLevel: number;
  readonly signed: boolean;
}

/** Integer levels on each side of 0 for `bits` bits of a signed (symmetric) grid. */
export function signedLevels(bits: number): number {
  if (bits < 2) throw new RangeError(`linear quantization needs at least 2 bits, got ${bits}`);
  return 2 ** (bits - 1) - 1;
}

/** Levels above 0 of an unsigned grid of `bits` bits. */
export function unsignedLevels(bits: number): number {
  return 2 ** bits - 1;
}

function threshold(values: ArrayLike<number>, bits: number, levels: number, signed: boolean, clip: ClipMethod): number {
  const top = maxAbs(values);
  if (bits >= CLIP_BELOW_BITS) return top;
  return Math.min(top, clip === 'kl' ? klThreshold(values, bits) : mseThreshold(values, levels, signed));
}

/** The grid of a layer's weights at `bits` bits. */
export function weightGrid(weights: ArrayLike<number>, bits: number, clip: ClipMethod): LinearGrid {
  const maxLevel = signedLevels(bits);
  return { step: threshold(weights, bits, maxLevel, true, clip) / maxLevel, maxLevel, signed: true };
}

/**
 * The grid of a layer's input activations at `bits` bits, from calibration samples: unsigned
 * when no sample is negative (the input of a layer after a ReLU), else symmetric.
 */
export function activationGrid(samples: ArrayLike<number>, bits: number, clip: ClipMethod): LinearGrid {
  let signed = false;
  for (let i = 0; i < samples.length && !signed; i++) signed = samples[i] < 0;
  const maxLevel = signed ? signedLevels(bits) : unsignedLevels(bits);
  return { step: threshold(samples, bits, maxLevel, signed, clip) / maxLevel, maxLevel, signed };
}

/** The integer level of x on a grid: clipped, then rounded half to even. */
export function levelOf(x: number, grid: LinearGrid): number {
  if (grid.step === 0) return 0;
  const k = roundHalfEven(x / grid.step);
  return Math.min(grid.maxLevel, Math.max(grid.signed ? -grid.maxLevel : 0, k));
}
