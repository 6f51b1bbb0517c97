import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { RAW_BYTES, type Normalization } from '../../../server/data/batchAssembly';
import { exportModel, toChannelsFirst } from '../../../server/deploy/exportModel';
import { runOnnx, runPytorch } from '../../../server/deploy/exportRuntimes';
import { mobileNetLayersModel } from '../../../server/deploy/mobileNetLayers';
import { buildLayerStackModel } from '../../../server/evaluators/train/buildModel';
import { initBackend } from '../../../server/runtime/backend';
import type { OfaSmallConfig } from '../../../server/supernet/ofaSmallConfig';
import { OfaSupernet } from '../../../server/supernet/ofaSupernet';
import { batchTensors, calibrateSubnet } from '../../../server/supernet/subnetEvaluation';
import { extractSubnet } from '../../../server/supernet/subnetExtract';
import { MobileNet, type MobileNetConfig } from '../../../server/training/mobileNet';
import { maxAbsDifference, randomValues } from '../support/backends';

/**
 * PyTorch must be there (CI installs Debian's python3-torch): a missing torch fails these tests
 * unless NAS_SKIP_TORCH=1 says so explicitly.
 */
const SKIP_TORCH = process.env.NAS_SKIP_TORCH === '1';
const TOLERANCE = 1e-4;

before(async () => {
  await initBackend('wasm');
});

/** Runs the exported ONNX and PyTorch files on `x` (NHWC) and compares both with TF.js' own prediction. */
async function assertRoundTrips(model: tf.LayersModel, x: tf.Tensor, what: string): Promise<void> {
  const expected = tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync() as Float32Array);
  const shape = x.rank === 4 ? [x.shape[0], x.shape[3], x.shape[1], x.shape[2]] : x.shape;
  const input = toChannelsFirst(x);

  const onnxDir = mkdtempSync(join(tmpdir(), 'nas-onnx-'));
  const onnx = await exportModel(model, 'onnx', onnxDir, { title: what, input: 'images', output: 'logits' });
  const ort = await runOnnx(onnx.file, input, shape as number[]);
  assert.ok('output' in ort, `onnxruntime must run: ${'unavailable' in ort ? ort.unavailable : ''}`);
  assert.ok(maxAbsDifference(ort.output, expected) <= TOLERANCE, `${what}, ONNX: max |difference| ${maxAbsDifference(ort.output, expected)}`);
  assert.equal(ort.output.length, expected.length);
  assert.ok('maxDifference' in onnx.check && onnx.check.maxDifference <= TOLERANCE, `the export's own check: ${JSON.stringify(onnx.check)}`);

  const torchDir = mkdtempSync(join(tmpdir(), 'nas-torch-'));
  const torch = await exportModel(model, 'pytorch', torchDir, { title: what, input: 'images', output: 'logits' });
  assert.deepEqual(readdirSync(torchDir).sort(), ['model.py', 'weights.bin']);
  const run = runPytorch(torch.file, input, shape as number[]);
  if ('unavailable' in run) {
    if (SKIP_TORCH) return;
    assert.fail(`${run.unavailable}; set NAS_SKIP_TORCH=1 to skip the PyTorch round trips`);
  }
  assert.ok(maxAbsDifference(run.output, expected) <= TOLERANCE, `${what}, PyTorch: max |difference| ${maxAbsDifference(run.output, expected)}`);
}

test('a layers CNN (same-padded strided conv, max pool, flatten, dropout, dense, softmax) round-trips through ONNX and PyTorch', async () => {
  const model = buildLayerStackModel(
    {
      space: 'layers',
      input: [13, 11, 2],
      layers: [
        { type: 'conv2d', filters: 6, kernel: 3, stride: 2, padding: 'same', activation: 'relu' },
        { type: 'conv2d', filters: 5, kernel: 5, stride: 1, padding: 'same', activation: 'relu' },
        { type: 'maxpool', size: 2 },
        { type: 'flatten' },
        { type: 'dropout', rate: 0.3 },
        { type: 'dense', units: 12, activation: 'relu' },
        { type: 'dense', units: 7, activation: 'softmax' },
      ],
    },
    3,
  );
  const x = tf.randomNormal([5, 13, 11, 2], 0, 1, 'float32', 1);
  await assertRoundTrips(model, x, 'layers CNN');
  // Layer names follow the architecture; the PyTorch flatten is channels-first with the dense weights reordered.
  const dir = mkdtempSync(join(tmpdir(), 'nas-torch-'));
  const source = readFileSync((await exportModel(model, 'pytorch', dir, { title: 't', input: 'i', output: 'o' })).file, 'utf8');
  for (const line of ['self.conv1 = nn.Conv2d(2, 6', 'self.conv2 = nn.Conv2d(6, 5, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2)', 'self.pool1 = nn.MaxPool2d', 'self.fc1 = nn.Linear(45, 12', 'self.classifier = nn.Linear(12, 7', 'x = torch.flatten(x, 1)', 'x = torch.softmax(x, dim=-1)']) {
    assert.ok(source.includes(line), `model.py has ${line}`);
  }
  tf.dispose([x]);
  model.dispose();
});

