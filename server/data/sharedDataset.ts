import type { ImageDataset } from './imageDataset';

/**
 * The dataset with its bytes in SharedArrayBuffers: posted to worker threads it is shared, not
 * copied, so every data-parallel replica assembles its own batches from the one copy.
 */
export function toShared(dataset: ImageDataset): ImageDataset {
  if (dataset.pixels.buffer instanceof SharedArrayBuffer) return dataset;
  const pixels = new Uint8Array(new SharedArrayBuffer(dataset.pixels.length));
  pixels.set(dataset.pixels);
  const labels = new Uint8Array(new SharedArrayBuffer(dataset.labels.length));
  labels.set(dataset.labels);
  return { ...dataset, pixels, labels };
}
