import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { batchNormTrain, updatedRunningStats } from '../../../server/training/batchNorm';
import { MomentumSgd } from '../../../server/training/momentumSgd';
import { normRelativeError, randomValues, relativeError, valuesOn, wasmAndCpu } from '../support/backends';

before(wasmAndCpu);

const EPSILON = 1e-3;
const SHAPE: [number, number, number, number] = [3, 5, 7, 21]; // 21 channels: vector and scalar-tail paths

/** Independent reference: the textbook formula through tfjs' autodiff on 'cpu'. */
function reference(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, relu: boolean): tf.Tensor {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  const y = x.sub(mean).div(tf.sqrt(variance.add(EPSILON))).mul(gamma).add(beta);
  return relu ? tf.relu(y) : y;
}

async function compare(relu: boolean, backend: 'wasm' | 'cpu', shift: number): Promise<number[]> {
  const C = SHAPE[3];
  // A large common offset checks that variance does not suffer from cancellation.
  const xv = randomValues(tf.util.sizeFromShape(SHAPE), 1).map((v) => v * 2 + shift);
  const gv = randomValues(C, 2).map((v) => 1 + 0.5 * v);
  const bv = randomValues(C, 3).map((v) => 0.3 * v);
  const rv = randomValues(tf.util.sizeFromShape(SHAPE), 4);
  const run = (f: (x: tf.Tensor4D, g: tf.Tensor1D, b: tf.Tensor1D) => tf.Tensor) => () => {
    const x = tf.tensor4d(xv, SHAPE);
    const g = tf.tensor1d(gv);
    const b = tf.tensor1d(bv);
    const r = tf.tensor(rv, SHAPE);
    const loss = (a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => f(a as tf.Tensor4D, c as tf.Tensor1D, d as tf.Tensor1D).mul(r).sum();
    return [f(x, g, b), ...tf.grads(loss)([x, g, b])];
  };
  const ours = await valuesOn(backend, run((x, g, b) => {
    const { y, moments } = batchNormTrain(x, g, b, { epsilon: EPSILON, relu });
    moments.dispose();
    return y;
  }));
  const expected = await valuesOn('cpu', run((x, g, b) => reference(x, g, b, relu)));
  // Norm-wise: with a large offset the float32 reference itself is only accurate to ~1e-4 of the
  // output's magnitude where x - mean is small.
  return ours.map((v, i) => normRelativeError(v, expected[i]));
}

for (const backend of ['wasm', 'cpu'] as const) {
  for (const relu of [false, true]) {
    test(`batchNormTrain on ${backend}${relu ? ' + ReLU' : ''}: output and gradients (x, gamma, beta) match the autodiff reference`, async () => {
      for (const shift of [0, 50]) {
        const errors = await compare(relu, backend, shift);
        for (const e of errors) assert.ok(e <= 1e-4, `offset ${shift}: relative errors ${errors.join(', ')}`);
      }
    });
  }
}

test('running statistics and fused momentum SGD on wasm match the op-by-op computation on cpu', async () => {
  const mv = randomValues(16, 5);
  const vv = randomValues(16, 6).map((v) => 1 + 0.5 * v);
  const momentsValues = randomValues(32, 7).map((v, i) => (i >= 16 ? 1 + v * 0.5 : v));
  const stats = () => updatedRunningStats(tf.tensor1d(mv), tf.tensor1d(vv), tf.tensor2d(momentsValues, [2, 16]), 0.1, 40);
  const wasmStats = await valuesOn('wasm', stats);
  const cpuStats = await valuesOn('cpu', stats);
  wasmStats.forEach((v, i) => assert.ok(relativeError(v, cpuStats[i]) <= 1e-6, `statistic ${i}: ${relativeError(v, cpuStats[i])}`));

  const p0 = randomValues(37, 8);
  const grads = [randomValues(37, 9), randomValues(37, 10)];
  const sgdRun = () => {
    const p = tf.variable(tf.tensor1d(p0));
    const sgd = new MomentumSgd({ learningRate: 0.1, momentum: 0.9, weightDecay: 0.01 });
    for (const g of grads) sgd.apply([p], { perVariable: [tf.tensor1d(g)] });
    const out = p.clone();
    sgd.dispose();
    p.dispose();
    return [out];
  };
  const [wasmP] = await valuesOn('wasm', sgdRun);
  // Independent reference: PyTorch's update rule written out.
  const expected = Float64Array.from(p0);
  const buf = new Float64Array(37);
  for (const g of grads) {
    for (let i = 0; i < 37; i++) {
      buf[i] = 0.9 * buf[i] + g[i] + 0.01 * expected[i];
      expected[i] -= 0.1 * buf[i];
    }
  }
  assert.ok(relativeError(wasmP, expected) <= 1e-5, `relative error ${relativeError(wasmP, expected)}`);
  const [cpuP] = await valuesOn('cpu', sgdRun);
  assert.ok(relativeError(cpuP, expected) <= 1e-5, `relative error ${relativeError(cpuP, expected)}`);
});
