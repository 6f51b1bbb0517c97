// Issue 16 point 1 with issue 13's export: a quantized model as ONNX with QuantizeLinear /
// DequantizeLinear (and Gather for k-means codebooks), run in onnxruntime against the TF.js
// simulation of the same policy on the same inputs.
import * as tf from '@tensorflow/tfjs';
import { fromBinary } from '@bufbuild/protobuf';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { ModelProtoSchema, TensorProto_DataType } from 'onnx-buf';
import { toChannelsFirst } from '../../../server/deploy/exportModel';
import { runOnnx } from '../../../server/deploy/exportRuntimes';
import { layersToGraph } from '../../../server/deploy/layersToGraph';
import { onnxModelBytes, type OnnxQuantization } from '../../../server/deploy/onnxModel';
import type { QuantizedLayer } from '../../../server/deploy/onnxQuantization';
import { modelLayers } from '../../../server/quantize/modelLayers';
import type { Policy } from '../../../server/quantize/quantizableLayers';
import { QuantizationSimulator } from '../../../server/quantize/quantizationSimulator';
import { initBackend } from '../../../server/runtime/backend';
import { maxAbsDifference } from '../support/backends';

const TOLERANCE = 1e-4;

before(async () => {
  await initBackend('wasm');
});

/** conv 3x3 -> depthwise 3x3/2 -> conv 1x1 -> flatten -> dense -> dense: five layers to quantize. */
function cnn(): tf.LayersModel {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 2], filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1), biasInitializer: tf.initializers.constant({ value: 0.05 }) }),
      tf.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', depthwiseInitializer: init(2) }),
      tf.layers.conv2d({ filters: 8, kernelSize: 1, kernelInitializer: init(3) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 16, activation: 'relu', kernelInitializer: init(4) }),
      tf.layers.dense({ units: 10, kernelInitializer: init(5) }),
    ],
  });
}

/** What the ONNX writer needs, taken from the simulator's applied policy. */
function quantizationOf(simulator: QuantizationSimulator, policy: Policy): OnnxQuantization {
  const layers = simulator.layers.map((l, i): QuantizedLayer => {
    const q = simulator.current[i];
    const weight = q.kind === 'linear' ? { kind: 'linear' as const, bits: q.bits, step: q.grid.step } : { kind: 'kmeans' as const, bits: q.bits, codebook: q.codebook.centroids };
    const grid = simulator.inputGrid(i);
    return { layer: l.name, weight, ...(grid ? { input: { ...grid, bits: policy[i].activation } } : {}) };
  });
  return { layers: new Map(layers.map((l) => [l.layer, l])), metadata: { 'nas_studio.policy': JSON.stringify(policy) } };
}

/** Runs the model under the simulated policy and its ONNX export on the same inputs. */
async function roundTrip(quantizer: 'linear' | 'kmeans', policy: Policy) {
  const model = cnn();
  const calibration = tf.randomUniform([32, 8, 8, 2], 0, 1, 'float32', 11) as tf.Tensor4D;
  const simulator = QuantizationSimulator.create(model, modelLayers(model, 'test'), { quantizer, clip: 'kl', seed: 5 }, calibration);
  simulator.apply(policy);
  const x = tf.randomUniform([16, 8, 8, 2], 0, 1, 'float32', 12);
  const expected = tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync() as Float32Array);
  const quantization = quantizationOf(simulator, policy);
  const bytes = onnxModelBytes(layersToGraph(model), { name: 'test', version: '0' }, quantization);
  const file = join(mkdtempSync(join(tmpdir(), 'nas-qdq-')), 'model.onnx');
  writeFileSync(file, bytes);
  const run = await runOnnx(file, toChannelsFirst(x), [16, 2, 8, 8]);
  assert.ok('output' in run, `onnxruntime must run: ${'unavailable' in run ? run.unavailable : ''}`);
  const float = tf.tidy(() => {
    simulator.reset();
    return (model.predict(x) as tf.Tensor).dataSync() as Float32Array;
  });
  tf.dispose([x, calibration]);
  simulator.dispose();
  model.dispose();
  return { expected, output: run.output, float, onnx: fromBinary(ModelProtoSchema, bytes), quantization };
}

