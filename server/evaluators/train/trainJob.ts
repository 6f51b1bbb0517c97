import * as tf from '@tensorflow/tfjs';
import type { Metrics } from '../../../contract/metrics';
import type { EpochPoint } from '../../../contract/trialCurve';
import { Rng } from '../../core/rng';
import { gather } from '../../data/batchAssembly';
import type { ImageDataset } from '../../data/imageDataset';
import { prepareDataset } from './trainData';
import type { LoadedDataset } from '../../data/datasetSpec';
import { initBackend } from '../../runtime/backend';
import { archToGraph } from '../../graphs/archToGraph';
import { saveLayersModel } from '../../supernet/tfjsModelFiles';
import { archClasses, batchTrainer, deployedModel, type TrainableArch } from './buildModel';
import { measureLatency } from '../measureLatency';
import type { ResolvedTrainOptions } from './trainOptions';

/** Everything a worker needs to train and measure one architecture. */
export interface TrainJob {
  readonly arch: TrainableArch;
  readonly options: ResolvedTrainOptions;
  readonly baseDir: string;
  /** Fixes the train/validation split: the same for every trial of an experiment. */
  readonly splitSeed: number;
  /** Weight initialization and batch order of this trial. */
  readonly seed: number;
  /** Where to keep the trained model as deployed (TF.js Layers files), if anywhere. */
  readonly modelDir?: string;
  /** Resize the images (bilinear) to the architecture's input, when its resolution is not the dataset's (compound scaling). */
  readonly resizeImages?: boolean;
}

/** Which examples a job trains, validates and tests on: the same for every job of a run (fixed by `splitSeed`). */
export interface SplitIndices {
  readonly train: number[];
  readonly validation: number[];
  readonly test: number[];
}

export function splitIndices(job: Pick<TrainJob, 'options' | 'splitSeed'>, trainCount: number, testCount: number): SplitIndices {
  const { options } = job;
  const order = new Rng(job.splitSeed).shuffle(Array.from({ length: trainCount }, (_, i) => i));
  return {
    train: order.slice(0, options.trainSamples),
    validation: order.slice(options.trainSamples, options.trainSamples + options.validationSamples),
    test: Array.from({ length: Math.min(options.testSamples, testCount) }, (_, i) => i),
  };
}

/** Images of a dataset as the job's network takes them: resized to its input when the job asks for it. */
export function networkInput(job: Pick<TrainJob, 'arch' | 'resizeImages'>, x: Float32Array, count: number, dataset: ImageDataset): tf.Tensor4D {
  const [h, w, c] = dataset.shape;
  const [height, width] = job.arch.input;
  return tf.tidy(() => {
    const images = tf.tensor4d(x, [count, h, w, c]);
    return job.resizeImages && (height !== h || width !== w) ? tf.image.resizeBilinear(images, [height, width], false, true) : images;
  });
}

export interface TrainHooks {
  progress(fraction: number, message: string): void;
  /** After each epoch: its mean training loss and accuracy (the trial's learning curve). */
  epoch?(point: EpochPoint): void;
}

/** A model trained as a trial trains it, with what measuring it needs. */
export interface TrainedModel {
  /** The caller disposes it. */
  readonly model: tf.LayersModel;
  readonly data: LoadedDataset;
  readonly classes: number;
  readonly splits: SplitIndices;
  /** Mean training loss of the last epoch. */
  readonly trainLoss: number;
  readonly trainSeconds: number;
}

/**
 * Trains one architecture from scratch on the job's split with its seed (Adam, the options'
 * schedule): the same training whichever caller asks (a search's trial, a quantization run
 * retraining that trial).
 */
