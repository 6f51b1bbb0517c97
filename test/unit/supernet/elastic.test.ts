import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { RAW_BYTES, type Normalization } from '../../../server/data/batchAssembly';
import type { ImageDataset } from '../../../server/data/imageDataset';
import { initBackend } from '../../../server/runtime/backend';
import { ElasticDepthwise } from '../../../server/supernet/elasticLayers';
import { extremeSubnet, type OfaSmallConfig, type SubnetArch } from '../../../server/supernet/ofaSmallConfig';
import { OfaSupernet } from '../../../server/supernet/ofaSupernet';
import { subnetCost } from '../../../server/supernet/subnetCost';
import { batchTensors, calibrateSubnet } from '../../../server/supernet/subnetEvaluation';
import { extractSubnet, PREPROCESSING } from '../../../server/supernet/subnetExtract';
import { loadLayersModel, saveLayersModel } from '../../../server/supernet/tfjsModelFiles';
import { MobileNet } from '../../../server/training/mobileNet';
import { ParamFactory } from '../../../server/training/params';
import { maxAbs, maxAbsDifference, randomValues } from '../support/backends';

before(async () => {
  await initBackend('wasm');
});

const CONFIG: OfaSmallConfig = {
  input: [12, 12, 2],
  classes: 5,
  stem: 8,
  stemStride: 1,
  stages: [
    { width: 8, stride: 1 },
    { width: 12, stride: 2 },
  ],
  kernels: [3, 5, 7],
  expandRatios: [2, 3, 4],
  depths: [1, 2],
  resolutions: [10, 12],
};

/** Random bytes as a dataset of `count` images of the config's input shape. */
function randomImages(count: number, seed: number): ImageDataset {
  const [h, w, c] = CONFIG.input;
  const pixels = Uint8Array.from(randomValues(count * h * w * c, seed), (v) => Math.floor((v + 1) * 127.9));
  return { name: 'random', shape: CONFIG.input, classes: CONFIG.classes, count, pixels, labels: new Uint8Array(count) };
}

const NORMALIZATION: Normalization = { mean: [0.5, 0.4], std: [0.3, 0.2] };
const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

/** A supernet whose batch-norm scales and shifts are not the trivial 1 and 0. */
function randomSupernet(seed: number): OfaSupernet {
  const model = new OfaSupernet(CONFIG, seed);
  tf.tidy(() => {
    model.trainableVariables.forEach((v, i) => {
      if (v.rank === 1 && v.shape[0] !== CONFIG.classes) v.assign(tf.tensor1d(randomValues(v.size, seed * 100 + i)).mul(0.3).add(v));
    });
  });
  return model;
}

const arch = (ks: number, e: number, d: number, r: number): SubnetArch => ({ ks: Array(4).fill(ks), e: Array(4).fill(e), d: [d, d], r });

test('elastic kernel: active filters have the kernel size asked for; identity transforms are centre crops', () => {
  const dw = new ElasticDepthwise(new ParamFactory(3), 6, [3, 5, 7], 1);
  for (const [k, c] of [[7, 6], [5, 4], [3, 6]]) assert.deepEqual(dw.activeFilter(c, k).shape, [k, k, c, 1]);
  const crop = (k: number) => tf.slice(dw.filter, [(7 - k) / 2, (7 - k) / 2, 0, 0], [k, k, 6, 1]);
  for (const k of [5, 3]) assert.equal(maxAbsDifference(dw.activeFilter(6, k).dataSync(), crop(k).dataSync()), 0);
  assert.equal(maxAbsDifference(dw.activeFilter(6, 7).dataSync(), dw.filter.dataSync()), 0);
});

