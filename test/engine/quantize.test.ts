import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { saveTinyMnistModel, testAccuracy } from './tinyMnistModel';

const CLI = join(__dirname, '../../bin/nas-studio.js');
const dir = mkdtempSync(join(tmpdir(), 'nas-quantize-'));
const modelDir = join(dir, 'tiny-model');
const TEST_IMAGES = 300;
const ARGS = ['--budget', 'size:w4', '--dataset', 'mnist', '--episodes', '6', '--warmup', '2', '--held-out', '200', '--calibration', '64', '--test-samples', String(TEST_IMAGES), '--seed', '3'];

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Episode {
  type: string;
  episode: number;
  policy: { weight: number; activation: number }[];
  reward: number;
  cost: number;
}

function journalOf(root: string, id: string): Episode[] {
  return readFileSync(join(root, id, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

/** Loads a model folder with stock TF.js (tf.loadLayersModel on the files as written). */
async function stockLoad(folder: string): Promise<tf.LayersModel> {
  const modelJson = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  const bin = readFileSync(join(folder, modelJson.weightsManifest[0].paths[0]));
  const weights = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0].weights, weightData: weights }));
}

let uninterrupted: { id: string; episodes: Episode[] } | undefined;

before(async () => {
  await saveTinyMnistModel(modelDir);
});

