import * as tf from '@tensorflow/tfjs';
import type { Metrics } from '../../../contract/metrics';
import { Rng } from '../../core/rng';
import { gather } from '../../data/batchAssembly';
import type { ImageDataset } from '../../data/imageDataset';
import { prepareDataset } from './trainData';
import { initBackend } from '../../runtime/backend';
import { archToGraph } from '../../graphs/archToGraph';
import { saveLayersModel } from '../../supernet/tfjsModelFiles';
import { archClasses, buildTrainableModel, deployedModel, type TrainableArch } from './buildModel';
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
}

export interface TrainHooks {
  progress(fraction: number, message: string): void;
}

function oneHotLabels(y: Int32Array, classes: number): tf.Tensor2D {
  return tf.tidy(() => tf.oneHot(tf.tensor1d(y, 'int32'), classes).toFloat() as tf.Tensor2D);
}

/** Trains one architecture from scratch and measures accuracy, cost and batch-1 latency. */
export async function runTrainJob(job: TrainJob, hooks: TrainHooks): Promise<Metrics> {
  const { options } = job;
  await initBackend(options.backend);
  const data = prepareDataset(job);
  const [h, w, c] = data.train.shape;
  const classes = archClasses(job.arch) ?? data.train.classes;
  const order = new Rng(job.splitSeed).shuffle(Array.from({ length: data.train.count }, (_, i) => i));
  const trainIdx = order.slice(0, options.trainSamples);
  const valIdx = order.slice(options.trainSamples, options.trainSamples + options.validationSamples);

  const model = buildTrainableModel(job.arch, job.seed);
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
    const trainSeconds = (performance.now() - started) / 1000;
    hooks.progress(0.92, 'validating');
    const val = evaluateOn(model, data.train, valIdx, classes);
    const test =
      data.test && options.testSamples > 0
        ? evaluateOn(model, data.test, Array.from({ length: Math.min(options.testSamples, data.test.count) }, (_, i) => i), classes)
        : undefined;
    hooks.progress(0.96, 'measuring latency');
    const deployed = deployedModel(job.arch, model);
    const latency = await measureLatency(deployed, [h, w, c], options.latencyRepeats);
    const metrics: Metrics = {
      val_accuracy: val.accuracy,
      val_loss: val.loss,
      train_loss: lossSum / Math.max(1, lossCount),
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