test("elastic kernel: smaller kernels are the larger kernel's centre through the learned transforms (OFA's 7to5, 5to3 matrices)", () => {
  const channels = 3;
  const dw = new ElasticDepthwise(new ParamFactory(4), channels, [3, 5, 7], 1);
  const m75 = randomValues(625, 11);
  const m53 = randomValues(81, 12);
  dw.transforms.get('7to5')!.assign(tf.tensor2d(m75, [25, 25]));
  dw.transforms.get('5to3')!.assign(tf.tensor2d(m53, [9, 9]));
  const f7 = dw.filter.dataSync();
  // Independent computation: out[c][p] = sum_q M[p][q] * centre[c][q] (PyTorch F.linear(centre, M)).
  const transform = (filter: (y: number, x: number, c: number) => number, from: number, to: number, matrix: Float32Array) => {
    const start = (from - to) / 2;
    const out = new Float64Array(to * to * channels);
    for (let c = 0; c < channels; c++) {
      for (let p = 0; p < to * to; p++) {
        let sum = 0;
        for (let q = 0; q < to * to; q++) sum += matrix[p * to * to + q] * filter(start + Math.floor(q / to), start + (q % to), c);
        out[p * channels + c] = sum;
      }
    }
    return out;
  };
  const t5 = transform((y, x, c) => f7[(y * 7 + x) * channels + c], 7, 5, m75);
  const t3 = transform((y, x, c) => t5[(y * 5 + x) * channels + c], 5, 3, m53);
  assert.ok(maxAbsDifference(dw.activeFilter(channels, 5).dataSync(), t5) <= 1e-5 * maxAbs(t5));
  assert.ok(maxAbsDifference(dw.activeFilter(channels, 3).dataSync(), t3) <= 1e-5 * maxAbs(t3));
});

test('the largest sub-network computes exactly the full network (MobileNet with the same weights)', () => {
  const config = { ...CONFIG, resolutions: [12] };
  const supernet = randomSupernet(5);
  const mobile = new MobileNet(
    {
      inputShape: [...config.input],
      stemChannels: config.stem,
      stemStride: config.stemStride,
      stages: config.stages.map((s) => ({ width: s.width, depth: 2, stride: s.stride, kernelSize: 7, expandRatio: 4 })),
      classes: config.classes,
    },
    1,
  );
  const copy = (to: tf.Variable, from: tf.Variable) => to.assign(from);
  copy(mobile.stem.conv.filter, supernet.stem.conv.filter);
  copy(mobile.stem.bn.gamma, supernet.stem.bn.gamma);
  copy(mobile.stem.bn.beta, supernet.stem.bn.beta);
  supernet.blocks.flat().forEach((b, i) => {
    const m = mobile.blocks[i];
    for (const [to, from] of [
      [m.expand!.conv.filter, b.expand!.conv.filter],
      [m.expand!.bn.gamma, b.expand!.bn.gamma],
      [m.expand!.bn.beta, b.expand!.bn.beta],
      [m.depthwise.conv.filter, b.depthwise.conv.filter],
      [m.depthwise.bn.gamma, b.depthwise.bn.gamma],
      [m.depthwise.bn.beta, b.depthwise.bn.beta],
      [m.project.conv.filter, b.project.conv.filter],
      [m.project.bn.gamma, b.project.bn.gamma],
      [m.project.bn.beta, b.project.bn.beta],
    ]) copy(to, from);
  });
  copy(mobile.classifier.kernel, supernet.classifier.kernel);
  copy(mobile.classifier.bias, supernet.classifier.bias);
  supernet.setActive(extremeSubnet(CONFIG, 'largest'));
  const x = batchTensors(randomImages(6, 7), all(6), NORMALIZATION).images;
  const expected = mobile.apply(x, { training: true }).dataSync();
  const actual = supernet.apply(x, { training: true }).dataSync();
  assert.ok(maxAbsDifference(actual, expected) <= 1e-5 * maxAbs(expected), `max difference ${maxAbsDifference(actual, expected)}`);
  mobile.dispose();
  supernet.dispose();
});

