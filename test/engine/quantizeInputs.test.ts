// Two inputs of `nas-studio quantize` end to end: an exported supernet sub-network (its folder
// with subnet.json brings the supernet run's dataset, split and raw-byte input) and --finetune
// (the fine-tuned model is what is scored, journaled, tested and exported).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadIdxDataset } from '../../server/data/idxDataset';
import { embeddedMnistFiles } from '../../server/data/mnist';
import { DATA_LIMITS } from '../../server/data/dataLimits';
import { TINY_SUPERNET } from '../tinySupernet';
import { saveTinyMnistModel } from './tinyMnistModel';

const CLI = join(__dirname, '../../bin/nas-studio.js');
const dir = mkdtempSync(join(tmpdir(), 'nas-quantize-inputs-'));
const TEST_IMAGES = 200;

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

function journalOf(runDir: string): { type: string; [key: string]: unknown }[] {
  return readFileSync(join(runDir, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

/** Loads a model folder with stock TF.js (tf.loadLayersModel on the files as written). */
async function stockLoad(folder: string): Promise<tf.LayersModel> {
  const modelJson = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  const bin = readFileSync(join(folder, modelJson.weightsManifest[0].paths[0]));
  const weights = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0].weights, weightData: weights }));
}

/** Accuracy on the first `count` embedded MNIST test images, fed as raw bytes or bytes / 255. */
function mnistTestAccuracy(model: tf.LayersModel, count: number, scale: 'bytes' | 'unit'): number {
  const [images, labels] = embeddedMnistFiles('test');
  const data = loadIdxDataset('test', images, labels, DATA_LIMITS);
  const pixels = data.shape[0] * data.shape[1] * data.shape[2];
  const x = tf.tensor4d(Float32Array.from(data.pixels.subarray(0, count * pixels), (v) => (scale === 'unit' ? v / 255 : v)), [count, ...data.shape]);
  const predicted = tf.tidy(() => (model.predict(x) as tf.Tensor).argMax(-1).dataSync());
  x.dispose();
  let correct = 0;
  for (let i = 0; i < count; i++) if (predicted[i] === data.labels[i]) correct++;
  return correct / count;
}

before(async () => {
  await tf.setBackend('cpu');
});

test('an exported supernet sub-network: its supernet run brings dataset, split and raw-byte input; the float model scores its validation accuracy again', async () => {
  const spec = join(dir, 'tiny.supernet.json');
  const training = { mode: 'progressive-shrinking', phases: [{ phase: 'full', epochs: 1, learningRate: 0.1 }], trainSamples: 1024, validation: 300, testSamples: 200, calibrationSamples: 200, batchSize: 64 };
  writeFileSync(spec, JSON.stringify({ name: 'tiny', supernet: TINY_SUPERNET, dataset: { type: 'mnist' }, training, seed: 5 }));
  const run = join(dir, 'supernet');
  const trained = cli(['train', spec, '--out', run]);
  assert.equal(trained.code, 0, trained.stderr);
  const subnet = join(dir, 'subnet');
  const exported = cli(['export-subnet', run, '--arch', '{"ks": [5, 5, 5, 5], "e": [3, 3, 3, 3], "d": [2, 2], "r": 28}', '--out', subnet, '--json']);
  assert.equal(exported.code, 0, exported.stderr);
  const { valAccuracy } = lastJson(exported.stdout);

  // No --dataset: subnet.json names the supernet run, whose dataset and split the run takes.
  const root = join(dir, 'runs-subnet');
  const r = cli(['quantize', subnet, '--budget', 'size:w4', '--episodes', '2', '--warmup', '1', '--held-out', '300', '--calibration', '32', '--test-samples', String(TEST_IMAGES), '--root', root, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const last = lastJson(r.stdout);
  assert.equal(last.status, 'finished');
  // The held-out examples are the supernet's 300 validation images, read as raw bytes.
  assert.equal(last.originalAccuracy, valAccuracy);
  const episodes = journalOf(join(root, last.run)).filter((x) => x.type === 'episode') as unknown as { cost: number }[];
  assert.equal(episodes.length, 2);
  for (const e of episodes) assert.ok(e.cost <= last.budget.target);

  const exports = join(root, last.run, 'exports');
  const report = JSON.parse(readFileSync(join(exports, 'quantization.json'), 'utf8'));
  assert.equal(report.input, 'raw pixel values 0..255, HWC');
  const model = await stockLoad(join(exports, 'model'));
  assert.equal(mnistTestAccuracy(model, TEST_IMAGES, 'bytes'), last.result.exportedAccuracy);
  assert.equal(last.result.exportedOn, 'test');
  model.dispose();
});

test('--finetune: the fine-tuned model is scored, journaled, tested and exported (k-means: the export computes exactly the reported test accuracy)', async () => {
  const modelDir = join(dir, 'tiny-model');
  await saveTinyMnistModel(modelDir);
  const root = join(dir, 'runs-finetune');
  // One policy only (uniform 2-bit weights between the 8-bit first and last layers), with and without the fine-tune.
  const args = ['quantize', modelDir, '--quantizer', 'kmeans', '--bits', '2:2', '--budget', 'size:w2', '--dataset', 'mnist', '--episodes', '2', '--warmup', '1', '--held-out', '200', '--calibration', '32', '--test-samples', String(TEST_IMAGES), '--root', root, '--json'];
  const plain = cli([...args, '--name', 'plain']);
  assert.equal(plain.code, 0, plain.stderr);
  const tuned = cli([...args, '--name', 'tuned', '--finetune', '256']);
  assert.equal(tuned.code, 0, tuned.stderr);
  const p = lastJson(plain.stdout);
  const t = lastJson(tuned.stdout);
  assert.equal(t.result.finetuned, true);
  assert.equal(p.result.finetuned, false);
  assert.deepEqual(t.result.policy, p.result.policy);

  // Every episode scores the fine-tuned model (the same seed per episode label), so its held-out
  // accuracy is journaled; the final record re-scores the best episode to the same number.
  const journal = journalOf(join(root, t.run));
  const episodes = journal.filter((x) => x.type === 'episode') as unknown as { episode: number; accuracy: number }[];
  const final = journal.find((x) => x.type === 'final') as unknown as { episode: number; accuracy: number };
  assert.equal(final.accuracy, episodes.find((e) => e.episode === final.episode)!.accuracy);

  // The exported model holds the fine-tuned codebooks: stock TF.js computes the reported test
  // accuracy exactly (k-means leaves activations in float), and its kernels differ from the
  // export without the fine-tune while keeping at most 4 values (2 bits) in the middle layer.
  const tunedModel = await stockLoad(join(root, t.run, 'exports', 'model'));
  const plainModel = await stockLoad(join(root, p.run, 'exports', 'model'));
  const accuracy = mnistTestAccuracy(tunedModel, TEST_IMAGES, 'unit');
  assert.equal(accuracy, t.result.exportedAccuracy);
  assert.equal(accuracy, t.result.testAccuracy);
  assert.equal(mnistTestAccuracy(plainModel, TEST_IMAGES, 'unit'), p.result.testAccuracy);
  const middle = (m: tf.LayersModel) => m.layers.filter((l) => l.getWeights().length > 0)[1].getWeights()[0].dataSync();
  const tunedKernel = middle(tunedModel);
  assert.ok(new Set(tunedKernel).size <= 4, `${new Set(tunedKernel).size} distinct weights`);
  assert.notDeepEqual(Array.from(tunedKernel), Array.from(middle(plainModel)));
  tunedModel.dispose();
  plainModel.dispose();
});
