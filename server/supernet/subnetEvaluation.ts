import * as tf from '@tensorflow/tfjs';
import { assembleBatch, RAW_BYTES, type Normalization, type SampleTransforms } from '../data/batchAssembly';
import type { ImageDataset } from '../data/imageDataset';
import { FusedInference } from '../inference/fusedInference';
import { OnnxInference } from '../inference/onnxInference';
import { BnCalibration } from './bnCalibration';
import type { SubnetArch } from './ofaSmallConfig';
import type { OfaSupernet } from './ofaSupernet';

/** Examples per forward pass when calibrating and evaluating (OFA calibrates on batches of 200). */
const EVALUATION_BATCH = 200;

/** Examples `indices` as an NHWC image tensor and int32 labels (optionally augmented, see assembleBatch). */
export function batchTensors(
  dataset: ImageDataset,
  indices: ArrayLike<number>,
  normalization: Normalization,
  transforms?: SampleTransforms,
  transformOffset = 0,
): { images: tf.Tensor4D; labels: tf.Tensor1D } {
  const { x, y } = assembleBatch(dataset, indices, normalization, transforms, transformOffset);
  return { images: tf.tensor4d(x, [y.length, ...dataset.shape]), labels: tf.tensor1d(y, 'int32') };
}

/** Activates `subnet` and sets its batch norms' running statistics from the calibration examples. */
export function calibrateSubnet(model: OfaSupernet, subnet: SubnetArch, dataset: ImageDataset, normalization: Normalization, calibration: Int32Array): void {
  model.setActive(subnet);
  const statistics = new BnCalibration();
  for (let start = 0; start < calibration.length; start += EVALUATION_BATCH) {
    tf.tidy(() => {
      model.apply(batchTensors(dataset, calibration.subarray(start, start + EVALUATION_BATCH), normalization).images, { training: false, calibration: statistics });
    });
  }
  statistics.commit();
}

export interface SubnetScore {
  readonly correct: number;
  /** Summed cross-entropy. */
  readonly loss: number;
  readonly count: number;
}

/** Accuracy and loss of `forward` on examples `indices`, assembled with `normalization`. */
function score(forward: (images: tf.Tensor4D) => tf.Tensor, classes: number, dataset: ImageDataset, normalization: Normalization, indices: Int32Array): SubnetScore {
  let correct = 0;
  let loss = 0;
  for (let start = 0; start < indices.length; start += EVALUATION_BATCH) {
    tf.tidy(() => {
      const { images, labels } = batchTensors(dataset, indices.subarray(start, start + EVALUATION_BATCH), normalization);
      const logits = forward(images);
      correct += tf.sum(tf.equal(tf.argMax(logits, 1), labels)).dataSync()[0];
      loss += tf.losses.softmaxCrossEntropy(tf.oneHot(labels, classes), logits, undefined, undefined, tf.Reduction.SUM).dataSync()[0];
    });
  }
  return { correct, loss, count: indices.length };
}

/**
 * A compiled sub-network (extractSubnet, then FusedInference: it normalizes and resizes raw
 * images itself) on examples `indices`: what sub-network evaluation runs, with batch norms folded.
 */
export function scoreCompiled(model: { predict(x: tf.Tensor): tf.Tensor }, classes: number, dataset: ImageDataset, indices: Int32Array): SubnetScore {
  return score((images) => model.predict(images), classes, dataset, RAW_BYTES, indices);
}

/** Correct predictions (first largest logit, as argMax) and summed softmax cross-entropy of `classes`-wide logit rows. */
export function scoreLogits(logits: Float32Array, labels: Int32Array, classes: number): { correct: number; loss: number } {
  let correct = 0;
  let loss = 0;
  for (let n = 0; n < labels.length; n++) {
    const row = logits.subarray(n * classes, (n + 1) * classes);
    let best = 0;
    for (let k = 1; k < classes; k++) if (row[k] > row[best]) best = k;
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += Math.exp(row[k] - row[best]);
    if (best === labels[n]) correct++;
    loss += Math.log(sum) + row[best] - row[labels[n]];
  }
  return { correct, loss };
}

/** The same score as `scoreCompiled`, with the extracted model in ONNX Runtime. */
export async function scoreOnnx(model: OnnxInference, classes: number, dataset: ImageDataset, indices: Int32Array): Promise<SubnetScore> {
  let correct = 0;
  let loss = 0;
  for (let start = 0; start < indices.length; start += EVALUATION_BATCH) {
    const { x, y } = assembleBatch(dataset, indices.subarray(start, start + EVALUATION_BATCH), RAW_BYTES);
    const batch = scoreLogits(await model.predict(x, y.length), y, classes);
    correct += batch.correct;
    loss += batch.loss;
  }
  return { correct, loss, count: indices.length };
}

/** An extracted sub-network compiled for scoring, and what runs it. */
export interface SubnetScorer {
  readonly engine: 'onnxruntime' | 'tfjs';
  score(dataset: ImageDataset, indices: Int32Array): Promise<SubnetScore>;
  dispose(): Promise<void>;
}

/**
 * The extracted model compiled for scoring: in ONNX Runtime when onnxruntime-node is installed
 * (one thread each: evaluation jobs run side by side in the worker pool), else with
 * FusedInference on the TF.js backend; `engine: 'tfjs'` asks for the latter.
 */
export async function compileScorer(model: tf.LayersModel, classes: number, engine: 'auto' | 'tfjs' = 'auto'): Promise<SubnetScorer> {
  const onnx = engine === 'auto' ? await OnnxInference.compile(model, 1) : undefined;
  if (onnx instanceof OnnxInference) {
    return { engine: 'onnxruntime', score: (dataset, indices) => scoreOnnx(onnx, classes, dataset, indices), dispose: () => onnx.dispose() };
  }
  const compiled = FusedInference.compile(model);
  return {
    engine: 'tfjs',
    score: (dataset, indices) => Promise.resolve(scoreCompiled(compiled, classes, dataset, indices)),
    dispose: () => Promise.resolve(compiled.dispose()),
  };
}

/** The active sub-network (calibrated) in inference mode on examples `indices`. */
export function scoreSubnet(model: OfaSupernet, dataset: ImageDataset, normalization: Normalization, indices: Int32Array): SubnetScore {
  return score((images) => model.apply(images, { training: false }), model.config.classes, dataset, normalization, indices);
}
