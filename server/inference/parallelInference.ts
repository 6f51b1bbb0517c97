import * as tf from '@tensorflow/tfjs';
import type { BackendChoice } from '../../contract/backends';
import { WorkerPool } from '../runtime/workerPool';
import type { InferenceJob, SharedModel } from './inferenceJob';

let models = 0;

/**
 * Inference on every core: tfjs-backend-wasm runs one thread per process, so a batch is split
 * into one shard per worker thread, each running the model compiled for inference
 * (FusedInference) on its shard. Weights and images go through shared memory, not copies.
 */
export class ParallelInference {
  private images = new SharedArrayBuffer(0);

  private constructor(
    private readonly pool: WorkerPool<InferenceJob, Float32Array>,
    private readonly model: SharedModel,
    private readonly shape: readonly number[],
    readonly workers: number,
    private readonly backend: BackendChoice,
  ) {}

  static async start(model: tf.LayersModel, workers: number, backend: BackendChoice, log: (m: string) => void = () => undefined): Promise<ParallelInference> {
    let shared: SharedModel | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const data = artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0);
        const weights = new SharedArrayBuffer(data.byteLength);
        new Uint8Array(weights).set(new Uint8Array(data));
        shared = { key: `model-${process.pid}-${++models}`, topology: artifacts.modelTopology!, weightSpecs: artifacts.weightSpecs ?? [], weights };
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
      }),
    );
    const shape = model.inputs[0].shape.slice(1) as number[];
    return new ParallelInference(new WorkerPool('inferenceWorker', workers, log), shared!, shape, workers, backend);
  }

  /** Outputs for `count` NHWC images, row-major: the shards' outputs in order. */
  async predict(images: Float32Array, count: number): Promise<Float32Array> {
    if (this.images.byteLength < images.byteLength) this.images = new SharedArrayBuffer(images.byteLength);
    new Float32Array(this.images).set(images);
    const shards = Math.min(this.workers, count);
    const jobs = Array.from({ length: shards }, (_, k) => {
      const first = Math.floor((k * count) / shards);
      const next = Math.floor(((k + 1) * count) / shards);
      return this.pool.run({ model: this.model, backend: this.backend, images: this.images, shape: this.shape, first, count: next - first });
    });
    const outputs = await Promise.all(jobs);
    const out = new Float32Array(outputs.reduce((n, o) => n + o.length, 0));
    let at = 0;
    for (const o of outputs) {
      out.set(o, at);
      at += o.length;
    }
    return out;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
