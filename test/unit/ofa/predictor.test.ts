import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../../server/core/rng';
import { DataError, MissingFileError } from '../../../server/core/errors';
import { Mlp } from '../../../server/ofa/mlp';
import { type TensorJson, loadPredictor, predictorToJson, savePredictor } from '../../../server/ofa/predictorFile';
import { AccuracyPredictor } from '../../../server/ofa/accuracyPredictor';
import { kendall, spearman } from '../../../server/ofa/rankCorrelation';
import { trainPredictor, loadTrainingSamples, type TrainingSample } from '../../../server/ofa/predictorTraining';
import { D_OFFSET, E_OFFSET, KS_OFFSET, OfaMbv3Space, R_INDEX } from '../../../server/spaces/ofa/ofaMbv3Space';
import type { Genome } from '../../../server/core/searchSpace';
import { trainPredictorCommand } from '../../../cli/trainPredictor';
import { isLargestOption, linearPredictor } from './generatedFiles';

const space = new OfaMbv3Space();
const dir = mkdtempSync(join(tmpdir(), 'ofa-predictor-'));

function isDataError(pattern: RegExp) {
  return (error: unknown) => error instanceof DataError && pattern.test(error.message);
}

test('rank correlations match scipy (ties included)', () => {
  assert.ok(Math.abs(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]) - 0.8207826816681233) < 1e-12);
  assert.ok(Math.abs(kendall([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]) - 0.7378647873726218) < 1e-12);
  assert.equal(spearman([1, 2, 3], [3, 2, 1]), -1);
  assert.equal(kendall([1, 2, 3], [1, 2, 3]), 1);
});

test('input gradient matches finite differences', () => {
  const rng = new Rng(1);
  const mlp = Mlp.random([6, 5, 4, 1], () => rng.next());
  const x = [0.3, -0.2, 1, 0, 0.5, 0.7];
  const trace: Float64Array[] = [];
  mlp.predictOne(x, trace);
  const gradient = mlp.backward(trace, 1);
  for (let i = 0; i < x.length; i++) {
    const h = 1e-6;
    const up = x.slice();
    up[i] += h;
    const down = x.slice();
    down[i] -= h;
    const numeric = (mlp.predictOne(up) - mlp.predictOne(down)) / (2 * h);
    assert.ok(Math.abs(numeric - gradient[i]) < 1e-6, `input ${i}: ${numeric} vs ${gradient[i]}`);
  }
});

/** A random network whose outputs stay inside [0, 1]: PyTorch's initialization, the output layer scaled down and centred on 0.5. */
function randomFractionMlp(sizes: readonly number[], rng: Rng): Mlp {
  const random = Mlp.random(sizes, () => rng.next());
  const last = random.layers[random.layers.length - 1];
  return new Mlp([...random.layers.slice(0, -1), { ...last, weight: last.weight.map((w) => w * 0.01), bias: last.bias.map(() => 0.5) }]);
}

test('weights save and load in the acc_predictor.json layout with identical predictions', async () => {
  const rng = new Rng(2);
  const mlp = randomFractionMlp([128, 16, 16, 1], rng);
  const json = predictorToJson(mlp);
  assert.deepEqual(Object.keys(json), ['0.weight', '0.bias', '2.weight', '2.bias', '4.weight', '4.bias']);
  assert.deepEqual((json['0.weight'] as TensorJson).shape, [16, 128]);
  const file = join(dir, 'round-trip.json');
  await savePredictor(mlp, file);
  const loaded = await AccuracyPredictor.load(file, space);
  const genomes = Array.from({ length: 20 }, () => space.sample(rng));
  const expected = genomes.map((g) => mlp.predictOne(space.encode(g)));
  assert.deepEqual(Array.from(loaded.predictMany(genomes)), expected);
});

