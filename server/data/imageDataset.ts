/** Labelled images held as bytes (HWC, 0..255) until a batch is materialized as floats. */
export interface ImageDataset {
  readonly name: string;
  /** [height, width, channels] */
  readonly shape: readonly [number, number, number];
  readonly classes: number;
  readonly count: number;
  /** count * height * width * channels bytes, example-major. */
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
}

/** Examples `indices` of a dataset as normalized floats (x / 255) and labels. */
export function gather(dataset: ImageDataset, indices: ArrayLike<number>): { x: Float32Array; y: Int32Array } {
  const size = dataset.shape[0] * dataset.shape[1] * dataset.shape[2];
  const x = new Float32Array(indices.length * size);
  const y = new Int32Array(indices.length);
  for (let n = 0; n < indices.length; n++) {
    const src = indices[n] * size;
    const dst = n * size;
    for (let i = 0; i < size; i++) x[dst + i] = dataset.pixels[src + i] / 255;
    y[n] = dataset.labels[indices[n]];
  }
  return { x, y };
}
