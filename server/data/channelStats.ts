import type { Normalization } from './batchAssembly';
import type { ImageDataset } from './imageDataset';

/** Per-channel mean and standard deviation (of byte / 255) over the examples `indices`. */
export function channelStats(dataset: ImageDataset, indices: ArrayLike<number>): Normalization {
  const [h, w, c] = dataset.shape;
  const size = h * w * c;
  const sum = new Float64Array(c);
  const squares = new Float64Array(c);
  for (let n = 0; n < indices.length; n++) {
    const base = indices[n] * size;
    for (let i = 0; i < size; i += c) {
      for (let k = 0; k < c; k++) {
        const v = dataset.pixels[base + i + k];
        sum[k] += v;
        squares[k] += v * v;
      }
    }
  }
  const values = indices.length * h * w;
  const mean = Array.from(sum, (s) => s / values / 255);
  // Population std, floored so a constant channel does not divide by zero.
  const std = Array.from(squares, (s, k) => Math.max(Math.sqrt(Math.max(s / values / 65025 - mean[k] ** 2, 0)), 1e-3));
  return { mean, std };
}
