import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Rng } from '../../../server/core/rng';
import type { BlockSample } from '../../../server/proxyless/archParameters';
import { ProxylessSupernet } from '../../../server/proxyless/proxylessSupernet';
import type { ProxylessConfig } from '../../../server/proxyless/proxylessSpace';
import { initBackend } from '../../../server/runtime/backend';

before(async () => {
  await initBackend('wasm');
});

/** Two stages; blocks 1 and 2 may be skipped; expand ratio 1 (no expansion conv) and 2. */
const CONFIG: ProxylessConfig = {
  input: [6, 6, 2],
  classes: 3,
  stem: 4,
  stemStride: 1,
  stages: [
    { width: 4, stride: 1, blocks: 2 },
    { width: 6, stride: 2, blocks: 1 },
  ],
  kernels: [3, 5],
  expandRatios: [1, 2],
  zero: true,
};

const CONTEXT = { training: true };

/**
 * The loss written out independently of gateGradients: each block outputs its active candidate
 * (plus the shortcut), and block `b` adds g · o_c(x_b) for its gate g of candidate c.
 */
function crossEntropy(net: ProxylessSupernet, x: tf.Tensor4D, labels: tf.Tensor1D, samples: readonly BlockSample[], gate?: { b: number; c: number; g: number }): number {
  return tf.tidy(() => {
    let h = net.stem.bn.apply(net.stem.conv.apply(x), CONTEXT, true);
    net.blocks.forEach((block, b) => {
      const active = net.ops[b][samples[b].active];
      if (!active) return;
      let y = active.transform(h, CONTEXT);
      const extra = gate && gate.b === b ? net.ops[b][gate.c] : undefined;
      if (gate && gate.b === b) y = gate.c === samples[b].active ? tf.mul(y, 1 + gate.g) : extra ? tf.add(y, tf.mul(extra.transform(h, CONTEXT), gate.g)) : y;
      h = block.shortcut ? tf.add(y, h) : y;
    });
    const logits = net.classifier.apply(tf.mean(h, [1, 2]) as tf.Tensor2D);
    return (tf.losses.softmaxCrossEntropy(tf.oneHot(labels, CONFIG.classes), logits) as tf.Scalar).dataSync()[0];
  });
}

function batch(seed: number): { x: tf.Tensor4D; labels: tf.Tensor1D } {
  const rng = new Rng(seed);
  const [h, w, c] = CONFIG.input;
  return {
    x: tf.tensor4d(Array.from({ length: 8 * h * w * c }, () => rng.normal()), [8, h, w, c]),
    labels: tf.tensor1d(Array.from({ length: 8 }, () => rng.int(CONFIG.classes)), 'int32'),
  };
}

const sample = (active: number, inactive: number[]): BlockSample => ({ active, inactive, probs: [] });

test('gate gradients match central differences of the loss on a tiny supernet (active, inactive and Zero candidates)', () => {
  const net = new ProxylessSupernet(CONFIG, 5);
  const { x, labels } = batch(1);
  // Block 1 as full_v2 (every other candidate, Zero included), block 2 as a pair, block 3 (no Zero) as a pair.
  const samples = [sample(1, [0, 2, 3, 4]), sample(3, [0]), sample(2, [1])];
  const result = net.gateGradients(x, labels, samples, CONTEXT);
  assert.ok(Math.abs(result.crossEntropy - crossEntropy(net, x, labels, samples)) < 1e-5);
  // Small enough to stay clear of ReLU kinks, large enough for float32 losses.
  const eps = 1e-3;
  let checked = 0;
  samples.forEach((s, b) => {
    for (const c of [s.active, ...s.inactive]) {
      const numeric = (crossEntropy(net, x, labels, samples, { b, c, g: eps }) - crossEntropy(net, x, labels, samples, { b, c, g: -eps })) / (2 * eps);
      const analytic = result.gates[b]![c];
      assert.ok(Math.abs(analytic - numeric) <= 1e-3 + 0.01 * Math.abs(numeric), `block ${b} candidate ${c}: ${analytic} vs ${numeric}`);
      if (net.ops[b][c] === undefined) assert.equal(analytic, 0, 'Zero outputs 0: its gate gradient is 0');
      checked++;
    }
  });
  assert.equal(checked, 9);
  assert.ok(result.gates.flat().some((g) => g !== undefined && Math.abs(g) > 1e-3), 'the gradients are not all zero');
  net.dispose();
  tf.dispose([x, labels]);
});

