import { checkInputShape, checkSampleCount } from '../../data/datasetFit';
import { checkLabels, type ImageDataset } from '../../data/imageDataset';
import { loadDataset, type LoadedDataset } from '../../data/datasetSpec';
import { archClasses, type TrainableArch } from './buildModel';
import type { ResolvedTrainOptions } from './trainOptions';

const datasets = new Map<string, LoadedDataset>();

/** Loads (once per process) and checks a dataset against the architecture and options. */
export function prepareDataset(job: { readonly arch: TrainableArch; readonly options: ResolvedTrainOptions; readonly baseDir: string }): LoadedDataset {
  const key = JSON.stringify([job.options.dataset, job.baseDir]);
  let data = datasets.get(key);
  if (!data) {
    data = loadDataset(job.options.dataset, job.baseDir);
    datasets.clear();
    datasets.set(key, data);
  }
  checkCompatible(data.train, job.arch, job.options);
  return data;
}

function checkCompatible(train: ImageDataset, arch: TrainableArch, options: ResolvedTrainOptions): void {
  checkInputShape(train, arch.input, "the search space's input");
  const classes = archClasses(arch);
  if (classes !== undefined) checkLabels(train, classes);
  checkSampleCount(train, options.trainSamples + options.validationSamples, 'trainSamples + validationSamples');
}
