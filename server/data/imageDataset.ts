import { DataError } from '../core/errors';
import { assembleBatch, UNIT_SCALE } from './batchAssembly';

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
  /** The file or folder the labels come from, named in errors about them. */
  readonly source?: string;
}

/** Examples `indices` of a dataset as normalized floats (x / 255) and labels. */
export function gather(dataset: ImageDataset, indices: ArrayLike<number>): { x: Float32Array; y: Int32Array } {
  return assembleBatch(dataset, indices, UNIT_SCALE);
}

/** Fails with a DataError naming the labels' file when a label does not fit a `classes`-way classifier. */
export function checkLabels(dataset: ImageDataset, classes: number): void {
  if (dataset.classes <= classes) return;
  const index = dataset.labels.findIndex((l) => l >= classes);
  throw new DataError(`label ${dataset.labels[index]} of example ${index} is out of range: the network has ${classes} classes (labels 0..${classes - 1})`, dataset.source);
}
