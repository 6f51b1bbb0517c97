/**
 * A tiny trained MNIST classifier saved as a TF.js Layers model folder (two convolutions, two
 * dense layers: four layers to quantize), and the first test images as the model reads them.
 */
import * as tf from '@tensorflow/tfjs';
import { loadIdxDataset } from '../../server/data/idxDataset';
import { embeddedMnistFiles } from '../../server/data/mnist';
import { DATA_LIMITS } from '../../server/data/dataLimits';
import { saveLayersModel } from '../../server/supernet/tfjsModelFiles';

function mnist(split: 'train' | 'test', count: number): { x: tf.Tensor4D; y: Int32Array } {
  const [images, labels] = embeddedMnistFiles(split);
  const data = loadIdxDataset(split, images, labels, DATA_LIMITS);
  const [h, w, c] = data.shape;
  const pixels = h * w * c;
  const x = tf.tensor4d(Float32Array.from(data.pixels.subarray(0, count * pixels), (v) => v / 255), [count, h, w, c]);
  return { x, y: Int32Array.from(data.labels.subarray(0, count)) };
}

export async function saveTinyMnistModel(dir: string): Promise<void> {
  await tf.setBackend('cpu');
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: 3, strides: 2, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 16, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  const { x, y } = mnist('train', 1000);
  const labels = tf.oneHot(tf.tensor1d(y, 'int32'), 10);
  await model.fit(x, labels, { epochs: 2, batchSize: 32, shuffle: false, verbose: 0 });
  await saveLayersModel(model, dir);
  tf.dispose([x, labels]);
  model.dispose();
}

/** Accuracy of a model on the first `count` MNIST test images (pixels / 255). */
export function testAccuracy(model: tf.LayersModel, count: number): number {
  const { x, y } = mnist('test', count);
  const predicted = Array.from(tf.tidy(() => (model.predict(x) as tf.Tensor).argMax(-1)).dataSync());
  x.dispose();
  return predicted.reduce((n: number, p: number, i: number) => n + (p === y[i] ? 1 : 0), 0) / count;
}
