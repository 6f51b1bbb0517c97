import { DataError } from '../core/errors';
import type { DatasetSummary } from './imageDataset';

/**
 * Checks that a dataset fits what a run asks of it, on a summary (before loading) or a loaded
 * dataset alike; each failure is a DataError naming the dataset's file or folder.
 */

export function checkSameShape(train: DatasetSummary, test: DatasetSummary, testLocation: string): void {
  if (train.shape.join('x') !== test.shape.join('x')) {
    throw new DataError(`test images are ${test.shape.join('x')} but training images are ${train.shape.join('x')}`, testLocation);
  }
}

/** The network's input must be the images' shape; `inputName` says where the input is set (e.g. "supernet.input"). */
export function checkInputShape(data: DatasetSummary, input: readonly number[], inputName: string): void {
  if (data.shape.join('x') !== input.join('x')) {
    throw new DataError(`images are ${data.shape.join('x')} (height x width x channels) but ${inputName} is [${input.join(', ')}]`, data.source);
  }
}

/** A run cannot use more training examples than the dataset has; `what` names the setting (e.g. "trainSamples + validationSamples"). */
export function checkSampleCount(data: DatasetSummary, needed: number, what: string): void {
  if (needed > data.count) throw new DataError(`${what} = ${needed} exceeds the ${data.count} examples of the training split`, data.source);
}
