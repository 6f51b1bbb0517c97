// HAQ on Fashion-MNIST (issue 13), with the quantization run kind itself (RunService create /
// execute, as the editor and the CLI run it):
//   A CNN from the `layers` space, trained with the training evaluator's own code on 55,000
//   training images to >= 90 % test accuracy; the 5,000 training images it never saw become the
//   quantization runs' training split (held-out examples score the policies; calibration and
//   fine-tuning draw from the rest); the test split is touched once per run, at its end.
//   Budgets: the size of uniform 4-bit and 3-bit weights (first and last layers 8-bit, activations
//   8-bit) and the BitOps of uniform W4A4. For each budget, quantizer (linear, k-means) and seed:
//   (a) uniform: a run whose only bit width is the budget's (its one policy is the uniform one),
//   (b) random: `"search": "random"` with the agent's episode count (the same budget walk-back),
//   (c) HAQ: the DDPG agent. Everything again with the same short fine-tune before each score.
//   Claims (HAQ): the agent beats uniform at the 3-bit budget, is not below it at 4-bit, and
//   beats random policies with the same episodes.
//
// Usage: npm run bench:haq [-- --json] [--seeds 3] [--episodes 60] [--warmup 20] [--epochs 4]
//        [--held-out 1000] [--calibration 256] [--test-samples 10000] [--finetune-samples 512]
//        [--quantizers linear,kmeans] [--budgets 4bit,3bit,bitops] [--filters 8,16,32]
//        [--learning-rate 0.002] [--finetune both|no|yes] [--root DIR]
// Runs are kept in ROOT/runs by name: a later invocation on the same root reads the finished ones
// and resumes the rest, so the halves (--finetune no / yes) can run side by side, then one
// invocation with both prints every table and the JSON line.
// With --json the last line is {"original": A, "budgets": [{name, uniform, random, haq,
// haq_size_bits, budget_bits}], "finetuned": {same shape}}: the linear quantizer's means over
// seeds (test accuracies as fractions, the float model's on the same test images; budget_bits is
// the target in the budget's unit: bits of weights, or bit operations for "bitops").
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { QuantizationRunSummary } from '../contract/runs';
import { errorMessage } from '../server/core/errors';
import { hashString } from '../server/core/rng';
import { UNIT_SCALE } from '../server/data/batchAssembly';
import { encodeIdx } from '../server/data/idx';
import type { ImageDataset } from '../server/data/imageDataset';
import { trainModel } from '../server/evaluators/train/trainJob';
import { resolveTrainOptions } from '../server/evaluators/train/trainOptions';
import { modelAccuracy } from '../server/quantize/modelAccuracy';
import { runKind } from '../server/runs/registry';
import { RunService } from '../server/runs/runService';
import type { LayerStackArch } from '../server/spaces/layers/layerSpec';
import { saveLayersModel } from '../server/supernet/tfjsModelFiles';
import { fashionMnistIdx } from '../scripts/fashionMnistIdx';
import { json, log, option } from './benchArgs';

const root = option('root', mkdtempSync(join(tmpdir(), 'nas-haq-')));
const seeds = Number(option('seeds', '3'));
const episodes = Number(option('episodes', '60'));
const warmup = Number(option('warmup', '20'));
const epochs = Number(option('epochs', '4'));
const heldOut = Number(option('held-out', '1000'));
const calibration = Number(option('calibration', '256'));
const testSamples = Number(option('test-samples', '10000'));
const finetuneSamples = Number(option('finetune-samples', '512'));
const quantizers = option('quantizers', 'linear,kmeans').split(',') as ('linear' | 'kmeans')[];
const budgetNames = option('budgets', '4bit,3bit,bitops').split(',') as BudgetName[];
/** Which halves to run: both, or one (two invocations on one root can share the machine's cores). */
const finetuneChoices = { both: [false, true], no: [false], yes: [true] }[option('finetune', 'both')]!;
const filters = option('filters', '8,16,32').split(',').map(Number);
const learningRate = Number(option('learning-rate', '0.002'));

