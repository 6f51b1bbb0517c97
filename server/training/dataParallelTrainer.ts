import { NasError } from '../core/errors';
import type { BackendChoice } from '../../contract/backends';
import type { WorkerInit, WorkerReply, WorkerRequest } from './dataParallelProtocol';
import type { ModelSpec } from './modelSpec';
import type { MomentumSgdConfig } from './momentumSgd';
import { closeReplicaGroup, startReplicaGroup, type ReplicaChannel } from './replicaGroup';

type Channel = ReplicaChannel<WorkerRequest, WorkerReply>;

export interface DataParallelOptions {
  /** Worker threads, one model replica each (tfjs-backend-wasm is single-threaded under Node). */
  workers: number;
  backend: BackendChoice;
  model: ModelSpec;
  optimizer: MomentumSgdConfig;
  /** Largest batch step() will be given; every batch must divide evenly among the workers. */
  maxBatch: number;
}

/**
 * Synchronous data-parallel SGD over worker threads: each replica computes the gradient of its
 * equal shard of the batch (batch norm statistics shared across replicas), the gradients are
 * averaged through shared memory and every replica applies the same update - the same step as
 * single-process training on the whole batch, up to float rounding.
 */
export class DataParallelTrainer {
  private constructor(
    private readonly replicas: Channel[],
    private readonly images: Float32Array,
    private readonly labels: Int32Array,
    readonly options: DataParallelOptions,
    /** Backend the workers run on, as they report it. */
    readonly backendDetail: string,
  ) {}

  static async start(options: DataParallelOptions): Promise<DataParallelTrainer> {
    const { workers, maxBatch } = options;
    if (!Number.isInteger(workers) || workers < 1) throw new NasError('internal', `workers must be a positive integer, got ${workers}`);
    const inputShape = options.model.config.inputShape;
    const pixels = inputShape[0] * inputShape[1] * inputShape[2];
    const input = new SharedArrayBuffer(maxBatch * (pixels + 1) * 4);
    const inits: WorkerInit[] = Array.from({ length: workers }, (_, rank) => ({ rank, size: workers, backend: options.backend, model: options.model, optimizer: options.optimizer, input, inputShape, maxBatch }));
    const { channels, backend } = await startReplicaGroup<WorkerInit, WorkerRequest, WorkerReply>('replicaWorker', inits);
    return new DataParallelTrainer(channels, new Float32Array(input, 0, maxBatch * pixels), new Int32Array(input, maxBatch * pixels * 4, maxBatch), options, backend);
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
      throw new NasError('internal', `batch of ${batch} must be at most ${this.options.maxBatch} and divisible by ${this.replicas.length} workers`);
    }
    if (images.length !== (this.images.length / this.options.maxBatch) * batch) throw new NasError('internal', `images do not match ${batch} labels`);
    this.images.set(images);
    this.labels.set(labels);
    const done = this.replicas.map((r) => r.next('stepDone'));
    for (const r of this.replicas) r.send({ type: 'step', batch, learningRate });
    const losses = await Promise.all(done);
    return losses.reduce((sum, l) => sum + l.loss, 0) / losses.length;
  }

  /** Trainable then state variables of one replica (all replicas hold the same). */
  async weights(rank = 0): Promise<Float32Array[]> {
    return (await this.replicas[rank].request({ type: 'weights' }, 'weights')).values;
  }

  close(): Promise<void> {
    return closeReplicaGroup(this.replicas);
  }
}
