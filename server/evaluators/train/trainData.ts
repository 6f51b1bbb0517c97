import { NasError } from '../../core/errors';
import { checkLabels, type ImageDataset } from '../../data/imageDataset';
import { loadDataset, type LoadedDataset } from '../../data/datasetSpec';
import type { LayerStackArch } from '../../spaces/layers/layerSpec';
import type { ResolvedTrainOptions } from './trainOptions';

const datasets = new Map<string, LoadedDataset>();

/** Loads (once per process) and checks a dataset against the architecture and options. */
export function prepareDataset(job: { readonly arch: LayerStackArch; readonly options: ResolvedTrainOptions; readonly baseDir: string }): LoadedDataset {
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

function checkCompatible(train: ImageDataset, arch: LayerStackArch, options: ResolvedTrainOptions): void {
  const [h, w, c] = train.shape;
  const [ah, aw, ac] = arch.input;
  if (h !== ah || w !== aw || c !== ac) {
    throw new NasError('invalid-data', `dataset '${train.name}' has ${h}x${w}x${c} images but the search space expects input [${ah}, ${aw}, ${ac}]`);
  }
  const classes = arch.layers[arch.layers.length - 1];
  if (classes.type === 'dense') checkLabels(train, classes.units);
  const needed = options.trainSamples + options.validationSamples;
  if (needed > train.count) {
    throw new NasError('invalid-data', `trainSamples + validationSamples = ${needed} exceeds the ${train.count} training examples of '${train.name}'`);
  }
}