/** Training images the base network learns from; the rest of the 60,000 are never seen by it. */
const BASE_TRAIN = 55_000;
const REQUIRED_TEST_ACCURACY = 0.9;

/** The base network: three conv stages (conv + 2x2 max-pool), a hidden dense layer, a softmax classifier. */
const BASE: LayerStackArch = {
  space: 'layers',
  input: [28, 28, 1],
  layers: [
    ...filters.flatMap((f) => [{ type: 'conv2d', filters: f, kernel: 3, stride: 1, padding: 'same', activation: 'relu' } as const, { type: 'maxpool', size: 2 } as const]),
    { type: 'flatten' },
    { type: 'dense', units: 64, activation: 'relu' },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
};

type BudgetName = '4bit' | '3bit' | 'bitops';
/** Each budget's text and its uniform policy (linear activations: 8 bits under a size budget, as the uniform baselines). */
const BUDGETS: Record<BudgetName, { text: string; bits: number; activationBits: number }> = {
  '4bit': { text: 'size:w4', bits: 4, activationBits: 8 },
  '3bit': { text: 'size:w3', bits: 3, activationBits: 8 },
  bitops: { text: 'bitops:w4a4', bits: 4, activationBits: 4 },
};

/** IDX files of a subset of a split (the base network's unseen training images). */
function writeSubset(dir: string, dataset: ImageDataset, indices: readonly number[]): { trainImages: string; trainLabels: string } {
  const [h, w, c] = dataset.shape;
  const pixels = h * w * c;
  const images = new Uint8Array(indices.length * pixels);
  indices.forEach((i, k) => images.set(dataset.pixels.subarray(i * pixels, (i + 1) * pixels), k * pixels));
  const labels = Uint8Array.from(indices, (i) => dataset.labels[i]);
  const trainImages = join(dir, 'unseen-images-idx3-ubyte');
  const trainLabels = join(dir, 'unseen-labels-idx1-ubyte');
  writeFileSync(trainImages, encodeIdx([indices.length, h, w], images));
  writeFileSync(trainLabels, encodeIdx([indices.length], labels));
  return { trainImages, trainLabels };
}

interface Base {
  readonly modelDir: string;
  readonly testAccuracy: number;
  readonly dataset: { type: 'idx'; trainImages: string; trainLabels: string; testImages: string; testLabels: string };
}

/** Trains the base network once per root (kept in base/ with its test accuracy). */
async function baseNetwork(): Promise<Base> {
  const dir = join(root, 'base');
  const record = join(dir, 'base.json');
  if (existsSync(record)) return JSON.parse(readFileSync(record, 'utf8')) as Base;
  mkdirSync(dir, { recursive: true });
  const files = fashionMnistIdx(join(root, 'fashion-mnist-idx'));
  const options = resolveTrainOptions({ dataset: { type: 'idx', ...files }, epochs, batchSize: 64, learningRate, trainSamples: BASE_TRAIN, validationSamples: 60_000 - BASE_TRAIN, testSamples: 10_000, backend: 'auto' });
  const started = performance.now();
  const trained = await trainModel({ arch: BASE, options, baseDir: root, splitSeed: hashString('haq-bench/split'), seed: hashString('haq-bench/base') }, { progress: () => undefined });
  const test = trained.data.test!;
  const testAccuracy = modelAccuracy(trained.model, test, Int32Array.from({ length: test.count }, (_, i) => i), UNIT_SCALE);
  const modelDir = join(dir, 'model');
  await saveLayersModel(trained.model, modelDir);
  trained.model.dispose();
  const unseen = writeSubset(dir, trained.data.train, trained.splits.validation);
  const base: Base = { modelDir, testAccuracy, dataset: { type: 'idx', ...unseen, testImages: files.testImages, testLabels: files.testLabels } };
  writeFileSync(record, JSON.stringify(base, null, 2));
  log(`base network trained in ${((performance.now() - started) / 60000).toFixed(1)} min (${epochs} epochs on ${BASE_TRAIN} images)`);
  return base;
}

const service = new RunService(join(root, 'runs'));

/**
 * One quantization run through the run kind, as the CLI creates it; its summary once finished.
 * Runs live in runs/NAME: a finished one is read back, an interrupted one resumes (the run kind
 * never repeats a journaled episode), so several invocations can share a root.
 */
async function quantize(name: string, spec: object): Promise<QuantizationRunSummary> {
  const dir = join(root, 'runs', name);
  let location;
  if (existsSync(join(dir, 'spec.json'))) location = service.find(dir);
  else {
    const specDir = join(root, 'specs');
    mkdirSync(specDir, { recursive: true });
    const text = JSON.stringify({ name, ...spec }, null, 2);
    writeFileSync(join(specDir, `${name}.quantize.json`), text);
    ({ location } = await service.create({ kind: runKind('quantization')!, text, baseDir: root, label: 'bench/haq.ts' }, dir));
  }
  const started = performance.now();
  if (service.summary(location).status !== 'finished') {
    const outcome = await service.execute(location, {
      signal: new AbortController().signal,
      backend: 'auto',
      events: { started: () => undefined, progress: () => undefined, finished: () => undefined, log: () => undefined },
    });
    if (outcome.status !== 'finished') throw new Error(`${name}: ${outcome.status} ${outcome.error ?? ''}`);
  }
  const summary = service.summary(location) as QuantizationRunSummary;
  if (!summary.result || summary.result.testAccuracy === undefined) throw new Error(`${name}: the finished run reports no test accuracy`);
  log(`  ${name}: test ${pct(summary.result.testAccuracy)}, ${summary.result.sizeBits} weight bits, ${((performance.now() - started) / 60000).toFixed(1)} min`);
  return summary;
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const std = (values: readonly number[]) => Math.sqrt(mean(values.map((v) => (v - mean(values)) ** 2)));
const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const meanStd = (values: readonly number[]) => `${pct(mean(values))} ± ${(std(values) * 100).toFixed(2)}`;

type Method = 'uniform' | 'random' | 'haq';
const METHODS: readonly Method[] = ['uniform', 'random', 'haq'];

/** Test accuracies, weight bits, packed bytes and BitOps of one method's runs, one per seed. */
interface Outcomes {
  accuracy: number[];
  sizeBits: number[];
  packedBytes: number[];
  bitOps: number[];
}

interface Cell {
  readonly budget: BudgetName;
  readonly quantizer: 'linear' | 'kmeans';
  readonly target: number;
  readonly unit: string;
  readonly floatBytes: number;
  /** The float model on the runs' test images. */
  readonly originalTest: number;
  readonly methods: Record<Method, Outcomes>;
}

function uniformBits(budget: BudgetName, quantizer: 'linear' | 'kmeans'): object {
  const { bits, activationBits } = BUDGETS[budget];
  return { bits: { min: bits, max: bits }, ...(quantizer === 'linear' ? { activationBits: { min: activationBits, max: activationBits } } : {}) };
}

/** Uniform, random and HAQ runs of one budget and quantizer, over the seeds. */
async function cell(base: Base, budget: BudgetName, quantizer: 'linear' | 'kmeans', finetuned: boolean): Promise<Cell> {
  const methods = Object.fromEntries(METHODS.map((m) => [m, { accuracy: [], sizeBits: [], packedBytes: [], bitOps: [] }])) as unknown as Record<Method, Outcomes>;
  const common = {
    model: { type: 'folder', dir: base.modelDir },
    dataset: base.dataset,
    quantizer,
    budget: BUDGETS[budget].text,
    heldOutSamples: heldOut,
    calibrationSamples: calibration,
    testSamples,
    ...(finetuned ? { finetune: { samples: finetuneSamples } } : {}),
  };
  let last: QuantizationRunSummary | undefined;
  for (let seed = 0; seed < seeds; seed++) {
    const specs: Record<Method, object> = {
      // The budget's own widths are the only choice: every layer the agent would choose gets them.
      uniform: { ...common, ...uniformBits(budget, quantizer), search: 'random', episodes: 1, warmup: 0, seed },
      random: { ...common, search: 'random', episodes, warmup, seed },
      haq: { ...common, search: 'ddpg', episodes, warmup, seed },
    };
    for (const method of METHODS) {
      const summary = await quantize(`${budget}-${quantizer}-${method}${finetuned ? '-ft' : ''}-seed${seed}`, specs[method]);
      const r = summary.result!;
      methods[method].accuracy.push(r.testAccuracy!);
      methods[method].sizeBits.push(r.sizeBits);
      methods[method].packedBytes.push(r.packedBytes);
      methods[method].bitOps.push(r.bitOps);
      last = summary;
    }
  }
  return { budget, quantizer, target: last!.budget.target!, unit: last!.budget.unit!, floatBytes: last!.result!.floatBytes, originalTest: last!.result!.originalTestAccuracy!, methods };
}

function table(cells: readonly Cell[]): void {
  log('| budget | quantizer | method | test accuracy (mean ± std) | per seed | weight bits | packed bytes | compression vs float32 | BitOps |');
  log('|---|---|---|---|---|---|---|---|---|');
  for (const c of cells) {
    for (const m of METHODS) {
      const o = c.methods[m];
      const budget = `${c.budget} (${c.target.toPrecision(6)} ${c.unit})`;
      log(`| ${budget} | ${c.quantizer} | ${m} | ${meanStd(o.accuracy)} | ${o.accuracy.map(pct).join(', ')} | ${Math.round(mean(o.sizeBits))} | ${Math.round(mean(o.packedBytes))} | ${(c.floatBytes / mean(o.packedBytes)).toFixed(2)}x | ${Math.round(mean(o.bitOps))} |`);
    }
  }
}

/** The JSON's budgets: the linear quantizer's cells (k-means when linear is not run). */
function reported(cells: readonly Cell[]) {
  const quantizer = quantizers.includes('linear') ? 'linear' : 'kmeans';
  return cells
    .filter((c) => c.quantizer === quantizer)
    .map((c) => ({
      name: c.budget,
      uniform: mean(c.methods.uniform.accuracy),
      random: mean(c.methods.random.accuracy),
      haq: mean(c.methods.haq.accuracy),
      haq_size_bits: mean(c.methods.haq.sizeBits),
      budget_bits: c.target,
    }));
}

async function main(): Promise<void> {
  log(`runs and specs in ${root}`);
  const base = await baseNetwork();
  log(`base network (${filters.join('/')} filters) test accuracy ${pct(base.testAccuracy)} on 10,000 test images`);
  if (base.testAccuracy < REQUIRED_TEST_ACCURACY) throw new Error(`the base network reaches ${pct(base.testAccuracy)} test accuracy, below the protocol's 90%`);
  log(`${seeds} seeds; ${episodes} episodes (${warmup} warm-up) for HAQ and for random; ${heldOut} held-out, ${calibration} calibration, ${testSamples} test images; fine-tune: ${finetuneSamples} images, 1 epoch`);
  const result: Record<string, unknown> = {};
  for (const finetuned of finetuneChoices) {
    log(`\n## ${finetuned ? 'With' : 'Without'} fine-tuning`);
    const cells: Cell[] = [];
    for (const budget of budgetNames) for (const quantizer of quantizers) cells.push(await cell(base, budget, quantizer, finetuned));
    log('');
    table(cells);
    // The float model on the same test images as the quantized ones (the first testSamples).
    const original = cells[0].originalTest;
    log(`\nfloat model: ${pct(original)} on the runs' ${testSamples} test images`);
    if (finetuned) result.finetuned = { original, budgets: reported(cells) };
    else Object.assign(result, { original, budgets: reported(cells) });
  }
  if (json) console.log(JSON.stringify(result));
}

main().catch((e: unknown) => {
  console.error(errorMessage(e));
  process.exit(1);
});
