import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { randomValues, relativeError, valuesOn, wasmAndCpu } from '../support/backends';

// Every wasm training kernel against tfjs' 'cpu' backend: forward values and the gradients
// tf.grads computes through Conv2DBackpropFilter/-Input and DepthwiseConv2dNativeBackpropFilter/-Input,
// each within an element-wise relative error of 1e-4 (see relativeError).
const TOLERANCE = 1e-4;
const KERNELS = [1, 3, 5, 7];
const STRIDES = [1, 2] as const;
const PADS = ['same', 'valid'] as const;
// Odd, non-square spatial size; batch > 1.
const [N, H, W] = [2, 9, 11];

before(wasmAndCpu);

type Conv = (x: tf.Tensor4D, f: tf.Tensor4D) => tf.Tensor4D;

/** Output and gradients w.r.t. input and filter of conv(x, f) * r (r fixed random) on both backends. */
async function compare(conv: Conv, xShape: number[], fShape: number[], seed: number): Promise<number[]> {
  const xv = randomValues(tf.util.sizeFromShape(xShape), seed);
  const fv = randomValues(tf.util.sizeFromShape(fShape), seed + 1);
  const run = () => {
    const x = tf.tensor4d(xv, xShape as [number, number, number, number]);
    const f = tf.tensor4d(fv, fShape as [number, number, number, number]);
    const y = conv(x, f);
    const r = tf.tensor(randomValues(y.size, seed + 2), y.shape);
    const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) => conv(a as tf.Tensor4D, b as tf.Tensor4D).mul(r).sum())([x, f]);
    return [y, dx, df];
  };
  const wasm = await valuesOn('wasm', run);
  const cpu = await valuesOn('cpu', run);
  return wasm.map((values, i) => relativeError(values, cpu[i]));
}

for (const k of KERNELS) {
  for (const stride of STRIDES) {
    for (const pad of PADS) {
      test(`conv2d ${k}x${k} stride ${stride} '${pad}': output, dx, dfilter match cpu`, async () => {
        const errors = await compare((x, f) => tf.conv2d(x, f, stride, pad), [N, H, W, 5], [k, k, 5, 6], 10 * k + stride);
        for (const e of errors) assert.ok(e <= TOLERANCE, `relative errors ${errors.join(', ')}`);
      });
      for (const multiplier of [1, 2]) {
        // 19 channels exercise the 16-, 4- and 1-channel code paths of the depthwise kernels.
        const channels = multiplier === 1 ? 19 : 3;
        test(`depthwise ${k}x${k} stride ${stride} '${pad}' multiplier ${multiplier}: output, dx, dfilter match cpu`, async () => {
          const errors = await compare((x, f) => tf.depthwiseConv2d(x, f, stride, pad), [N, H, W, channels], [k, k, channels, multiplier], 100 * k + stride);
          for (const e of errors) assert.ok(e <= TOLERANCE, `relative errors ${errors.join(', ')}`);
        });
      }
    }
  }
}

test('pointwise conv with many channels (GEMM tiles and remainders) matches cpu', async () => {
  const errors = await compare((x, f) => tf.conv2d(x, f, 1, 'same'), [3, 5, 7, 37], [1, 1, 37, 45], 7);
  for (const e of errors) assert.ok(e <= TOLERANCE, `relative errors ${errors.join(', ')}`);
});

test('dilated depthwise forward (no gradient in tfjs) falls back to the original wasm kernel', async () => {
  const x = randomValues(N * H * W * 4, 3);
  const f = randomValues(3 * 3 * 4, 4);
  const run = () => [tf.depthwiseConv2d(tf.tensor4d(x, [N, H, W, 4]), tf.tensor4d(f, [3, 3, 4, 1]), 1, 'same', 'NHWC', 2)];
  const error = relativeError((await valuesOn('wasm', run))[0], (await valuesOn('cpu', run))[0]);
  assert.ok(error <= TOLERANCE, `relative error ${error}`);
});

for (const [transposeA, transposeB] of [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
] as const) {
  test(`matMul transposeA=${transposeA} transposeB=${transposeB}: product (batch-broadcast) and gradients (2-D) match cpu`, async () => {
    // M, K, N = 13, 37, 21: tile remainders in every dimension.
    const [M, K, N] = [13, 37, 21];
    const a2 = transposeA ? [K, M] : [M, K];
    const b2 = transposeB ? [N, K] : [K, N];
    const product = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, transposeA, transposeB);
    const broadcast = () => [product(tf.tensor(randomValues(3 * M * K, 31), [3, ...a2]), tf.tensor(randomValues(K * N, 32), [1, ...b2]))];
    const withGradients = () => {
      const a = tf.tensor(randomValues(M * K, 34), a2);
      const b = tf.tensor(randomValues(K * N, 35), b2);
      const r = tf.tensor(randomValues(M * N, 36), [M, N]);
      return [product(a, b), ...tf.grads((x: tf.Tensor, y: tf.Tensor) => product(x, y).mul(r).sum())([a, b])];
    };
    for (const run of [broadcast, withGradients]) {
      const wasm = await valuesOn('wasm', run);
      const cpu = await valuesOn('cpu', run);
      const errors = wasm.map((v, i) => relativeError(v, cpu[i]));
      for (const e of errors) assert.ok(e <= TOLERANCE, `relative errors ${errors.join(', ')}`);
    }
  });
}
