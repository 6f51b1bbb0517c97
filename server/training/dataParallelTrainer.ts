import type { Worker } from 'node:worker_threads';
import { startWorker } from '../runtime/workerEntry';
import { NasError } from '../core/errors';
import type { BackendChoice } from '../runtime/backend';
import { crossReplicaBytes } from './crossReplica';
import type { WorkerInit, WorkerReply, WorkerRequest } from './dataParallelProtocol';
import type { ModelSpec } from './modelSpec';
import type { MomentumSgdConfig } from './momentumSgd';

export interface DataParallelOptions {
  /** Worker threads, one model replica each (tfjs-backend-wasm is single-threaded under Node). */
  workers: number;
  backend: BackendChoice;
  model: ModelSpec;
  optimizer: MomentumSgdConfig;
  /** Largest batch step() will be given; every batch must divide evenly among the workers. */
  maxBatch: number;
}

/** One worker thread and the replies it has not consumed yet. */
class ReplicaWorker {
  private readonly pending: { resolve(reply: WorkerReply): void; reject(error: Error): void }[] = [];
  private failure?: Error;

  /** onFailure: called once when this worker fails (the others may then wait forever at a barrier). */
  constructor(
    readonly worker: Worker,
    private readonly onFailure: () => void,
  ) {
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'error') this.fail(new NasError('training', `training worker failed: ${reply.message}`));
      else this.pending.shift()?.resolve(reply);
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => {
      if (code !== 0) this.fail(new NasError('training', `training worker exited with code ${code}`));
    });
  }

  private fail(error: Error): void {
    if (!this.failure) {
      this.failure = error;
      this.onFailure();
    }
    for (const p of this.pending.splice(0)) p.reject(error);
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** The next reply, of the expected type. */
  next<T extends WorkerReply['type']>(type: T): Promise<Extract<WorkerReply, { type: T }>> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending.push({
        resolve: (reply) => (reply.type === type ? resolve(reply as Extract<WorkerReply, { type: T }>) : reject(new Error(`expected '${type}' from training worker, got '${reply.type}'`))),
        reject,
      });
    });
  }

  send(request: WorkerRequest): void {
    this.worker.postMessage(request);
  }
}

/**
 * Synchronous data-parallel SGD over worker threads: each replica computes the gradient of its
 * equal shard of the batch (batch norm statistics shared across replicas), the gradients are
 * averaged through shared memory and every replica applies the same update - the same step as
 * single-process training on the whole batch, up to float rounding.
 */
export class DataParallelTrainer {
  private constructor(
    private readonly replicas: ReplicaWorker[],
    private readonly images: Float32Array,
    private readonly labels: Int32Array,
    readonly options: DataParallelOptions,
    /** Backend the workers run on, as they report it. */
    readonly backendDetail: string,
  ) {}

  static async start(options: DataParallelOptions): Promise<DataParallelTrainer> {
    const { workers, maxBatch } = options;
    if (!Number.isInteger(workers) || workers < 1) throw new NasError('training', `workers must be a positive integer, got ${workers}`);
    const inputShape = options.model.config.inputShape;
    const pixels = inputShape[0] * inputShape[1] * inputShape[2];
    const input = new SharedArrayBuffer(maxBatch * (pixels + 1) * 4);
    const terminateAll = () => {
      for (const r of replicas) void r.worker.terminate();
    };
    const replicas: ReplicaWorker[] = Array.from({ length: workers }, (_, rank) => {
      const init: WorkerInit = { rank, size: workers, backend: options.backend, model: options.model, optimizer: options.optimizer, input, inputShape, maxBatch };
      return new ReplicaWorker(startWorker('replicaWorker', { workerData: init }), terminateAll);
    });
    try {
      const ready = await Promise.all(replicas.map((r) => r.next('ready')));
      const collective = new SharedArrayBuffer(crossReplicaBytes(workers, ready[0].gradientFloats));
      for (const r of replicas) r.send({ type: 'attach', collective });
      await Promise.all(replicas.map((r) => r.next('attached')));
      return new DataParallelTrainer(replicas, new Float32Array(input, 0, maxBatch * pixels), new Int32Array(input, maxBatch * pixels * 4, maxBatch), options, ready[0].backend);
    } catch (error) {
      await Promise.all(replicas.map((r) => r.worker.terminate()));
      throw error;
    }
  }

  get workers(): number {
    return this.replicas.length;
  }

  /**
   * One SGD step on a batch (NHWC float32 images, int32 labels), optionally changing the learning
   * rate first; resolves to the batch's mean loss.
   */
  async step(images: Float32Array, labels: Int32Array, learningRate?: number): Promise<number> {
    const batch = labels.length;
    if (batch > this.options.maxBatch || batch % this.replicas.length !== 0) {
      throw new NasError('training', `batch of ${batch} must be at most ${this.options.maxBatch} and divisible by ${this.replicas.length} workers`);
    }
    if (images.length !== (this.images.length / this.options.maxBatch) * batch) throw new NasError('training', `images do not match ${batch} labels`);
    this.images.set(images);
    this.labels.set(labels);
    const done = this.replicas.map((r) => r.next('stepDone'));
    for (const r of this.replicas) r.send({ type: 'step', batch, learningRate });
    const losses = await Promise.all(done);
    return losses.reduce((sum, l) => sum + l.loss, 0) / losses.length;
  }

  /** Trainable then state variables of one replica (all replicas hold the same). */
  async weights(rank = 0): Promise<Float32Array[]> {
    const replica = this.replicas[rank];
    const reply = replica.next('weights');
    replica.send({ type: 'weights' });
    return (await reply).values;
  }

  async close(): Promise<void> {
    if (this.replicas.some((r) => r.failed)) {
      await Promise.all(this.replicas.map((r) => r.worker.terminate()));
      return;
    }
    const exits = this.replicas.map((r) => new Promise((resolve) => r.worker.once('exit', resolve)));
    for (const r of this.replicas) r.send({ type: 'close' });
    await Promise.all(exits);
  }
}
