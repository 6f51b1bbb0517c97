import type { Rng } from '../core/rng';
import type { ImageDataset } from './imageDataset';

/** Per-channel affine map from bytes to network inputs: x = (byte / 255 - mean[c]) / std[c]. */
export interface Normalization {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** x = byte / 255 for any number of channels. */
export const UNIT_SCALE: Normalization = { mean: [0], std: [1] };

/** x = byte: the raw pixel values, as an exported model takes them. */
export const RAW_BYTES: Normalization = { mean: [0], std: [1 / 255] };

/** Random-crop and flip augmentation: shift by up to `crop` pixels (zero padding), mirror horizontally. */
export interface Augmentation {
  readonly crop: number;
  readonly flip: boolean;
}

/** One augmentation draw per example of a batch. */
export interface SampleTransforms {
  readonly dx: Int8Array;
  readonly dy: Int8Array;
  readonly flip: Uint8Array;
}

export function drawTransforms(count: number, augmentation: Augmentation, rng: Rng): SampleTransforms {
  const span = 2 * augmentation.crop + 1;
  const t = { dx: new Int8Array(count), dy: new Int8Array(count), flip: new Uint8Array(count) };
  for (let i = 0; i < count; i++) {
    if (augmentation.crop > 0) {
      t.dx[i] = rng.int(span) - augmentation.crop;
      t.dy[i] = rng.int(span) - augmentation.crop;
    }
    if (augmentation.flip) t.flip[i] = rng.next() < 0.5 ? 1 : 0;
  }
  return t;
}

/**
 * Materializes examples `indices` as normalized NHWC floats and int labels, optionally augmented:
 * output pixel (y, x) of example n reads source pixel (y + dy, x' + dx) where x' is x mirrored when
 * flipped; pixels shifted in from outside the image are black (byte 0) before normalization.
 * Only the batch is converted: the dataset stays bytes.
 */
export function assembleBatch(
  dataset: ImageDataset,
  indices: ArrayLike<number>,
  normalization: Normalization,
  transforms?: SampleTransforms,
  transformOffset = 0,
): { x: Float32Array; y: Int32Array } {
  const [h, w, c] = dataset.shape;
  const size = h * w * c;
  const x = new Float32Array(indices.length * size);
  const y = new Int32Array(indices.length);
  const scale = Array.from({ length: c }, (_, k) => 1 / (255 * normalization.std[k % normalization.std.length]));
  const offset = Array.from({ length: c }, (_, k) => -normalization.mean[k % normalization.mean.length] / normalization.std[k % normalization.std.length]);
  for (let n = 0; n < indices.length; n++) {
    const src = indices[n] * size;
    const dst = n * size;
    y[n] = dataset.labels[indices[n]];
    const t = transformOffset + n;
    const dx = transforms ? transforms.dx[t] : 0;
    const dy = transforms ? transforms.dy[t] : 0;
    const flip = transforms ? transforms.flip[t] === 1 : false;
    if (dx === 0 && dy === 0 && !flip) {
      for (let i = 0; i < size; i += c) for (let k = 0; k < c; k++) x[dst + i + k] = dataset.pixels[src + i + k] * scale[k] + offset[k];
      continue;
    }
    for (let row = 0; row < h; row++) {
      const sr = row + dy;
      for (let col = 0; col < w; col++) {
        const sc = (flip ? w - 1 - col : col) + dx;
        const o = dst + (row * w + col) * c;
        const inside = sr >= 0 && sr < h && sc >= 0 && sc < w;
        const s = src + (sr * w + sc) * c;
        for (let k = 0; k < c; k++) x[o + k] = (inside ? dataset.pixels[s + k] : 0) * scale[k] + offset[k];
      }
    }
  }
  return { x, y };
}

/** Examples `indices` of a dataset as x / 255 floats and labels, unaugmented. */
export function gather(dataset: ImageDataset, indices: ArrayLike<number>): { x: Float32Array; y: Int32Array } {
  return assembleBatch(dataset, indices, UNIT_SCALE);
}
