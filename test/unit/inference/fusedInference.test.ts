import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { mobileNetLayersModel } from '../../../server/deploy/mobileNetLayers';
import { buildLayerStackModel } from '../../../server/evaluators/train/buildModel';
import { FusedInference } from '../../../server/inference/fusedInference';
import { ParallelInference } from '../../../server/inference/parallelInference';
import { initBackend } from '../../../server/runtime/backend';
import { MobileNet, type MobileNetConfig } from '../../../server/training/mobileNet';
import { maxAbs, maxAbsDifference, randomValues, wasmAndCpu } from '../support/backends';

before(async () => {
  await initBackend('wasm');
  await wasmAndCpu();
});

const CONFIG: MobileNetConfig = {
  inputShape: [16, 16, 3],
  stemChannels: 8,
  stemStride: 1,
  stages: [
    { width: 8, depth: 2, stride: 1, kernelSize: [3, 5], expandRatio: [1, 3] },
    { width: 16, depth: 2, stride: 2, kernelSize: [7, 3], expandRatio: [4, 6] },
  ],
  classes: 10,
};

/** A network whose batch norms have trained-looking statistics and scales. */
function trainedLooking(seed: number): MobileNet {
  const net = new MobileNet(CONFIG, seed);
  tf.tidy(() => {
    net.stateVariables.forEach((v, i) => v.assign(i % 2 ? tf.tensor1d(randomValues(v.size, i)).abs().add(0.5) : tf.tensor1d(randomValues(v.size, i))));
    net.trainableVariables.forEach((v, i) => {
      if (v.rank === 1 && v.shape[0] !== CONFIG.classes) v.assign(tf.tensor1d(randomValues(v.size, 50 + i)).mul(0.3).add(v));
    });
  });
  return net;
}

for (const backend of ['wasm', 'cpu'] as const) {
  test(`${backend}: batch norms folded into the convolutions, with shifts, residuals and ReLUs fused, predict what the network predicts`, async () => {
    await tf.setBackend(backend);
    const net = trainedLooking(3);
    const model = mobileNetLayersModel(net);
    const fused = FusedInference.compile(model);
    // stem + (expand?) depthwise + project of every block: 1 + 2 + 3 + 3 + 3.
    assert.equal(fused.folded, 12);
    for (const batch of [1, 5]) {
      const x = tf.randomNormal([batch, 16, 16, 3], 0, 1, 'float32', batch);
      const expected = tf.tidy(() => net.apply(x as tf.Tensor4D, { training: false }).dataSync());
      const got = tf.tidy(() => fused.predict(x).dataSync());
      assert.ok(maxAbsDifference(got, expected) <= 1e-5 * Math.max(1, maxAbs(expected)), `batch ${batch}: ${maxAbsDifference(got, expected)}`);
      x.dispose();
    }
    fused.dispose();
    model.dispose();
    net.dispose();
    await tf.setBackend('wasm');
  });
}

test('a layers CNN (conv with its own bias and ReLU, pooling, dense) compiles and predicts as the model', () => {
  const model = buildLayerStackModel(
    {
      space: 'layers',
      input: [12, 12, 1],
      layers: [
        { type: 'conv2d', filters: 6, kernel: 3, stride: 1, padding: 'same', activation: 'relu' },
        { type: 'maxpool', size: 2 },
        { type: 'conv2d', filters: 4, kernel: 1, stride: 1, padding: 'same', activation: 'relu' },
        { type: 'flatten' },
        { type: 'dense', units: 5, activation: 'softmax' },
      ],
    },
    2,
  );
  const fused = FusedInference.compile(model);
  const x = tf.randomNormal([3, 12, 12, 1], 0, 1, 'float32', 9);
  const expected = tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
  const got = tf.tidy(() => fused.predict(x).dataSync());
  assert.ok(maxAbsDifference(got, expected) <= 1e-6, String(maxAbsDifference(got, expected)));
  tf.dispose(x);
  model.dispose();
});

test('parallel inference on two worker threads returns the rows of a single-thread prediction, in order', async () => {
  const net = trainedLooking(4);
  const model = mobileNetLayersModel(net);
  const parallel = await ParallelInference.start(model, 2, 'wasm');
  try {
    for (const batch of [7, 16]) {
      const images = randomValues(batch * 16 * 16 * 3, batch);
      const expected = tf.tidy(() => (model.predict(tf.tensor4d(images, [batch, 16, 16, 3])) as tf.Tensor).dataSync());
      const got = await parallel.predict(images, batch);
      assert.equal(got.length, batch * 10);
      assert.ok(maxAbsDifference(got, expected) <= 1e-5 * Math.max(1, maxAbs(expected)), `batch ${batch}: ${maxAbsDifference(got, expected)}`);
    }
  } finally {
    await parallel.close();
    model.dispose();
    net.dispose();
  }
});