test('a block whose active candidate is Zero passes its input on and gets no gate gradient', () => {
  const net = new ProxylessSupernet(CONFIG, 6);
  const { x, labels } = batch(2);
  const samples = [sample(4, [1]), sample(0, [4]), sample(0, [1])];
  const result = net.gateGradients(x, labels, samples, CONTEXT);
  assert.equal(result.gates[0], undefined);
  assert.deepEqual(result.gates.map((g) => g !== undefined), [false, true, true]);
  assert.ok(Math.abs(result.crossEntropy - crossEntropy(net, x, labels, samples)) < 1e-5);
  // The network that skips block 1 is the one `apply` runs with those choices.
  const logits = net.apply(x, [4, 0, 0], CONTEXT);
  const ce = (tf.losses.softmaxCrossEntropy(tf.oneHot(labels, CONFIG.classes), logits) as tf.Scalar).dataSync()[0];
  assert.ok(Math.abs(ce - result.crossEntropy) < 1e-5);
  // A weight step updates the stem, the classifier and the chosen candidates only.
  const used = net.pathVariables([4, 0, 0]);
  const all = net.trainableVariables.length;
  assert.ok(used.length < all && used.length > 0);
  assert.equal(net.pathVariables([4, 4, 0]).length, used.length - countVariables(net, 1, 0));
  net.dispose();
  tf.dispose([x, labels, logits]);
});

/** Trainable variables of one candidate (conv filters and batch-norm scales). */
function countVariables(net: ProxylessSupernet, b: number, c: number): number {
  const op = net.ops[b][c]!;
  return (op.expand ? 3 : 0) + 3 + 3;
}

test('the all-path mixture (the memory benchmark\'s baseline): one-hot weights give the single path, mixed weights the weighted sum of the candidates', () => {
  const net = new ProxylessSupernet(CONFIG, 5);
  const { x, labels } = batch(6);
  try {
    const oneHot = (b: number, c: number) => tf.oneHot(tf.tensor1d([c], 'int32'), net.blocks[b].candidates.length).reshape([-1]).toFloat() as tf.Tensor1D;
    const choices = net.blocks.map((block, b) => (b + 1) % block.candidates.length);
    const single = net.apply(x, choices, CONTEXT);
    const mixture = net.applyMixture(x, choices.map((c, b) => oneHot(b, c)), CONTEXT);
    assert.ok(tf.max(tf.abs(tf.sub(single, mixture))).dataSync()[0] < 1e-5);
    // The last block (no shortcut, a single block stage) with weights 0.25 / 0.75 over two candidates, the others one-hot.
    const last = net.blocks.length - 1;
    const weights = choices.map((c, b) => (b === last ? tf.tensor1d(net.blocks[b].candidates.map((_, k) => (k === 0 ? 0.25 : k === 1 ? 0.75 : 0))) : oneHot(b, c)));
    const logitsOf = (c: number) => net.apply(x, choices.map((ch, b) => (b === last ? c : ch)), CONTEXT);
    // The classifier is affine after average pooling, so the logits mix as the block outputs do.
    const expected = tf.add(tf.mul(logitsOf(0), 0.25), tf.mul(logitsOf(1), 0.75));
    assert.ok(tf.max(tf.abs(tf.sub(net.applyMixture(x, weights, CONTEXT), expected))).dataSync()[0] < 1e-4);
  } finally {
    tf.dispose([x, labels]);
    net.dispose();
  }
});