export async function trainModel(job: TrainJob, hooks: TrainHooks): Promise<TrainedModel> {
  const { options } = job;
  await initBackend(options.backend);
  const data = prepareDataset(job);
  const classes = archClasses(job.arch) ?? data.train.classes;
  const splits = splitIndices(job, data.train.count, data.test?.count ?? 0);
  const trainIdx = [...splits.train];

  const trainer = batchTrainer(job.arch, job.seed, options.learningRate, classes);
  const rng = new Rng(job.seed);
  const batches = Math.ceil(trainIdx.length / options.batchSize);
  const started = performance.now();
  let lossSum = 0;
  let lossCount = 0;
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      rng.shuffle(trainIdx);
      let epochLoss = 0;
      let epochAccuracy = 0;
      for (let b = 0; b < batches; b++) {
        const { x, y } = gather(data.train, trainIdx.slice(b * options.batchSize, (b + 1) * options.batchSize));
        const xs = networkInput(job, x, y.length, data.train);
        let step;
        try {
          step = await trainer.step(xs, y);
        } finally {
          xs.dispose();
        }
        epochLoss += step.loss;
        epochAccuracy += step.accuracy;
        if (epoch === options.epochs - 1) {
          lossSum += step.loss;
          lossCount++;
        }
        const done = (epoch * batches + b + 1) / (options.epochs * batches);
        if (b % 10 === 0 || b === batches - 1) hooks.progress(done * 0.9, `epoch ${epoch + 1}/${options.epochs} loss ${step.loss.toFixed(3)}`);
      }
      if (batches > 0) hooks.epoch?.({ epoch: epoch + 1, loss: epochLoss / batches, accuracy: epochAccuracy / batches });
    }
  } catch (e) {
    trainer.dispose();
    throw e;
  }
  const trainSeconds = (performance.now() - started) / 1000;
  return { model: trainer.finish(), data, classes, splits, trainLoss: lossSum / Math.max(1, lossCount), trainSeconds };
}

/** Trains one architecture from scratch and measures accuracy, cost and batch-1 latency. */
export async function runTrainJob(job: TrainJob, hooks: TrainHooks): Promise<Metrics> {
  const { options } = job;
  // The last epoch's point waits for the validation accuracy measured after it.
  let last: EpochPoint | undefined;
  const { model, data, classes, splits, trainLoss, trainSeconds } = await trainModel(job, {
    progress: hooks.progress,
    epoch: (point) => {
      if (point.epoch < options.epochs) hooks.epoch?.(point);
      else last = point;
    },
  });
  try {
    hooks.progress(0.92, 'validating');
    const val = evaluateOn(job, model, data.train, splits.validation, classes);
    if (last) hooks.epoch?.({ ...last, valAccuracy: val.accuracy });
    const test = data.test && splits.test.length > 0 ? evaluateOn(job, model, data.test, splits.test, classes) : undefined;
    hooks.progress(0.96, 'measuring latency');
    const deployed = deployedModel(job.arch, model);
    const latency = measureLatency(deployed, [job.arch.input[0], job.arch.input[1], job.arch.input[2]], options.latencyRepeats);
    const metrics: Metrics = {
      val_accuracy: val.accuracy,
      val_loss: val.loss,
      train_loss: trainLoss,
      params: deployed.countParams(),
      flops: archToGraph(job.arch).totals.flops ?? Number.NaN,
      latency_ms: latency,
      train_seconds: trainSeconds,
    };
    if (test) metrics.test_accuracy = test.accuracy;
    if (job.modelDir) await saveLayersModel(deployed, job.modelDir);
    if (deployed !== model) deployed.dispose();
    return metrics;
  } finally {
    model.dispose();
  }
}

function evaluateOn(job: TrainJob, model: tf.LayersModel, dataset: ImageDataset, indices: number[], classes: number): { accuracy: number; loss: number } {
  let correct = 0;
  let lossSum = 0;
  const chunk = 500;
  for (let start = 0; start < indices.length; start += chunk) {
    const { x, y } = gather(dataset, indices.slice(start, start + chunk));
    const [batchCorrect, batchLoss] = tf.tidy(() => {
      const probs = model.predict(networkInput(job, x, y.length, dataset)) as tf.Tensor2D;
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