test('linear W8/W2/W4/W8/W8 with A4/A8 inputs: onnxruntime with Q/DQ nodes computes the simulated TF.js logits within 1e-4', async () => {
  const policy: Policy = [
    { weight: 8, activation: 8 },
    { weight: 2, activation: 4 },
    { weight: 4, activation: 8 },
    { weight: 8, activation: 4 },
    { weight: 8, activation: 8 },
  ];
  const { expected, output, float, onnx } = await roundTrip('linear', policy);
  assert.ok(maxAbsDifference(output, expected) <= TOLERANCE, `max |difference| ${maxAbsDifference(output, expected)}`);
  // The quantization matters: the float model's logits are far from the quantized ones.
  assert.ok(maxAbsDifference(float, expected) > 100 * TOLERANCE, `quantized vs float ${maxAbsDifference(float, expected)}`);
  const ops = onnx.graph!.node.map((n) => n.opType);
  assert.equal(ops.filter((o) => o === 'QuantizeLinear').length, 4, 'every layer but the first has its input quantized');
  assert.equal(ops.filter((o) => o === 'DequantizeLinear').length, 5 + 4, 'five kernels and four inputs dequantized');
  const kernels = onnx.graph!.initializer.filter((t) => t.name.endsWith('weight_quantized'));
  assert.equal(kernels.length, 5);
  for (const k of kernels) {
    assert.equal(k.dataType, TensorProto_DataType.INT8, k.name);
    assert.equal(k.rawData.length, k.dims.reduce((p, d) => p * Number(d), 1), `${k.name}: one byte per weight`);
  }
  // The 2-bit kernel holds the levels -1, 0, 1 only.
  const twoBit = kernels.find((k) => k.name.startsWith('depthwise'))!;
  assert.deepEqual([...new Set(new Int8Array(twoBit.rawData.buffer, twoBit.rawData.byteOffset, twoBit.rawData.length))].sort(), [-1, 0, 1]);
  assert.deepEqual(JSON.parse(onnx.metadataProps.find((p) => p.key === 'nas_studio.policy')!.value), policy);
});

test('k-means W8/W3/W1/W4/W8: a uint8 index gathered from the float codebook reconstructs the kernels exactly', async () => {
  const policy: Policy = [
    { weight: 8, activation: 32 },
    { weight: 3, activation: 32 },
    { weight: 1, activation: 32 },
    { weight: 4, activation: 32 },
    { weight: 8, activation: 32 },
  ];
  const { expected, output, onnx } = await roundTrip('kmeans', policy);
  assert.ok(maxAbsDifference(output, expected) <= TOLERANCE, `max |difference| ${maxAbsDifference(output, expected)}`);
  const ops = onnx.graph!.node.map((n) => n.opType);
  assert.equal(ops.filter((o) => o === 'Gather').length, 5);
  assert.equal(ops.filter((o) => o === 'QuantizeLinear').length, 0, 'k-means quantizes weights only');
  const codebooks = onnx.graph!.initializer.filter((t) => t.name.endsWith('_codebook'));
  // 2^bits centroids, or one per weight where there are fewer (108 and 160 weights at 8 bits).
  assert.deepEqual(codebooks.map((c) => Number(c.dims[0])), [108, 8, 2, 16, 160]);
  for (const index of onnx.graph!.initializer.filter((t) => t.name.endsWith('_index'))) assert.equal(index.dataType, TensorProto_DataType.UINT8);
});

test('ties: activations halfway between two levels round to the even level in TF.js and in QuantizeLinear alike', async () => {
  // Three identity dense layers; the second's input grid has step 0.25 (exact in float32).
  const identity = () => tf.layers.dense({ units: 4, useBias: false, kernelInitializer: tf.initializers.identity({}) });
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 4, useBias: false, kernelInitializer: tf.initializers.identity({}) }), identity(), identity()] });
  const layers = modelLayers(model, 'test');
  const grid = { step: 0.25, maxLevel: 15, signed: false };
  const simulator = QuantizationSimulator.withGrids(model, layers, [undefined, grid, undefined]);
  // x / step = 0.5, 1.5, 2.5, 3.5 -> 0, 2, 2, 4 (half to even; half up would give 1, 2, 3, 4).
  const x = tf.tensor2d([[0.125, 0.375, 0.625, 0.875]]);
  const simulated = Array.from(tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync()));
  assert.deepEqual(simulated, [0, 0.5, 0.5, 1]);
  // Identity kernels are on an 8-bit grid of step 1/64: 1 is level 64.
  const weight = { kind: 'linear' as const, bits: 8, step: 1 / 64 };
  const quantized = layers.map((l, i): QuantizedLayer => ({ layer: l.name, weight, ...(i === 1 ? { input: { ...grid, bits: 4 } } : {}) }));
  const file = join(mkdtempSync(join(tmpdir(), 'nas-qdq-')), 'model.onnx');
  writeFileSync(file, onnxModelBytes(layersToGraph(model), { name: 'test', version: '0' }, { layers: new Map(quantized.map((q) => [q.layer, q])), metadata: {} }));
  const run = await runOnnx(file, x.dataSync() as Float32Array, [1, 4]);
  assert.ok('output' in run);
  assert.deepEqual(Array.from(run.output), [0, 0.5, 0.5, 1]);
  x.dispose();
  simulator.dispose();
  model.dispose();
});

