import { checkInputShape, checkSampleCount } from '../../data/datasetFit';
import { checkLabels, type ImageDataset } from '../../data/imageDataset';
import { loadDataset, type LoadedDataset } from '../../data/datasetSpec';
import { archClasses, type TrainableArch } from './buildModel';
import type { ResolvedTrainOptions } from './trainOptions';

const datasets = new Map<string, LoadedDataset>();

/** Loads (once per process) and checks a dataset against the architecture and options. */
export function prepareDataset(job: { readonly arch: TrainableArch; readonly options: ResolvedTrainOptions; readonly baseDir: string; readonly resizeImages?: boolean }): LoadedDataset {
  const key = JSON.stringify([job.options.dataset, job.baseDir]);
  let data = datasets.get(key);
  if (!data) {
    data = loadDataset(job.options.dataset, job.baseDir);
    datasets.clear();
    datasets.set(key, data);
  }
  checkCompatible(data.train, job.arch, job.options, job.resizeImages ?? false);
  return data;
}

function checkCompatible(train: ImageDataset, arch: TrainableArch, options: ResolvedTrainOptions, resized: boolean): void {
  // Resized images keep their channels: only those must match the network's input.
  if (resized) checkInputShape(train, [train.shape[0], train.shape[1], arch.input[2]], "the network's input channels");
  else checkInputShape(train, arch.input, "the search space's input");
  const classes = archClasses(arch);
  if (classes !== undefined) checkLabels(train, classes);
  checkSampleCount(train, options.trainSamples + options.validationSamples, 'trainSamples + validationSamples');
}
