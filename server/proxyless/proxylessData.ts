import { NasError } from '../core/errors';
import { Rng } from '../core/rng';
import { checkInputShape } from '../data/datasetFit';
import { loadDataset } from '../data/datasetSpec';
import { splitTrainValidation, type DataSplit } from '../data/dataSplit';
import { checkLabels, type ImageDataset } from '../data/imageDataset';
import type { ProxylessSpec } from './proxylessSpec';

/** A search's data: the training images and its fixed split into weight-training and validation examples. */
export interface ProxylessData {
  readonly train: ImageDataset;
  readonly split: DataSplit;
}

/**
 * Loads the spec's dataset (paths relative to `baseDir`), checks it fits the supernet (image
 * shape, labels within the classes: errors name the file) and splits it by the seed: the weights
 * train on one part, architecture steps and validation use the other, as in the reference.
 */
export function loadProxylessData(spec: ProxylessSpec, baseDir: string): ProxylessData {
  const { train } = loadDataset(spec.dataset, baseDir);
  checkInputShape(train, spec.supernet.input, 'supernet.input');
  checkLabels(train, spec.supernet.classes);
  const s = spec.search;
  const split = splitTrainValidation(train.count, s.validation, spec.seed, s.trainSamples);
  if (split.train.length < s.batchSize) throw new NasError('invalid-data', `${split.train.length} training examples do not fill one batch of ${s.batchSize}`);
  if (split.validation.length < s.batchSize) throw new NasError('invalid-data', `${split.validation.length} validation examples do not fill one architecture step's batch of ${s.batchSize}: raise search.validation`);
  return { train, split };
}

/**
 * The validation batch of architecture step `step`: the validation examples are cycled through in
 * an order shuffled anew (from the seed) on every pass, full batches only, as the reference's
 * `valid_next_batch` does with its loader.
 */
export function validationBatch(validation: Int32Array, batchSize: number, seed: number, step: number): Int32Array {
  const perPass = Math.floor(validation.length / batchSize);
  const pass = Math.floor(step / perPass);
  const order = new Rng(seed).fork(`validation/${pass}`).shuffle(Array.from(validation));
  const start = (step % perPass) * batchSize;
  return Int32Array.from(order.slice(start, start + batchSize));
}