test('above 8 bits: int32 levels with DequantizeLinear for a 12-bit kernel, Clip/Div/Round/Mul for a 10-bit input grid, still exact', async () => {
  // A 12-bit grid of step 2^-10: the kernel values are levels up to 2047 (exact in float32).
  const kernel = Float32Array.from({ length: 12 }, (_, i) => ((i * 373) % 4095) - 2047).map((k) => k / 1024);
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, useBias: false, weights: [tf.tensor2d(kernel, [4, 3])] })] });
  const name = model.layers[0].name;
  const grid = { step: 1 / 256, maxLevel: 1023, signed: false, bits: 10 };
  const quantized: QuantizedLayer = { layer: name, weight: { kind: 'linear', bits: 12, step: 1 / 1024 }, input: grid };
  const bytes = onnxModelBytes(layersToGraph(model), { name: 'test', version: '0' }, { layers: new Map([[name, quantized]]), metadata: {} });
  const onnx = fromBinary(ModelProtoSchema, bytes);
  assert.equal(onnx.graph!.initializer.find((t) => t.name.endsWith('weight_quantized'))!.dataType, TensorProto_DataType.INT32);
  assert.deepEqual(onnx.graph!.node.map((n) => n.opType), ['Clip', 'Div', 'Round', 'Mul', 'DequantizeLinear', 'Gemm']);
  const file = join(mkdtempSync(join(tmpdir(), 'nas-qdq-')), 'model.onnx');
  writeFileSync(file, bytes);
  // 0.5 / 256 is a tie (level 0.5 -> 0); 5 is past the range (clipped to 1023 / 256).
  const x = Float32Array.from([0.5 / 256, 1.5 / 256, 0.3, 5]);
  const snapped = [0, 2 / 256, Math.round(0.3 * 256) / 256, 1023 / 256];
  const expected = [0, 1, 2].map((o) => snapped.reduce((sum, v, i) => sum + v * kernel[i * 3 + o], 0));
  const run = await runOnnx(file, x, [1, 4]);
  assert.ok('output' in run);
  assert.ok(maxAbsDifference(run.output, expected) <= 1e-5, `${Array.from(run.output)} vs ${expected}`);
  model.dispose();
});

test('a kernel off its recorded grid is refused with an error naming the layer', () => {
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 4, kernelInitializer: tf.initializers.randomUniform({ minval: 0.1, maxval: 0.9, seed: 3 }) })] });
  const name = model.layers[0].name;
  const quantized: QuantizedLayer = { layer: name, weight: { kind: 'linear', bits: 4, step: 1 / 7 } };
  assert.throws(() => onnxModelBytes(layersToGraph(model), { name: 'test', version: '0' }, { layers: new Map([[name, quantized]]), metadata: {} }), new RegExp(`cannot export layer "${name}" to ONNX: its weight .* is not on its 4-bit grid`));
  const codebook: QuantizedLayer = { layer: name, weight: { kind: 'kmeans', bits: 8, codebook: new Float32Array([0, 1]) } };
  assert.throws(() => onnxModelBytes(layersToGraph(model), { name: 'test', version: '0' }, { layers: new Map([[name, codebook]]), metadata: {} }), new RegExp(`cannot export layer "${name}" to ONNX: its weight .* is not in its 8-bit codebook`));
  assert.throws(() => onnxModelBytes(layersToGraph(model), { name: 'test', version: '0' }, { layers: new Map([['dense_Missing', quantized]]), metadata: {} }), /cannot export layer "dense_Missing" to ONNX: it is quantized, but the exported graph has no convolution or dense layer of that name/);
  model.dispose();
});
