/**
 * Where to clip a tensor's range before linear quantization. Clipping outliers makes the levels
 * finer for the bulk of the values; HAQ's reference (`QModule._compute_threshold` in
 * mit-han-lab/haq lib/utils/quantize_utils.py) picks the threshold by a KL-divergence criterion
 * on the histogram of |x|, used below 5 bits (at 5 bits and more the range is max |x|).
 */
import { roundHalfEven } from './roundHalfEven';

/** How the clipping threshold is chosen: the reference's KL criterion, or the least quantization MSE. */
export type ClipMethod = 'kl' | 'mse';

/** Below this many bits the range is clipped; from it on, the range is max |x| (as in the reference). */
export const CLIP_BELOW_BITS = 5;

export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (a > m) m = a;
  }
  return m;
}

/** numpy.interp: piecewise-linear interpolation of (xp, fp) at x (xp increasing). */
function interp(x: number, xp: readonly number[], fp: ArrayLike<number>): number {
  if (x <= xp[0]) return fp[0];
  const last = xp.length - 1;
  if (x >= xp[last]) return fp[last];
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xp[mid] <= x) lo = mid;
    else hi = mid;
  }
  const t = (x - xp[lo]) / (xp[hi] - xp[lo]);
  return fp[lo] + t * (fp[hi] - fp[lo]);
}

/** numpy.linspace(0, 1, n). */
function unitGrid(n: number): number[] {
  return n === 1 ? [0] : Array.from({ length: n }, (_, i) => i / (n - 1));
}

/**
 * The reference's KL threshold: a histogram of |x| over [0, max |x|] with numpy's 'sqrt' bin width; for each candidate bin i > 2^(bits-1) the cumulative distribution clipped at
 * bin i is squeezed to 2^(bits-1) points and stretched back, and the threshold (i + 0.5) * bin width
 * with the least divergence sum((c - q) log2(c / q)) between the cumulative distributions wins.
 * Where both are 0 a term counts 0 (numpy would give NaN); where only c is 0 it is +inf.
 */
export function klThreshold(values: ArrayLike<number>, bits: number): number {
  const top = maxAbs(values);
  if (top === 0 || values.length === 0) return 0;
  // numpy's 'sqrt' rule: bin width ptp(|x|) / sqrt(n), then as many bins as cover [0, max |x|].
  let bottom = top;
  for (let i = 0; i < values.length; i++) bottom = Math.min(bottom, Math.abs(values[i]));
  const estimate = (top - bottom) / Math.sqrt(values.length);
  const bins = estimate > 0 ? Math.ceil(top / estimate) : 1;
  const width = top / bins;
  const hist = new Float64Array(bins);
  for (let i = 0; i < values.length; i++) hist[Math.min(bins - 1, Math.floor((Math.abs(values[i]) * bins) / top))]++;
  const cumsum = new Float64Array(bins);
  let running = 0;
  for (let k = 0; k < bins; k++) cumsum[k] = running += hist[k] / values.length;
  const n = 2 ** (bits - 1);
  if (n + 1 > bins) return top;
  const coarse = unitGrid(n);
  let best = Infinity;
  let threshold = top;
  for (let i = n + 1; i <= bins; i++) {
    const p = Float64Array.from(cumsum);
    p.fill(1, i - 1);
    const fine = unitGrid(i);
    const squeezed = coarse.map((x) => interp(x, fine, p));
    let divergence = 0;
    for (let k = 0; k < bins; k++) {
      const q = k < i ? interp(fine[k], coarse, squeezed) : p[k];
      const c = cumsum[k];
      if (c === q) continue;
      divergence += c === 0 ? Infinity : (c - q) * Math.log2(c / q);
    }
    if (divergence < best) {
      best = divergence;
      threshold = (i + 0.5) * width;
    }
  }
  return threshold;
}

/** Values used to score MSE thresholds: all of them, or an even spread of this many. */
const MSE_SAMPLE = 65536;
const MSE_CANDIDATES = 100;

/**
 * The threshold among max|x| * j / 100 (j = 1..100) whose quantization of `values` to `levels`
 * steps (symmetric: `signed`, else [0, t]) has the least mean squared error.
 */
export function mseThreshold(values: ArrayLike<number>, levels: number, signed: boolean): number {
  const top = maxAbs(values);
  if (top === 0 || values.length === 0) return 0;
  const stride = Math.max(1, Math.floor(values.length / MSE_SAMPLE));
  let best = Infinity;
  let threshold = top;
  for (let j = 1; j <= MSE_CANDIDATES; j++) {
    const t = (top * j) / MSE_CANDIDATES;
    const scale = t / levels;
    let error = 0;
    for (let i = 0; i < values.length; i += stride) {
      const x = values[i];
      const clipped = Math.min(t, Math.max(signed ? -t : 0, x));
      const d = x - roundHalfEven(clipped / scale) * scale;
      error += d * d;
    }
    if (error < best) {
      best = error;
      threshold = t;
    }
  }
  return threshold;
}
