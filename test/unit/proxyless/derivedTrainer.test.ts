import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { derivedLayersModel, derivedMobileNetConfig, foldBatchNorms } from '../../../server/proxyless/derivedModel';
import { DerivedNetworkTrainer } from '../../../server/proxyless/derivedTrainer';
import type { ProxylessArch } from '../../../server/proxyless/proxylessArch';
import { MobileNet } from '../../../server/training/mobileNet';
import { initBackend } from '../../../server/runtime/backend';

before(async () => {
  await initBackend('wasm');
});

/** A first block skipped, a block without expansion, a stride-2 stage, a skipped last block. */
const ARCH: ProxylessArch = {
  space: 'proxyless',
  input: [8, 8, 2],
  classes: 3,
  stem: 4,
  stemStride: 1,
  stages: [
    { width: 4, stride: 1, ops: ['Zero', '3x3_MBConv1'] },
    { width: 6, stride: 2, ops: ['5x5_MBConv3', 'Zero'] },
  ],
};

test('a derived network trained on the own layers is handed over as the tf.layers model that computes the same, batch norms and all', () => {
  const net = new MobileNet(derivedMobileNetConfig(ARCH), 7);
  assert.deepEqual(
    net.blocks.map((b) => [b.config.kernelSize, b.config.expandRatio, b.config.stride, b.residual]),
    [
      [3, 1, 1, true],
      [5, 3, 2, false],
    ],
  );
  const x = tf.randomNormal([5, ...ARCH.input], 0, 1, 'float32', 3) as tf.Tensor4D;
  // Running statistics and affine parameters away from their initial values.
  for (let i = 0; i < 3; i++) tf.tidy(() => void net.apply(tf.randomNormal([16, ...ARCH.input], 0.5, 2, 'float32', i) as tf.Tensor4D, { training: true }));
  for (const [i, v] of net.trainableVariables.entries()) if (v.shape.length === 1) v.assign(tf.randomUniform(v.shape, 0.5, 1.5, 'float32', 100 + i));
  const expected = tf.softmax(net.apply(x, { training: false }));
  const layers = derivedLayersModel(ARCH, net);
  const deployed = foldBatchNorms(ARCH, layers);
  const viaLayers = layers.predict(x) as tf.Tensor;
  const viaDeployed = deployed.predict(x) as tf.Tensor;
  assert.ok(tf.max(tf.abs(tf.sub(viaLayers, expected))).dataSync()[0] < 1e-5);
  assert.ok(tf.max(tf.abs(tf.sub(viaDeployed, expected))).dataSync()[0] < 1e-5);
  tf.dispose([x, expected, viaLayers, viaDeployed]);
  layers.dispose();
  deployed.dispose();
  net.dispose();
});

test('the derived-network trainer learns: a separable toy problem goes from chance to nearly all correct', () => {
  // Class c: a bright patch in column band c of the image.
  const n = 48;
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  const pixels = new Float32Array(n * 8 * 8 * 2);
  labels.forEach((c, i) => {
    for (let r = 0; r < 8; r++) for (let col = c * 2; col < c * 2 + 3; col++) pixels[((i * 8 + r) * 8 + col) * 2] = 1;
  });
  const images = tf.tensor4d(pixels, [n, 8, 8, 2]);
  const trainer = new DerivedNetworkTrainer(ARCH, 1, 0.01);
  const first = trainer.step(images, labels);
  let last = first;
  for (let i = 0; i < 40; i++) last = trainer.step(images, labels);
  assert.ok(last.loss < first.loss / 3, `loss ${first.loss} -> ${last.loss}`);
  const model = trainer.layersModel();
  const predicted = (model.predict(images) as tf.Tensor).argMax(1).dataSync();
  const correct = labels.filter((c, i) => predicted[i] === c).length;
  assert.ok(correct >= 0.9 * n, `${correct}/${n} correct in inference mode`);
  model.dispose();
  trainer.dispose();
  images.dispose();
});
