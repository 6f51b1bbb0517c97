// Inference in ONNX Runtime (the model exported to ONNX in memory): the same outputs as TF.js on
// NHWC inputs, and a supernet sub-network scored through it as the supernet evaluator scores it.
// onnxruntime-node is installed by `npm ci` (an optional dependency; CI has it): never skipped.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Normalization } from '../../../server/data/batchAssembly';
import { mobileNetLayersModel } from '../../../server/deploy/mobileNetLayers';
import { OnnxInference } from '../../../server/inference/onnxInference';
import { initBackend } from '../../../server/runtime/backend';
import type { OfaSmallConfig } from '../../../server/supernet/ofaSmallConfig';
import { OfaSupernet } from '../../../server/supernet/ofaSupernet';
import { calibrateSubnet, compileScorer, scoreLogits, scoreSubnet } from '../../../server/supernet/subnetEvaluation';
import { extractSubnet } from '../../../server/supernet/subnetExtract';
import { MobileNet } from '../../../server/training/mobileNet';
import { TINY_SUPERNET } from '../../tinySupernet';
import { maxAbs, maxAbsDifference, randomValues } from '../support/backends';

before(async () => {
  await initBackend('wasm');
});

test('ONNX Runtime gives the TF.js model\'s outputs for NHWC images (batch 1 and 5, non-square input)', async () => {
  const net = new MobileNet(
    { inputShape: [12, 16, 3], stemChannels: 8, stemStride: 1, stages: [{ width: 8, depth: 2, stride: 2, kernelSize: [3, 5], expandRatio: [1, 3] }], classes: 10 },
    4,
  );
  const model = mobileNetLayersModel(net);
  const inference = await OnnxInference.compile(model, 1);
  assert.ok(inference instanceof OnnxInference, `onnxruntime-node must load here: ${JSON.stringify(inference)}`);
  try {
    for (const batch of [1, 5]) {
      const images = Float32Array.from(randomValues(batch * 12 * 16 * 3, batch));
      const expected = tf.tidy(() => (model.predict(tf.tensor4d(images, [batch, 12, 16, 3])) as tf.Tensor).dataSync() as Float32Array);
      const got = await inference.predict(images, batch);
      assert.equal(got.length, batch * 10);
      assert.ok(maxAbsDifference(got, expected) <= 1e-4 * Math.max(1, maxAbs(expected)), `batch ${batch}: ${maxAbsDifference(got, expected)}`);
    }
    await assert.rejects(inference.predict(new Float32Array(7), 1), /expected 1 images of 12x16x3, got 7 values/);
  } finally {
    await inference.dispose();
    model.dispose();
    net.dispose();
  }
});

test('scoreLogits: first largest logit as the prediction, summed softmax cross-entropy (worked by hand)', () => {
  // Row 0: [0, ln 3] -> predicts 1, loss of label 1 = ln(1 + 3) - ln 3; row 1: a tie [2, 2] -> 0, label 1: ln 2.
  const logits = Float32Array.from([0, Math.log(3), 2, 2]);
  const { correct, loss } = scoreLogits(logits, Int32Array.from([1, 1]), 2);
  assert.equal(correct, 1);
  assert.ok(Math.abs(loss - (Math.log(4) - Math.log(3) + Math.log(2))) < 1e-6, String(loss));
});

test('a supernet sub-network scored in ONNX Runtime (the evaluator\'s default) scores as the supernet itself and as TF.js compiled', async () => {
  const { type: _type, ...fixture } = TINY_SUPERNET;
  const config: OfaSmallConfig = { ...fixture, input: [28, 28, 1] };
  const normalization: Normalization = { mean: [0.4], std: [0.3] };
  const supernet = new OfaSupernet(config, 3);
  const count = 300;
  const pixels = Uint8Array.from(randomValues(count * 28 * 28, 6), (v) => Math.floor((v + 1) * 127.9));
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  const images = { name: 'random', shape: config.input, classes: 10, count, pixels, labels };
  const all = Int32Array.from({ length: count }, (_, i) => i);
  const arch = { ks: [5, 3, 3, 5], e: [3, 2, 2, 3], d: [1, 2], r: 24 };
  calibrateSubnet(supernet, arch, images, normalization, all.subarray(0, 100));
  const direct = scoreSubnet(supernet, images, normalization, all);
  const model = extractSubnet(supernet, arch, normalization);
  const onnx = await compileScorer(model, config.classes);
  const fused = await compileScorer(model, config.classes, 'tfjs');
  try {
    assert.equal(onnx.engine, 'onnxruntime');
    assert.equal(fused.engine, 'tfjs');
    const [viaOnnx, viaTfjs] = [await onnx.score(images, all), await fused.score(images, all)];
    for (const scored of [viaOnnx, viaTfjs]) {
      assert.equal(scored.count, count);
      // Predictions may flip only at near ties (float rounding); the summed loss agrees closely.
      assert.ok(Math.abs(scored.correct - direct.correct) <= 1, `correct: ${scored.correct} vs ${direct.correct}`);
      assert.ok(Math.abs(scored.loss - direct.loss) <= 1e-3 * direct.loss, `loss: ${scored.loss} vs ${direct.loss}`);
    }
  } finally {
    await onnx.dispose();
    await fused.dispose();
    model.dispose();
    supernet.dispose();
  }
});
