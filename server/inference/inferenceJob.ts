import * as tf from '@tensorflow/tfjs';
import type { BackendChoice } from '../../contract/backends';
import { FusedInference } from './fusedInference';

/** A model shared with inference worker threads: its topology and weights, the weights in shared memory. */
export interface SharedModel {
  /** Identifies the model: workers compile it once. */
  readonly key: string;
  readonly topology: tf.io.ModelJSON['modelTopology'];
  readonly weightSpecs: tf.io.WeightsManifestEntry[];
  readonly weights: SharedArrayBuffer;
}

/** One shard of a batch: images [first, first + count) of the shared NHWC input. */
export interface InferenceJob {
  readonly model: SharedModel;
  readonly backend: BackendChoice;
  readonly images: SharedArrayBuffer;
  readonly shape: readonly number[];
  readonly first: number;
  readonly count: number;
}

const compiled = new Map<string, Promise<FusedInference>>();

async function compile(model: SharedModel): Promise<FusedInference> {
  const layers = await tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: model.topology, weightSpecs: model.weightSpecs, weightData: new Uint8Array(model.weights).slice().buffer }),
  );
  const fused = FusedInference.compile(layers);
  return fused;
}

/** The shard's outputs (logits), from the model compiled once per worker. */
export async function runInferenceJob(job: InferenceJob): Promise<Float32Array> {
  let model = compiled.get(job.model.key);
  if (!model) compiled.set(job.model.key, (model = compile(job.model)));
  const fused = await model;
  const pixels = job.shape.reduce((a, b) => a * b, 1);
  const images = new Float32Array(job.images, job.first * pixels * 4, job.count * pixels);
  return tf.tidy(() => fused.predict(tf.tensor(images, [job.count, ...job.shape])).dataSync() as Float32Array);
}
