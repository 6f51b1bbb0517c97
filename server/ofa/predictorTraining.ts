import { readFile } from 'node:fs/promises';
import type { Genome } from '../core/searchSpace';
import { Rng } from '../core/rng';
import { DataError, NasError, SpecError, errorMessage, throwIfAborted } from '../core/errors';
import type { OfaMbv3Space } from '../spaces/ofa/ofaMbv3Space';
import { type DenseLayer, type ForwardTrace, Mlp } from './mlp';
import { kendall, spearman } from './rankCorrelation';

export interface TrainingSample {
  readonly genome: Genome;
  /** Measured accuracy, as a fraction like OFA's predictor (the trained one outputs the same unit). */
  readonly accuracy: number;
}

export interface PredictorTrainingOptions {
  /** Hidden layer widths (OFA's predictor: 400, 400, 400). */
  readonly hidden?: readonly number[];
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly learningRate?: number;
  /** Fraction of the samples held out to measure rank correlation. */
  readonly heldOutFraction?: number;
  readonly seed?: number;
  readonly signal?: AbortSignal;
  progress?(fraction: number, trainLoss: number): void;
}

export interface RankQuality {
  readonly count: number;
  readonly spearman: number;
  readonly kendall: number;
  readonly rmse: number;
}

export interface PredictorTrainingResult {
  readonly mlp: Mlp;
  readonly trainCount: number;
  readonly train: { readonly rmse: number };
  /** Rank correlation of predictions with the held-out accuracies. */
  readonly heldOut: RankQuality;
}

const DEFAULTS = { hidden: [400, 400, 400], epochs: 100, batchSize: 64, learningRate: 1e-3, heldOutFraction: 0.2, seed: 0 };
const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;
const ADAM_EPSILON = 1e-8;

/**
 * Trains an MLP accuracy predictor on (architecture, accuracy) pairs with OFA's input encoding,
 * mean-squared error and Adam; deterministic for a seed. The result saves to the same JSON format
 * as OFA's released predictor (`savePredictor`) and plugs into the specialization search.
 */
export async function trainPredictor(space: OfaMbv3Space, samples: readonly TrainingSample[], options: PredictorTrainingOptions = {}): Promise<PredictorTrainingResult> {
  const o = { ...DEFAULTS, ...options };
  if (!(o.heldOutFraction > 0 && o.heldOutFraction < 1)) throw new SpecError('heldOutFraction must be between 0 and 1', ['heldOutFraction']);
  const heldOutCount = Math.max(2, Math.round(samples.length * o.heldOutFraction));
  if (samples.length - heldOutCount < 2) throw new NasError('invalid-request', `need at least ${heldOutCount + 2} samples to train and hold out ${heldOutCount}; got ${samples.length}`);

  const rng = new Rng(o.seed);
  const order = rng.shuffle(samples.map((_, i) => i));
  const heldOut = order.slice(0, heldOutCount);
  const train = order.slice(heldOutCount);
  const features = samples.map((s) => space.encode(s.genome));
  const initRng = rng.fork('init');
  const mlp = Mlp.random([features[0].length, ...o.hidden, 1], () => initRng.next());
  // Start the output at the mean accuracy so training fits differences, not the offset.
  mlp.layers[mlp.layers.length - 1].bias[0] = train.reduce((sum, i) => sum + samples[i].accuracy, 0) / train.length;

  const gradients = mlp.zerosLike();
  const firstMoments = mlp.zerosLike();
  const secondMoments = mlp.zerosLike();
  const trace: ForwardTrace = [];
  let step = 0;
  let trainLoss = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    throwIfAborted(o.signal);
    await new Promise<void>((resolve) => setImmediate(resolve));
    rng.shuffle(train);
    let squared = 0;
    for (let start = 0; start < train.length; start += o.batchSize) {
      const batch = train.slice(start, start + o.batchSize);
      for (const g of gradients) {
        g.weight.fill(0);
        g.bias.fill(0);
      }
      for (const i of batch) {
        const error = mlp.predictOne(features[i], trace) - samples[i].accuracy;
        squared += error * error;
        mlp.backward(trace, (2 * error) / batch.length, gradients);
      }
      step++;
      adamStep(mlp.layers, gradients, firstMoments, secondMoments, o.learningRate, step);
    }
    trainLoss = squared / train.length;
    o.progress?.((epoch + 1) / o.epochs, trainLoss);
  }
  return { mlp, trainCount: train.length, train: { rmse: Math.sqrt(trainLoss) }, heldOut: rankQuality(mlp, heldOut.map((i) => features[i]), heldOut.map((i) => samples[i].accuracy)) };
}

/** How well a predictor orders architectures: Spearman, Kendall tau-b and RMSE against measured accuracies. */
export function rankQuality(mlp: Mlp, features: readonly Float32Array[], accuracies: readonly number[]): RankQuality {
  const predicted = features.map((f) => mlp.predictOne(f));
  const rmse = Math.sqrt(predicted.reduce((sum, p, i) => sum + (p - accuracies[i]) ** 2, 0) / predicted.length);
  return { count: predicted.length, spearman: spearman(predicted, accuracies), kendall: kendall(predicted, accuracies), rmse };
}

function adamStep(params: readonly DenseLayer[], gradients: readonly DenseLayer[], m: readonly DenseLayer[], v: readonly DenseLayer[], rate: number, step: number): void {
  const correction1 = 1 - ADAM_BETA1 ** step;
  const correction2 = 1 - ADAM_BETA2 ** step;
  const update = (p: Float64Array, g: Float64Array, mm: Float64Array, vv: Float64Array) => {
    for (let k = 0; k < p.length; k++) {
      mm[k] = ADAM_BETA1 * mm[k] + (1 - ADAM_BETA1) * g[k];
      vv[k] = ADAM_BETA2 * vv[k] + (1 - ADAM_BETA2) * g[k] * g[k];
      p[k] -= (rate * (mm[k] / correction1)) / (Math.sqrt(vv[k] / correction2) + ADAM_EPSILON);
    }
  };
  params.forEach((layer, l) => {
    update(layer.weight, gradients[l].weight, m[l].weight, v[l].weight);
    update(layer.bias, gradients[l].bias, m[l].bias, v[l].bias);
  });
}

/**
 * Reads training samples: a JSON array (or JSON lines) of `{ks, e, d, r, accuracy}` or
 * `{arch: {ks, e, d, r}, accuracy}`. Problems are DataErrors naming the file and the sample.
 */
export async function loadTrainingSamples(file: string, space: OfaMbv3Space): Promise<TrainingSample[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new DataError(`cannot read training samples: ${errorMessage(error)}`, file);
  }
  let records: unknown[];
  try {
    const trimmed = text.trim();
    records = trimmed.startsWith('[') ? (JSON.parse(trimmed) as unknown[]) : trimmed.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown);
  } catch (error) {
    throw new DataError(`training samples are not valid JSON: ${errorMessage(error)}`, file);
  }
  return records.map((record, i) => {
    const r = (record ?? {}) as { arch?: unknown; accuracy?: unknown };
    if (typeof r.accuracy !== 'number' || !Number.isFinite(r.accuracy)) throw new DataError(`sample ${i} has no numeric "accuracy"`, file);
    try {
      return { genome: space.fromArch(r.arch ?? record), accuracy: r.accuracy };
    } catch (error) {
      throw new DataError(`sample ${i}: ${errorMessage(error)}`, file);
    }
  });
}
