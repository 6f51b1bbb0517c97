import { checkInputShape, checkSampleCount } from './datasetFit';
import { readSplits, type DatasetSpec } from './datasetSpec';
import { DATA_LIMITS, type DataLimits } from './dataLimits';
import type { DatasetSummary } from './imageDataset';

/** What a run asks of its dataset, each with the setting it comes from (named in the error). */
export interface DatasetNeeds {
  /** Training examples the run uses, e.g. { count: 5000, setting: 'trainSamples + validationSamples' }. */
  readonly samples?: { readonly count: number; readonly setting: string };
  /** [height, width, channels] the network takes, e.g. { shape: [32, 32, 3], setting: 'supernet.input' }. */
  readonly input?: { readonly shape: readonly number[]; readonly setting: string };
}

export interface DatasetSummaries {
  readonly train: DatasetSummary;
  readonly test?: DatasetSummary;
}

/**
 * Checks a spec's dataset cheaply, before a run is created: files exist and are regular files
 * within the size limits, IDX headers are valid and match their files' sizes and each other,
 * CIFAR files are whole records, image folders have non-empty class folders (links followed), the
 * test split has the training shape, and the dataset fits `needs`. Headers are read and folders
 * listed, but no data is decoded (an image folder decodes its first image only when the spec does
 * not fix the image shape). Throws the MissingFileError / DataError loading would.
 */
export function inspectDataset(spec: DatasetSpec, baseDir: string, needs: DatasetNeeds = {}, limits: DataLimits = DATA_LIMITS): DatasetSummaries {
  const splits = readSplits(spec, baseDir, (reader) => reader.inspect(limits));
  if (needs.input) checkInputShape(splits.train, needs.input.shape, needs.input.setting);
  if (needs.samples) checkSampleCount(splits.train, needs.samples.count, needs.samples.setting);
  return splits;
}
