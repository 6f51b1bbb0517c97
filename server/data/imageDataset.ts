import { DataError } from '../core/errors';

/** What inspecting a dataset's headers and folders tells without decoding its images. */
export interface DatasetSummary {
  readonly count: number;
  /** [height, width, channels] of every image. */
  readonly shape: readonly [number, number, number];
  /** The file or folder the images come from, named in errors about them. */
  readonly source?: string;
}

/** Labelled images held as bytes (HWC, 0..255) until a batch is materialized as floats. */
export interface ImageDataset extends DatasetSummary {
  readonly name: string;
  readonly classes: number;
  /** count * height * width * channels bytes, example-major. */
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
  /** The labels' own file when it is not `source` (IDX), named in errors about labels. */
  readonly labelsSource?: string;
}

/** Fails with a DataError naming the labels' file when a label does not fit a `classes`-way classifier. */
export function checkLabels(dataset: ImageDataset, classes: number): void {
  if (dataset.classes <= classes) return;
  // A format's class count (CIFAR-10: 10) can exceed the labels actually present.
  const index = dataset.labels.findIndex((l) => l >= classes);
  if (index < 0) return;
  throw new DataError(`label ${dataset.labels[index]} of example ${index} is out of range: the network has ${classes} classes (labels 0..${classes - 1})`, dataset.labelsSource ?? dataset.source);
}