test('channel sorting preserves the function of every sub-network whose channel group it keeps, and orders channels by importance', () => {
  const supernet = randomSupernet(8);
  const images = randomImages(40, 9);
  const x = batchTensors(images, all(40), NORMALIZATION).images;
  // Expand ratios 3 and 4 were trained: their channel groups (the leading 3x and 4x channels) stay together.
  const kept = [arch(7, 4, 2, 12), arch(5, 3, 1, 10), arch(3, 4, 2, 10)];
  const changed = arch(7, 2, 2, 12);
  const outputs = (subnets: SubnetArch[]) =>
    subnets.map((s) => {
      calibrateSubnet(supernet, s, images, NORMALIZATION, all(40));
      return tf.tidy(() => supernet.apply(x, { training: false }).dataSync());
    });
  const before = outputs([...kept, changed]);
  supernet.sortChannels([3, 4]);
  const after = outputs([...kept, changed]);
  kept.forEach((_, i) => assert.ok(maxAbsDifference(after[i], before[i]) <= 1e-5 * maxAbs(before[i]), `kept sub-network ${i}: ${maxAbsDifference(after[i], before[i])}`));
  assert.ok(maxAbsDifference(after[3], before[3]) > 1e-3, 'the narrowest sub-network now has other channels');
  for (const block of supernet.blocks.flat()) {
    const importance = tf.abs(block.project.conv.filter).sum([0, 1, 3]).dataSync();
    const inC = block.shape.inChannels;
    for (const [from, to] of [[0, 2 * inC], [2 * inC, 3 * inC], [3 * inC, 4 * inC]]) {
      for (let c = from + 1; c < to; c++) assert.ok(importance[c - 1] >= importance[c], `block with ${inC} inputs: channel ${c} out of order`);
    }
  }
  supernet.dispose();
});

test('batch-norm recalibration sets the running statistics of the whole calibration set', () => {
  const supernet = randomSupernet(10);
  const images = randomImages(300, 11);
  const subnet = arch(5, 3, 1, 10);
  calibrateSubnet(supernet, subnet, images, NORMALIZATION, all(300));
  // Independent: the stem convolution's output over all 300 images, at the sub-network's resolution.
  const stem = tf.tidy(() => {
    const x = tf.image.resizeBilinear(batchTensors(images, all(300), NORMALIZATION).images, [10, 10], true);
    return tf.conv2d(x, supernet.stem.conv.filter as tf.Tensor4D, 1, 'same').reshape([-1, CONFIG.stem]).arraySync() as number[][];
  });
  for (let c = 0; c < CONFIG.stem; c++) {
    const column = stem.map((row) => row[c]);
    const mean = column.reduce((a, b) => a + b, 0) / column.length;
    const variance = column.reduce((a, b) => a + (b - mean) ** 2, 0) / column.length;
    assert.ok(Math.abs(supernet.stem.bn.runningMean.dataSync()[c] - mean) <= 1e-4 * (Math.abs(mean) + 1), `mean ${c}`);
    assert.ok(Math.abs(supernet.stem.bn.runningVariance.dataSync()[c] - variance) <= 1e-4 * variance, `variance ${c}`);
  }
  supernet.dispose();
});

test('an extracted sub-network predicts what the supernet predicts, also after export and reload; params as counted', async () => {
  const supernet = randomSupernet(12);
  const images = randomImages(32, 13);
  for (const subnet of [arch(5, 3, 2, 10), { ks: [3, 7, 5, 3], e: [4, 2, 3, 2], d: [2, 1], r: 12 }]) {
    calibrateSubnet(supernet, subnet, images, NORMALIZATION, all(32));
    const expected = tf.tidy(() => supernet.apply(batchTensors(images, all(32), NORMALIZATION).images, { training: false }).dataSync());
    const raw = batchTensors(images, all(32), RAW_BYTES).images;
    const model = extractSubnet(supernet, subnet, NORMALIZATION);
    const predicted = (model.predict(raw) as tf.Tensor).dataSync();
    assert.ok(maxAbsDifference(predicted, expected) <= 1e-5, `extracted: ${maxAbsDifference(predicted, expected)}`);
    const preprocessing = model.layers.filter((l) => l.name.startsWith(PREPROCESSING)).reduce((n, l) => n + l.countParams(), 0);
    assert.equal(model.countParams() - preprocessing, subnetCost(CONFIG, subnet).params);
    const dir = mkdtempSync(join(tmpdir(), 'nas-export-'));
    await saveLayersModel(model, dir);
    const reloaded = await loadLayersModel(dir);
    const again = (reloaded.predict(raw) as tf.Tensor).dataSync();
    assert.ok(maxAbsDifference(again, expected) <= 1e-5, `reloaded: ${maxAbsDifference(again, expected)}`);
    tf.dispose(raw);
    model.dispose();
    reloaded.dispose();
  }
  supernet.dispose();
});