/** An OFA-style sub-network: per-block kernels and expand ratios, residuals, batch norms with trained-looking statistics. */
const OFA_STYLE: MobileNetConfig = {
  inputShape: [16, 16, 3],
  stemChannels: 8,
  stemStride: 2,
  stages: [
    { width: 8, depth: 2, stride: 1, kernelSize: [3, 5], expandRatio: [1, 3] },
    { width: 16, depth: 3, stride: 2, kernelSize: [7, 3, 5], expandRatio: [4, 6, 3] },
  ],
  classes: 10,
};

test('an OFA-style sub-network round-trips through ONNX and PyTorch; its Layers model computes what the network computes', async () => {
  const net = new MobileNet(OFA_STYLE, 5);
  tf.tidy(() => {
    net.stateVariables.forEach((v, i) => v.assign(i % 2 ? tf.tensor1d(randomValues(v.size, i)).abs().add(0.5) : tf.tensor1d(randomValues(v.size, i))));
    net.trainableVariables.forEach((v, i) => {
      if (v.rank === 1 && v.shape[0] !== OFA_STYLE.classes) v.assign(tf.tensor1d(randomValues(v.size, 100 + i)).mul(0.3).add(v));
    });
  });
  const x = tf.randomNormal([4, 16, 16, 3], 0, 1, 'float32', 2);
  const model = mobileNetLayersModel(net);
  const direct = tf.tidy(() => net.apply(x as tf.Tensor4D, { training: false }).dataSync());
  const viaLayers = tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
  assert.ok(maxAbsDifference(viaLayers, direct) <= 1e-5, `layers model vs network: ${maxAbsDifference(viaLayers, direct)}`);
  assert.ok(model.layers.some((l) => l.name === 'stage2_block3_depthwise_conv'));
  assert.ok(!model.layers.some((l) => l.name === 'stage1_block1_expand_conv'), 'expand ratio 1 has no expansion');
  await assertRoundTrips(model, x, 'OFA-style sub-network');
  tf.dispose(x);
  model.dispose();
  net.dispose();
});

const SUPERNET: OfaSmallConfig = {
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
const NORMALIZATION: Normalization = { mean: [0.5, 0.4], std: [0.3, 0.2] };

test('a supernet export (normalization, resize to 10x10, elastic blocks) round-trips through ONNX and PyTorch from raw bytes', async () => {
  const supernet = new OfaSupernet(SUPERNET, 9);
  const count = 16;
  const [h, w, c] = SUPERNET.input;
  const pixels = Uint8Array.from(randomValues(count * h * w * c, 4), (v) => Math.floor((v + 1) * 127.9));
  const images = { name: 'random', shape: SUPERNET.input, classes: SUPERNET.classes, count, pixels, labels: new Uint8Array(count) };
  const all = Int32Array.from({ length: count }, (_, i) => i);
  const arch = { ks: [7, 3, 5, 3], e: [3, 2, 4, 2], d: [1, 2], r: 10 };
  calibrateSubnet(supernet, arch, images, NORMALIZATION, all);
  const model = extractSubnet(supernet, arch, NORMALIZATION);
  const raw = batchTensors(images, all, RAW_BYTES).images;
  await assertRoundTrips(model, raw, 'supernet sub-network');
  tf.dispose(raw);
  model.dispose();
  supernet.dispose();
});

test('exporting a model with a layer the formats lack fails naming the layer, and writes nothing', async () => {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3, padding: 'same', name: 'conv1' }),
      tf.layers.upSampling2d({ size: [2, 2], name: 'upsample' }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ units: 3, name: 'classifier' }),
    ],
  });
  for (const format of ['onnx', 'pytorch'] as const) {
    const dir = join(mkdtempSync(join(tmpdir(), 'nas-bad-')), 'out');
    await assert.rejects(exportModel(model, format, dir, { title: 't', input: 'i', output: 'o' }), (e: Error) => {
      assert.match(e.message, /^cannot export layer "upsample" \(UpSampling2D\): ONNX and PyTorch export supports Conv2D, DepthwiseConv2D, /);
      return true;
    });
    assert.equal(existsSync(dir), false, 'nothing written');
  }
  model.dispose();
});
