import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { randomValues, wasmAndCpu } from '../support/backends';

before(wasmAndCpu);

/** 8x8 noisy images with a bright 3x3 blob; the label says whether it is in the left or right half. */
function blobs(count: number, seed: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const noise = randomValues(count * 64, seed);
  const place = randomValues(count * 2, seed + 1);
  const images = new Float32Array(count * 64);
  const labels = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) {
    const right = i % 2;
    const col = right * 4 + Math.floor(((place[2 * i] + 1) / 2) * 2);
    const row = Math.floor(((place[2 * i + 1] + 1) / 2) * 6);
    for (let p = 0; p < 64; p++) images[i * 64 + p] = 0.2 * noise[i * 64 + p];
    for (let r = row; r < row + 3; r++) for (let c = col; c < col + 3; c++) images[i * 64 + r * 8 + c] += 1;
    labels[i * 2 + right] = 1;
  }
  return { x: tf.tensor4d(images, [count, 8, 8, 1]), y: tf.tensor2d(labels, [count, 2]) };
}

test('a tf.layers CNN (conv2d, batch norm, depthwise conv) trains on wasm', async () => {
  await tf.setBackend('wasm');
  tf.util.assert(tf.getBackend() === 'wasm', () => 'wasm backend expected');
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: 1 }) }),
      tf.layers.batchNormalization(),
      tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', activation: 'relu', depthwiseInitializer: tf.initializers.heNormal({ seed: 2 }) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const { x, y } = blobs(64, 7);
  const history = await model.fit(x, y, { epochs: 15, batchSize: 16, shuffle: false, verbose: 0 });
  const losses = history.history.loss as number[];
  const test = blobs(32, 99);
  const [, accuracy] = model.evaluate(test.x, test.y) as tf.Scalar[];
  assert.ok(losses[losses.length - 1] < 0.5 * losses[0], `loss ${losses[0]} -> ${losses[losses.length - 1]}`);
  assert.ok(accuracy.dataSync()[0] >= 0.9, `held-out accuracy ${accuracy.dataSync()[0]}`);
  tf.dispose([x, y, test.x, test.y]);
  model.dispose();
});
