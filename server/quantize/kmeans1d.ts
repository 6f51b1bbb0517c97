/**
 * k-means on scalars, as HAQ's k-means environment quantizes a layer's weights (`k_means_cpu` in
 * mit-han-lab/haq lib/utils/quantize_utils.py: scikit-learn's KMeans, 'k-means++' init, one run,
 * `max_iter` Lloyd iterations; the environment uses 3). The codebook has at most as many
 * centroids as there are weights; every weight is replaced by its centroid.
 */
import type { Rng } from '../core/rng';

export interface Codebook {
  /** Centroids, ascending. */
  readonly centroids: Float32Array;
  /** Index of each value's centroid. */
  readonly labels: Uint16Array;
}

/** Lloyd iterations the reference runs per episode (quantize_model(..., max_iter=3)). */
export const KMEANS_ITERATIONS = 3;

/** Index of the centroid nearest to x among ascending `centroids` (ties go to the lower one). */
function nearest(x: number, centroids: ArrayLike<number>): number {
  let lo = 0;
  let hi = centroids.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (centroids[mid] <= x) lo = mid;
    else hi = mid;
  }
  return Math.abs(x - centroids[lo]) <= Math.abs(centroids[hi] - x) ? lo : hi;
}

/**
 * Greedy k-means++ seeding as scikit-learn does it: the first centre uniformly, then each next
 * one the best (least total squared distance) of 2 + floor(ln k) candidates drawn with
 * probability proportional to the squared distance to the nearest centre so far. Stops early
 * when every value already is a centre.
 */
function seed(values: Float32Array, k: number, rng: Rng): number[] {
  const n = values.length;
  const trials = 2 + Math.floor(Math.log(k));
  const centres = [values[rng.int(n)]];
  const closest = new Float64Array(n);
  let potential = 0;
  for (let i = 0; i < n; i++) potential += closest[i] = (values[i] - centres[0]) ** 2;
  while (centres.length < k && potential > 0) {
    const cumulative = new Float64Array(n);
    let running = 0;
    for (let i = 0; i < n; i++) cumulative[i] = running += closest[i];
    let bestCandidate = 0;
    let bestPotential = Infinity;
    for (let t = 0; t < trials; t++) {
      const target = rng.next() * running;
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid] <= target) lo = mid + 1;
        else hi = mid;
      }
      const candidate = values[lo];
      let total = 0;
      for (let i = 0; i < n; i++) total += Math.min(closest[i], (values[i] - candidate) ** 2);
      if (total < bestPotential) {
        bestPotential = total;
        bestCandidate = candidate;
      }
    }
    centres.push(bestCandidate);
    potential = 0;
    for (let i = 0; i < n; i++) potential += closest[i] = Math.min(closest[i], (values[i] - bestCandidate) ** 2);
  }
  return centres;
}

/**
 * A codebook of at most `k` centroids for `values`: k-means++ seeding then `iterations` Lloyd
 * steps (each value to its nearest centroid, each centroid to the mean of its values; a centroid
 * left without values keeps its place). Same values, k and rng state: same codebook.
 */
export function kmeans1d(values: Float32Array, k: number, rng: Rng, iterations = KMEANS_ITERATIONS): Codebook {
  if (values.length === 0) return { centroids: new Float32Array(0), labels: new Uint16Array(0) };
  let centroids = Float64Array.from(seed(values, Math.min(k, values.length), rng)).sort();
  const labels = new Uint16Array(values.length);
  const assign = () => {
    for (let i = 0; i < values.length; i++) labels[i] = nearest(values[i], centroids);
  };
  for (let step = 0; step < iterations; step++) {
    assign();
    const sums = new Float64Array(centroids.length);
    const counts = new Float64Array(centroids.length);
    for (let i = 0; i < values.length; i++) {
      sums[labels[i]] += values[i];
      counts[labels[i]]++;
    }
    centroids = centroids.map((c, j) => (counts[j] > 0 ? sums[j] / counts[j] : c)).sort();
  }
  assign();
  return { centroids: Float32Array.from(centroids), labels };
}

/** The values a codebook stands for: each label's centroid. */
export function decodeCodebook(codebook: Codebook): Float32Array {
  return Float32Array.from(codebook.labels, (label) => codebook.centroids[label]);
}
