import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../core/errors';
import { gather } from '../data/batchAssembly';
import type { ImageDataset } from '../data/imageDataset';
import { prepareDataset } from '../evaluators/train/trainData';
import { networkInput, splitIndices, type SplitIndices, type TrainJob } from '../evaluators/train/trainJob';
import { archClasses } from '../evaluators/train/buildModel';
import { writeFileAtomic } from '../store/atomicFile';
import { loadLayersModel } from '../supernet/tfjsModelFiles';

/** A member's logits, kept next to its model: what the mixture weights are fitted and selected on. */
export const LOGITS_FILE = 'logits.bin';

/** Rows of `classes` float32 logits per split, in the order of the run's split indices. */
export interface SplitLogits {
  readonly train: Float32Array;
  readonly validation: Float32Array;
  readonly test: Float32Array;
}

export interface SplitLabels {
  readonly train: Int32Array;
  readonly validation: Int32Array;
  readonly test: Int32Array;
}

const CHUNK = 500;

/** The classifier's pre-softmax outputs: the penultimate layer's features through the last dense layer's kernel and bias. */
function logitsOf(model: tf.LayersModel): (x: tf.Tensor4D) => tf.Tensor2D {
  const features = tf.model({ inputs: model.inputs, outputs: model.layers[model.layers.length - 2].output as tf.SymbolicTensor });
  const [kernel, bias] = model.layers[model.layers.length - 1].getWeights();
  return (x) => tf.tidy(() => tf.add(tf.matMul(features.predict(x) as tf.Tensor2D, kernel as tf.Tensor2D), bias));
}

function splitLogits(job: TrainJob, logits: (x: tf.Tensor4D) => tf.Tensor2D, dataset: ImageDataset | undefined, indices: readonly number[], classes: number): Float32Array {
  const out = new Float32Array(indices.length * classes);
  if (!dataset) return out;
  for (let start = 0; start < indices.length; start += CHUNK) {
    const { x, y } = gather(dataset, indices.slice(start, start + CHUNK));
    const z = tf.tidy(() => logits(networkInput(job, x, y.length, dataset)));
    out.set(z.dataSync(), start * classes);
    z.dispose();
  }
  return out;
}

/** In a worker: the logits of the model the job trained (saved in `job.modelDir`) on the job's train, validation and test examples, written next to it. */
export async function writeMemberLogits(job: TrainJob & { readonly modelDir: string }): Promise<void> {
  const data = prepareDataset(job);
  const splits = splitIndices(job, data.train.count, data.test?.count ?? 0);
  const classes = archClasses(job.arch) ?? data.train.classes;
  const model = await loadLayersModel(job.modelDir);
  try {
    const logits = logitsOf(model);
    const parts = [splitLogits(job, logits, data.train, splits.train, classes), splitLogits(job, logits, data.train, splits.validation, classes), splitLogits(job, logits, data.test, splits.test, classes)];
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
    let at = 0;
    for (const p of parts) {
      bytes.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), at);
      at += p.byteLength;
    }
    writeFileAtomic(join(job.modelDir, LOGITS_FILE), bytes);
  } finally {
    model.dispose();
  }
}

/** The labels of the job's splits (every member of a run shares them). */
export function splitLabels(job: Pick<TrainJob, 'arch' | 'options' | 'baseDir' | 'splitSeed'>): SplitLabels {
  const data = prepareDataset(job);
  const splits: SplitIndices = splitIndices(job, data.train.count, data.test?.count ?? 0);
  const labelsOf = (dataset: ImageDataset | undefined, indices: readonly number[]) => Int32Array.from(indices, (i) => dataset!.labels[i]);
  return { train: labelsOf(data.train, splits.train), validation: labelsOf(data.train, splits.validation), test: labelsOf(data.test, splits.test) };
}

/** A member's logits file, checked against the split sizes it must hold. */
export function readMemberLogits(dir: string, labels: SplitLabels, classes: number): SplitLogits {
  const file = join(dir, LOGITS_FILE);
  if (!existsSync(file)) throw new DataError('the logits of a trained member are missing (the checkpoint was removed?)', file);
  const bytes = readFileSync(file);
  const rows = [labels.train.length, labels.validation.length, labels.test.length];
  if (bytes.length !== rows.reduce((a, b) => a + b, 0) * classes * 4) throw new DataError(`the logits file holds ${bytes.length} bytes, not ${rows.join(' + ')} rows of ${classes} float32`, file);
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  const [train, validation] = rows.map((r) => r * classes);
  return { train: all.subarray(0, train), validation: all.subarray(train, train + validation), test: all.subarray(train + validation) };
}
