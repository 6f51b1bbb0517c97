/**
 * The short fine-tune HAQ can run before scoring a policy (`_finetune`, `_kmeans_finetune` in
 * mit-han-lab/haq lib/env): SGD with momentum 0.9 through the simulated quantization. Linear
 * layers keep float shadow weights that take the updates (straight-through: the gradient at the
 * quantized weights) and are re-quantized on their grid after every step; k-means layers keep
 * their labels and each centroid moves to the mean of its cluster's updated weights.
 */
import * as tf from '@tensorflow/tfjs';
import { CancelledError } from '../core/errors';
import type { Rng } from '../core/rng';
import type { Normalization } from '../data/batchAssembly';
import type { ImageDataset } from '../data/imageDataset';
import { dequantize, linearLevels, type LayerQuantization } from './layerQuantization';
import { batchTensors } from './modelAccuracy';
import type { QuantizationSimulator } from './quantizationSimulator';

export interface FinetuneOptions {
  /** Training examples per epoch (drawn once from the training pool). */
  readonly samples: number;
  readonly epochs: number;
  readonly learningRate: number;
  readonly batchSize: number;
}

/** The reference's fine-tuning settings (rl_quantize.py: --finetune_lr 0.001, --finetune_epoch 1; momentum 0.9). */
export const FINETUNE_DEFAULTS = { epochs: 1, learningRate: 0.001, batchSize: 128 } as const;

export interface TrainingPool {
  readonly dataset: ImageDataset;
  readonly indices: Int32Array;
  readonly normalization: Normalization;
}

/** Whether the model ends in a softmax (probabilities) rather than logits. */
function outputsProbabilities(model: tf.LayersModel): boolean {
  const last = model.layers[model.layers.length - 1];
  return (last.getConfig() as { activation?: string }).activation === 'softmax';
}

/** After an SGD step: each layer's weights back onto its quantization. */
function requantize(simulator: QuantizationSimulator, shadows: (Float32Array | undefined)[]): void {
  simulator.current.forEach((q, i) => {
    const now = simulator.kernelNow(i);
    let next: LayerQuantization;
    if (q.kind === 'linear') {
      const before = dequantize(q);
      const shadow = (shadows[i] ??= Float32Array.from(simulator.floatKernel(i)));
      for (let j = 0; j < shadow.length; j++) shadow[j] += now[j] - before[j];
      next = { ...q, levels: linearLevels(shadow, q.grid) };
    } else {
      const { labels } = q.codebook;
      const sums = new Float64Array(q.codebook.centroids.length);
      const counts = new Float64Array(q.codebook.centroids.length);
      for (let j = 0; j < labels.length; j++) {
        sums[labels[j]] += now[j];
        counts[labels[j]]++;
      }
      const centroids = Float32Array.from(q.codebook.centroids, (c, k) => (counts[k] > 0 ? sums[k] / counts[k] : c));
      next = { ...q, codebook: { centroids, labels } };
    }
    simulator.setKernel(i, next);
  });
}

/** Fine-tunes the simulator's model under its applied policy, in place. */
export async function finetune(simulator: QuantizationSimulator, pool: TrainingPool, options: FinetuneOptions, classes: number, rng: Rng, signal?: AbortSignal): Promise<void> {
  const { model } = simulator;
  const probabilities = outputsProbabilities(model);
  model.compile({
    optimizer: tf.train.momentum(options.learningRate, 0.9),
    loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => (probabilities ? tf.metrics.categoricalCrossentropy(yTrue, yPred).mean() : tf.losses.softmaxCrossEntropy(yTrue, yPred)),
  });
  const examples = Int32Array.from(rng.sampleIndices(pool.indices.length, options.samples), (i) => pool.indices[i]);
  const shadows: (Float32Array | undefined)[] = [];
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const order = rng.shuffle(Array.from(examples));
    for (let start = 0; start < order.length; start += options.batchSize) {
      if (signal?.aborted) throw new CancelledError();
      const { x, y } = batchTensors(pool.dataset, order.slice(start, start + options.batchSize), pool.normalization);
      const labels = tf.oneHot(y, classes).toFloat();
      await model.trainOnBatch(x, labels);
      tf.dispose([x, y, labels]);
      requantize(simulator, shadows);
    }
  }
}
