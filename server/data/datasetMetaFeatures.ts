import { channelStats } from './channelStats';
import { loadTrainingSplit, type DatasetSpec } from './datasetSpec';

/** Examples the channel statistics are computed on (evenly spaced over the training split). */
const STATS_EXAMPLES = 2000;

/**
 * What describes a dataset as a task, cheaply (auto-sklearn's meta-features for images): its
 * size, classes, image shape and per-channel statistics of the training split.
 */
export interface DatasetMetaFeatures {
  readonly examples: number;
  /** Distinct labels in the training split. */
  readonly classes: number;
  /** [height, width, channels]. */
  readonly shape: readonly [number, number, number];
  /** Per-channel mean and standard deviation of pixel / 255. */
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** Reads the training split of a dataset spec (paths relative to `baseDir`) and describes it. */
export function datasetMetaFeatures(spec: DatasetSpec, baseDir: string): DatasetMetaFeatures {
  const data = loadTrainingSplit(spec, baseDir);
  const step = Math.max(1, data.count / STATS_EXAMPLES);
  const indices = Array.from({ length: Math.min(data.count, STATS_EXAMPLES) }, (_, i) => Math.floor(i * step));
  const { mean, std } = channelStats(data, indices);
  return { examples: data.count, classes: new Set(data.labels).size, shape: data.shape, mean, std };
}

/**
 * Distance between two datasets' meta-features: Euclidean over log10 of the example count, the
 * class count and the pixel count, the channel count / 3, and the per-channel means and standard
 * deviations (a gray image counts as three equal channels). 0 for the same dataset.
 */
export function metaFeatureDistance(a: DatasetMetaFeatures, b: DatasetMetaFeatures): number {
  const vector = (m: DatasetMetaFeatures) => {
    const rgb = (values: readonly number[]) => [0, 1, 2].map((k) => values[Math.min(k, values.length - 1)]);
    return [Math.log10(m.examples), Math.log10(Math.max(1, m.classes)), Math.log10(m.shape[0] * m.shape[1]), m.shape[2] / 3, ...rgb(m.mean), ...rgb(m.std)];
  };
  const u = vector(a);
  const v = vector(b);
  return Math.sqrt(u.reduce((s, x, i) => s + (x - v[i]) ** 2, 0));
}

/** "60000 × 28x28x1, 10 classes". */
export function describeMetaFeatures(m: DatasetMetaFeatures): string {
  return `${m.examples} × ${m.shape.join('x')}, ${m.classes} classes`;
}
