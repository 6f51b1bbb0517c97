import * as tf from '@tensorflow/tfjs';
import { assembleBatch, type Normalization } from '../data/batchAssembly';
import type { ImageDataset } from '../data/imageDataset';

/** Images per forward pass when measuring accuracy. */
const CHUNK = 256;

/** Examples of a dataset as the model takes them (normalized NHWC floats) and their labels. */
export function batchTensors(dataset: ImageDataset, indices: ArrayLike<number>, normalization: Normalization): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const { x, y } = assembleBatch(dataset, indices, normalization);
  return { x: tf.tensor4d(x, [y.length, ...dataset.shape]), y: tf.tensor1d(y, 'int32') };
}

/** Top-1 accuracy (a fraction) of a classifier on examples `indices`; the model may output logits or probabilities. */
export function modelAccuracy(model: tf.LayersModel, dataset: ImageDataset, indices: Int32Array, normalization: Normalization): number {
  if (indices.length === 0) return Number.NaN;
  let correct = 0;
  for (let start = 0; start < indices.length; start += CHUNK) {
    correct += tf.tidy(() => {
      const { x, y } = batchTensors(dataset, indices.subarray(start, start + CHUNK), normalization);
      const output = model.predict(x, { batchSize: CHUNK }) as tf.Tensor2D;
      return tf.sum(tf.equal(tf.argMax(output, 1), y)).dataSync()[0];
    });
  }
  return correct / indices.length;
}