test('predictor files of the wrong shape are DataErrors naming the tensor', async () => {
  const rng = new Rng(4);
  const write = (name: string, json: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, typeof json === 'string' ? json : JSON.stringify(json));
    return file;
  };
  const good = predictorToJson(Mlp.random([128, 8, 1], () => rng.next()));
  await assert.rejects(loadPredictor(write('truncated.json', '{"0.weight": ')), isDataError(/truncated\.json: predictor weights are not valid JSON/));
  await assert.rejects(loadPredictor(write('array.json', [1, 2])), isDataError(/must be a JSON object of tensors/));
  await assert.rejects(loadPredictor(write('nobias.json', { '0.weight': good['0.weight'] })), isDataError(/tensor "0\.bias" is missing/));
  const mismatched = { ...good, '2.weight': { shape: [1, 9], data: [Array(9).fill(0)] } };
  await assert.rejects(loadPredictor(write('chain.json', mismatched)), isDataError(/"2\.weight" has shape \[1, 9\] but the layer before outputs 8 values/));
  const short = { ...good, '0.bias': { shape: [8], data: [1, 2, 3] } };
  await assert.rejects(loadPredictor(write('short.json', short)), isDataError(/tensor "0\.bias" must hold 8 finite numbers/));
  const wide = predictorToJson(Mlp.random([100, 8, 1], () => rng.next()));
  await assert.rejects(AccuracyPredictor.load(write('wide.json', wide), space), isDataError(/maps 128 features to 1 value; this one maps 100 to 1/));
  await assert.rejects(
    loadPredictor(join(dir, 'absent.json')),
    (e: unknown) => e instanceof MissingFileError && /absent\.json: not found; expected predictor weights \(OFA's acc_predictor\.json format\) here/.test(e.message),
  );
  await assert.rejects(loadPredictor(dir), isDataError(/: is a folder; expected predictor weights/));
});

test('weights that do not predict accuracies as fractions are refused, naming the file, the value and the sub-network', async () => {
  const save = async (name: string, mlp: Mlp) => {
    const file = join(dir, name);
    await savePredictor(mlp, file);
    return file;
  };
  const cases: [string, Mlp, RegExp][] = [
    ['huge.json', linearPredictor(8.7e305, () => 0), /predicts 8\.7e\+305 for the sub-network r160 d22222 k33\|33\|33\|33\|33 e33\|33\|33\|33\|33, but accuracies are fractions in \[0, 1\]; use weights/],
    ['percent.json', linearPredictor(78.5, () => 0), /predicts 78\.5 .*\(a percentage\? the weights must predict fractions, 0\.8 for 80 %\)/],
    ['five.json', linearPredictor(5, () => 0), /predicts 5 for/],
    ['negative.json', linearPredictor(-3, () => 0), /predicts -3 for/],
    // Finite weights whose output overflows.
    ['overflow.json', new Mlp([{ inputs: 128, outputs: 1, weight: new Float64Array(128).fill(1e308), bias: Float64Array.of(0) }]), /predicts Infinity for/],
  ];
  for (const [name, mlp, message] of cases) {
    const file = await save(name, mlp);
    await assert.rejects(
      AccuracyPredictor.load(file, space),
      (e: unknown) => e instanceof DataError && e.message.startsWith(`${file}: not an accuracy predictor: `) && message.test(e.message),
      name,
    );
  }
  // In range on typical sub-networks, above 1 only for the largest one: the extremes are checked too.
  // +0.015 for every kernel 7 and expand 6: 1.1 for the largest sub-network only.
  const largestOnly = linearPredictor(0.5, (i) => (isLargestOption(i) ? 0.015 : 0));
  const typical = Array.from({ length: 200 }, (_, i) => largestOnly.predictOne(space.encode(space.sample(new Rng(i)))));
  assert.ok(Math.max(...typical) < 1, 'random sub-networks stay in range');
  const file = await save('largest.json', largestOnly);
  await assert.rejects(AccuracyPredictor.load(file, space), isDataError(/predicts 1\.(09999|1)\d* for the sub-network r160 d44444 k7777\|7777.*in \[0, 1\]; use weights/));
  // A predictor in range everywhere loads.
  const fine = await AccuracyPredictor.load(await save('fine.json', linearPredictor(0.5, (i) => (isLargestOption(i) ? 0.01 : 0))), space);
  assert.ok(Math.abs(fine.predict(space.decisions.map((d) => d.choices.length - 1)) - (0.5 + 40 * 0.01)) < 1e-12);
});

