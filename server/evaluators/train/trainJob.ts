import * as tf from '@tensorflow/tfjs';
import type { Metrics } from '../../../contract/metrics';
import { Rng } from '../../core/rng';
import { gather } from '../../data/batchAssembly';
import type { ImageDataset } from '../../data/imageDataset';
import { prepareDataset } from './trainData';
import type { LoadedDataset } from '../../data/datasetSpec';
import { initBackend } from '../../runtime/backend';
import type { LayerStackArch } from '../../spaces/layers/layerSpec';
import { layersGraph } from '../../graphs/layersGraph';
import { buildLayerStackModel } from './buildModel';
import { measureLatency } from '../measureLatency';
import type { ResolvedTrainOptions } from './trainOptions';

/** Everything a worker needs to train and measure one architecture. */
export interface TrainJob {
  readonly arch: LayerStackArch;
  readonly options: ResolvedTrainOptions;
  readonly baseDir: string;
  /** Fixes the train/validation split: the same for every trial of an experiment. */
  readonly splitSeed: number;
  /** Weight initialization and batch order of this trial. */
  readonly seed: number;
}

export interface TrainHooks {
  progress(fraction: number, message: string): void;
}

function oneHotLabels(y: Int32Array, classes: number): tf.Tensor2D {
  return tf.tidy(() => tf.oneHot(tf.tensor1d(y, 'int32'), classes).toFloat() as tf.Tensor2D);
}

/** A layer stack trained as a trial trains it, with what measuring it needs. */
export interface TrainedLayerStack {
  /** The caller disposes it. */
  readonly model: tf.Sequential;
  readonly data: LoadedDataset;
  readonly classes: number;
  /** The trial's validation examples (held out from training). */
  readonly valIdx: number[];
  /** Mean training loss of the last epoch. */
  readonly trainLoss: number;
  readonly trainSeconds: number;
}

/**
 * Trains one layer-stack architecture on the job's split with its seed (Adam, the options'
 * schedule): the same training whichever caller asks (a search's trial, a quantization run
 * retraining that trial).
 */
export async function trainLayerStack(job: TrainJob, hooks: TrainHooks): Promise<TrainedLayerStack> {
  const { options } = job;
  await initBackend(options.backend);
  const data = prepareDataset(job);
  const [h, w, c] = data.train.shape;
  const classes = (job.arch.layers[job.arch.layers.length - 1] as { units: number }).units;
  const order = new Rng(job.splitSeed).shuffle(Array.from({ length: data.train.count }, (_, i) => i));
  const trainIdx = order.slice(0, options.trainSamples);
  const valIdx = order.slice(options.trainSamples, options.trainSamples + options.validationSamples);

  const model = buildLayerStackModel(job.arch, job.seed);
  model.compile({ optimizer: tf.train.adam(options.learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const rng = new Rng(job.seed);
  const batches = Math.ceil(trainIdx.length / options.batchSize);
  const started = performance.now();
  let lossSum = 0;
  let lossCount = 0;
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      rng.shuffle(trainIdx);
      for (let b = 0; b < batches; b++) {
        const { x, y } = gather(data.train, trainIdx.slice(b * options.batchSize, (b + 1) * options.batchSize));
        const xs = tf.tensor4d(x, [y.length, h, w, c]);
        const ys = oneHotLabels(y, classes);
        const loss = (await model.trainOnBatch(xs, ys)) as number[];
        tf.dispose([xs, ys]);
        if (epoch === options.epochs - 1) {
          lossSum += loss[0];
          lossCount++;
        }
        const done = (epoch * batches + b + 1) / (options.epochs * batches);
        if (b % 10 === 0 || b === batches - 1) hooks.progress(done * 0.9, `epoch ${epoch + 1}/${options.epochs} loss ${loss[0].toFixed(3)}`);
      }
    }
    return { model, data, classes, valIdx, trainLoss: lossSum / Math.max(1, lossCount), trainSeconds: (performance.now() - started) / 1000 };
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/** Trains one layer-stack architecture and measures accuracy, cost and batch-1 latency. */
export async function runTrainJob(job: TrainJob, hooks: TrainHooks): Promise<Metrics> {
  const { options } = job;
  const { model, data, classes, valIdx, trainLoss, trainSeconds } = await trainLayerStack(job, hooks);
  const [h, w, c] = data.train.shape;
  try {
    hooks.progress(0.92, 'validating');
    const val = evaluateOn(model, data.train, valIdx, classes);
    const test =
      data.test && options.testSamples > 0
        ? evaluateOn(model, data.test, Array.from({ length: Math.min(options.testSamples, data.test.count) }, (_, i) => i), classes)
        : undefined;
    hooks.progress(0.96, 'measuring latency');
    const latency = await measureLatency(model, [h, w, c], options.latencyRepeats);
    const metrics: Metrics = {
      val_accuracy: val.accuracy,
      val_loss: val.loss,
      train_loss: trainLoss,
      params: model.countParams(),
      flops: layersGraph(job.arch).totals.flops ?? Number.NaN,
      latency_ms: latency,
      train_seconds: trainSeconds,
    };
    if (test) metrics.test_accuracy = test.accuracy;
    return metrics;
  } finally {
    model.dispose();
  }
}

function evaluateOn(model: tf.LayersModel, dataset: ImageDataset, indices: number[], classes: number): { accuracy: number; loss: number } {
  const [h, w, c] = dataset.shape;
  let correct = 0;
  let lossSum = 0;
  const chunk = 500;
  for (let start = 0; start < indices.length; start += chunk) {
    const { x, y } = gather(dataset, indices.slice(start, start + chunk));
    const [batchCorrect, batchLoss] = tf.tidy(() => {
      const probs = model.predict(tf.tensor4d(x, [y.length, h, w, c])) as tf.Tensor2D;
      const labels = tf.tensor1d(y, 'int32');
      const hits = probs.argMax(1).equal(labels).sum();
      // Cross-entropy of the softmax outputs, summed over the chunk.
      const loss = tf.oneHot(labels, classes).mul(probs.clipByValue(1e-7, 1).log()).sum().neg();
      return [hits.dataSync()[0], loss.dataSync()[0]];
    });
    correct += batchCorrect;
    lossSum += batchLoss;
  }
  return { accuracy: correct / indices.length, loss: lossSum / indices.length };
}