test('quantize --json: a budget-fitting policy per episode, the best exported; stock TF.js reloads it with the reported accuracy', async () => {
  const root = join(dir, 'full');
  const r = cli(['quantize', modelDir, ...ARGS, '--root', root, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const last = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  assert.equal(last.status, 'finished');
  assert.equal(last.episodes, 6);
  assert.equal(last.budget.kind, 'size');
  // Uniform 4-bit weights for the middle layers, 8 for the first and last (the reference's rule).
  const w4 = last.baselines.find((b: { weight: number }) => b.weight === 4);
  assert.equal(last.budget.target, w4.sizeBits);
  assert.deepEqual(last.baselines.map((b: { weight: number }) => b.weight), [2, 3, 4, 5, 6, 7, 8]);
  assert.match(r.stderr, /episode\s+6\s+acc \d+\.\d\d%/);
  assert.match(r.stderr, /uniform W4A8\s+held-out \d+\.\d\d%/);

  const episodes = journalOf(root, last.run).filter((x) => x.type === 'episode');
  assert.deepEqual(episodes.map((e) => e.episode), [0, 1, 2, 3, 4, 5]);
  for (const e of episodes) {
    assert.ok(e.cost <= last.budget.target, `episode ${e.episode} costs ${e.cost} > ${last.budget.target}`);
    assert.deepEqual([e.policy[0].weight, e.policy.at(-1)!.weight], [8, 8]);
  }
  const bestReward = Math.max(...episodes.map((e) => e.reward));
  assert.equal(last.best.reward, bestReward);
  assert.deepEqual(last.result.policy, last.best.policy);

  const exports = join(root, last.run, 'exports');
  const model = await stockLoad(join(exports, 'model'));
  assert.equal(testAccuracy(model, TEST_IMAGES), last.result.exportedAccuracy);
  assert.equal(last.result.exportedOn, 'test');
  // The middle layers' kernels are stored as TF.js uint8 weights, decoded on load.
  const manifest = JSON.parse(readFileSync(join(exports, 'model', 'model.json'), 'utf8')).weightsManifest[0].weights;
  assert.ok(manifest.some((w: { quantization?: { dtype: string } }) => w.quantization?.dtype === 'uint8'));
  model.dispose();
  assert.equal(statSync(join(exports, 'weights.packed.bin')).size, last.result.packedBytes);
  const policy = JSON.parse(readFileSync(join(exports, 'policy.json'), 'utf8'));
  assert.deepEqual(policy.layers.map((l: { weightBits: number }) => l.weightBits), last.result.policy.map((p: { weight: number }) => p.weight));

  const list = cli(['list', '--root', root]);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, new RegExp(`${last.run}\\s+finished\\s+6/6 episodes\\s+best \\d+\\.\\d\\d% at`));
  uninterrupted = { id: last.run, episodes };
});

test('k-means under a BitOps budget: weights only, every episode within the budget, the float32 export reloads with the reported accuracy', async () => {
  const root = join(dir, 'kmeans');
  const r = cli(['quantize', modelDir, '--quantizer', 'kmeans', '--budget', 'bitops:w4a4', '--dataset', 'mnist', '--episodes', '3', '--warmup', '1', '--held-out', '200', '--calibration', '32', '--test-samples', String(TEST_IMAGES), '--root', root, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const last = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  assert.equal(last.budget.kind, 'bitops');
  assert.deepEqual(last.baselines.map((b: { weight: number }) => b.weight), [1, 2, 3, 4, 5, 6, 7, 8]);
  const episodes = journalOf(root, last.run).filter((x) => x.type === 'episode');
  for (const e of episodes) {
    assert.ok(e.cost <= last.budget.target, `episode ${e.episode} costs ${e.cost} > ${last.budget.target}`);
    // k-means leaves the activations of the layers it chooses for in float.
    assert.ok(e.policy.slice(1, -1).every((p) => p.activation === 32));
  }
  const model = await stockLoad(join(root, last.run, 'exports', 'model'));
  assert.equal(testAccuracy(model, TEST_IMAGES), last.result.exportedAccuracy);
  model.dispose();
});

test('a latency budget sums the lookup table entries of each layer at its bits (the first layer reads the 8-bit image)', () => {
  const root = join(dir, 'latency');
  // Layer i at w-bit weights and a-bit activations: 0.01 (i + 1) w a ms.
  const names = ['conv2d_Conv2D1', 'conv2d_Conv2D2', 'dense_Dense1', 'dense_Dense2'];
  const ms = (i: number, w: number, a: number) => 0.01 * (i + 1) * w * a;
  const table = join(dir, 'latency.json');
  const bits = [1, 2, 3, 4, 5, 6, 7, 8];
  writeFileSync(table, JSON.stringify({ unit: 'ms', layers: names.map((name, i) => ({ name, ms: bits.map((w) => bits.map((a) => ms(i, w, a))) })) }));
  const r = cli(['quantize', modelDir, '--budget', `latency:${table}:w4a4`, '--dataset', 'mnist', '--episodes', '3', '--warmup', '1', '--held-out', '200', '--calibration', '32', '--test-samples', '0', '--root', root, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const last = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  const cost = (policy: { weight: number; activation: number }[]) => policy.reduce((sum, p, i) => sum + ms(i, p.weight, i === 0 ? 8 : p.activation), 0);
  assert.ok(Math.abs(last.budget.target - cost([{ weight: 8, activation: 8 }, { weight: 4, activation: 4 }, { weight: 4, activation: 4 }, { weight: 8, activation: 8 }])) < 1e-9);
  const episodes = journalOf(root, last.run).filter((x) => x.type === 'episode');
  for (const e of episodes) {
    assert.ok(Math.abs(e.cost - cost(e.policy)) < 1e-9, `episode ${e.episode}`);
    assert.ok(e.cost <= last.budget.target + 1e-9);
  }
  assert.equal(last.result.exportedOn, 'held-out');
  const missing = cli(['quantize', modelDir, '--budget', 'latency:nope.json:3', '--dataset', 'mnist', '--root', root]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope\.json: latency lookup table not found/);
});

test('kill -9 mid-search, then resume: every episode exactly once, the same policies as a run never interrupted', async () => {
  const root = join(dir, 'killed');
  const child = spawn(process.execPath, [CLI, 'quantize', modelDir, ...ARGS, '--root', root], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      output += d;
      if ((output.match(/^episode\s+\d/gm) ?? []).length >= 3) resolve();
    });
    child.once('exit', () => reject(new Error(`run ended before the kill:\n${output}`)));
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const id = /quantization (\S+): 6 episodes/.exec(output)![1];
  const before = journalOf(root, id).filter((x) => x.type === 'episode').length;
  assert.ok(before >= 3 && before < 6, `${before} episodes journaled before the kill`);

  const r = cli(['resume', id, '--root', root, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`resuming ${id}: ${before} of 6 episodes done`));
  const journal = journalOf(root, id);
  const episodes = journal.filter((x) => x.type === 'episode');
  assert.deepEqual(episodes.map((e) => e.episode), [0, 1, 2, 3, 4, 5]);
  assert.equal(journal.filter((x) => x.type === 'final').length, 1);
  assert.equal(journal.filter((x) => x.type === 'baseline').length, 7);
  assert.ok(uninterrupted, 'the uninterrupted run');
  assert.deepEqual(episodes.map((e) => [e.policy, e.reward]), uninterrupted.episodes.map((e) => [e.policy, e.reward]));
  assert.ok(existsSync(join(root, id, 'exports', 'model', 'model.json')));
});

test('--trial: a search trial is retrained with its own seeds and split, so the float model scores its val_accuracy again', () => {
  const spec = join(dir, 'tiny.nas.json');
  writeFileSync(
    spec,
    JSON.stringify({
      name: 'tiny',
      space: { type: 'layers', convBlocks: { max: 0 }, denseLayers: { max: 2, units: [16] }, dropout: [0] },
      evaluator: { type: 'train', trainSamples: 600, validationSamples: 200, testSamples: 200, latencyRepeats: 1, workers: 1 },
      strategy: { type: 'random' },
      objectives: [{ metric: 'val_accuracy', goal: 'maximize' }],
      budget: { trials: 3 },
    }),
  );
  const root = join(dir, 'trial');
  const search = cli(['run', spec, '--out', join(dir, 'search'), '--root', root]);
  assert.equal(search.code, 0, search.stderr);
  const trials = JSON.parse(cli(['show', join(dir, 'search'), '--json', '--root', root]).stdout).trials as { trial: number; arch: { layers: { type: string }[] }; metrics: { val_accuracy: number } }[];
  const deep = trials.find((t) => t.arch.layers.filter((l) => l.type === 'dense').length === 3);
  assert.ok(deep, 'a trial with three dense layers');
  const r = cli(['quantize', join(dir, 'search'), '--trial', String(deep.trial), '--budget', 'size:w4', '--episodes', '1', '--warmup', '0', '--held-out', '200', '--calibration', '32', '--test-samples', '200', '--root', root, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const last = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  assert.equal(last.originalAccuracy, deep.metrics.val_accuracy);
  assert.equal(last.status, 'finished');
  const shallow = trials.find((t) => t.arch.layers.filter((l) => l.type === 'dense').length < 3);
  if (shallow) {
    const refused = cli(['quantize', join(dir, 'search'), '--trial', String(shallow.trial), '--budget', 'size:w4', '--root', root]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /needs at least one more to choose bits for/);
  }
});

test('bad input: no budget, an unreachable budget, a model folder without a dataset: exit 2 with a clear message', () => {
  const none = cli(['quantize', modelDir, '--root', join(dir, 'bad')]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /--budget is required/);
  const tiny = cli(['quantize', modelDir, '--budget', 'size:0.01', '--dataset', 'mnist', '--root', join(dir, 'bad')]);
  assert.equal(tiny.code, 2, tiny.stderr);
  assert.match(tiny.stderr, /below the cheapest policy the agent can reach/);
  const noData = cli(['quantize', modelDir, '--budget', 'size:w4', '--root', join(dir, 'bad')]);
  assert.equal(noData.code, 2);
  assert.match(noData.stderr, /a model folder needs a dataset/);
  const missing = cli(['quantize', join(dir, 'nope'), '--budget', 'size:w4', '--dataset', 'mnist', '--root', join(dir, 'bad')]);
  assert.equal(missing.code, 2, missing.stderr);
  assert.doesNotMatch(missing.stderr, /\n\s+at /);
});