/** A known accuracy function with block, depth, resolution effects and one interaction. */
function syntheticAccuracy(genome: Genome): number {
  let acc = 0.7 + 0.01 * genome[R_INDEX];
  for (let s = 0; s < 5; s++) {
    const depth = 2 + genome[D_OFFSET + s];
    for (let j = 0; j < depth; j++) {
      const i = s * 4 + j;
      acc += 0.002 * genome[KS_OFFSET + i] + 0.003 * genome[E_OFFSET + i] * (1 + 0.2 * s);
    }
  }
  return acc + 0.004 * genome[R_INDEX] * genome[D_OFFSET + 4];
}

test('training recovers the ranking of a known function on held-out architectures, deterministically', async () => {
  const rng = new Rng(11);
  const samples: TrainingSample[] = Array.from({ length: 500 }, () => {
    const genome = space.sample(rng);
    return { genome, accuracy: syntheticAccuracy(genome) };
  });
  const options = { hidden: [32, 32], epochs: 40, batchSize: 32, learningRate: 1e-2, seed: 5 };
  const result = await trainPredictor(space, samples, options);
  assert.equal(result.heldOut.count, 100);
  assert.equal(result.trainCount, 400);
  assert.ok(result.heldOut.spearman > 0.95, `held-out Spearman ${result.heldOut.spearman}`);
  assert.ok(result.heldOut.kendall > 0.8, `held-out Kendall ${result.heldOut.kendall}`);
  const again = await trainPredictor(space, samples, options);
  assert.deepEqual(Array.from(again.mlp.layers[0].weight), Array.from(result.mlp.layers[0].weight));
  // The trained network is a usable predictor file.
  const file = join(dir, 'trained.json');
  await savePredictor(result.mlp, file);
  const predictor = await AccuracyPredictor.load(file, space);
  const probe = samples[0].genome;
  assert.ok(Math.abs(predictor.predict(probe) - result.mlp.predictOne(space.encode(probe))) < 1e-12);
});

test('training samples load from JSON and JSON lines; bad samples name their index', async () => {
  const arch = space.toArch(space.sample(new Rng(1)));
  const lines = join(dir, 'samples.jsonl');
  writeFileSync(lines, [JSON.stringify({ ...arch, accuracy: 0.8 }), JSON.stringify({ arch, accuracy: 0.7 })].join('\n'));
  const samples = await loadTrainingSamples(lines, space);
  assert.deepEqual(samples.map((s) => s.accuracy), [0.8, 0.7]);
  assert.deepEqual(samples[0].genome, samples[1].genome);
  const bad = join(dir, 'bad-samples.json');
  writeFileSync(bad, JSON.stringify([{ ...arch, accuracy: 0.8 }, { ...arch, d: [1, 2, 3, 4, 5], accuracy: 0.8 }]));
  await assert.rejects(loadTrainingSamples(bad, space), isDataError(/bad-samples\.json: sample 1: d\[0\] must be one of 2, 3, 4/));
});

test('train-predictor CLI: trains, reports held-out rank correlation, writes a loadable predictor', async () => {
  const rng = new Rng(21);
  const samplesFile = join(dir, 'cli-samples.json');
  writeFileSync(samplesFile, JSON.stringify(Array.from({ length: 120 }, () => {
    const genome = space.sample(rng);
    return { ...space.toArch(genome), accuracy: syntheticAccuracy(genome) };
  })));
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
  const file = join(dir, 'cli-trained.json');
  const args = ['--samples', samplesFile, '--out', file, '--hidden', '16,16', '--epochs', '20', '--learning-rate', '0.01', '--json'];
  assert.equal(await trainPredictorCommand(args, io), 0, err.join('\n'));
  const report = JSON.parse(out[out.length - 1]);
  assert.deepEqual(report.sizes, [128, 16, 16, 1]);
  assert.equal(report.heldOut.count, 24);
  // Plumbing only (120 samples are few); learning quality is checked on the library above.
  assert.ok(report.heldOut.spearman > 0, `held-out Spearman ${report.heldOut.spearman}`);
  assert.match(err.join('\n'), /held out 24: Spearman/);
  await AccuracyPredictor.load(file, space);
  assert.equal(await trainPredictorCommand(['--samples', samplesFile], io), 2);
  assert.match(err.join('\n'), /--samples FILE and --out FILE are required/);
});
