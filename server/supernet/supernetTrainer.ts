import { NasError } from '../core/errors';
import type { Normalization, SampleTransforms } from '../data/batchAssembly';
import type { ImageDataset } from '../data/imageDataset';
import { toShared } from '../data/sharedDataset';
import type { BackendChoice } from '../../contract/backends';
import type { MomentumSgdConfig } from '../training/momentumSgd';
import { closeReplicaGroup, startReplicaGroup, type ReplicaChannel } from '../training/replicaGroup';
import type { OfaSmallConfig, SubnetArch } from './ofaSmallConfig';
import type { SupernetReply, SupernetRequest, SupernetState, SupernetWorkerInit } from './supernetWorkerProtocol';

type Channel = ReplicaChannel<SupernetRequest, SupernetReply>;

export interface SupernetTrainerOptions {
  readonly workers: number;
  readonly backend: BackendChoice;
  readonly config: OfaSmallConfig;
  readonly seed: number;
  readonly optimizer: MomentumSgdConfig;
  readonly train: ImageDataset;
  readonly test?: ImageDataset;
  readonly normalization: Normalization;
}

export interface Evaluation {
  readonly accuracy: number;
  /** Mean cross-entropy. */
  readonly loss: number;
}

/**
 * The supernet trained data-parallel on worker threads (one replica each, batch norm statistics
 * and gradients combined across replicas, as DataParallelTrainer does for fixed networks). The
 * datasets live in shared memory: a step sends only example indices, augmentation draws and the
 * sub-networks; each worker assembles its share of the batch. Evaluations are independent and run
 * on different workers at once.
 */
export class SupernetTrainer {
  private constructor(
    private readonly channels: Channel[],
    /** Backend the workers run on, as they report it. */
    readonly backendDetail: string,
  ) {}

  static async start(options: SupernetTrainerOptions): Promise<SupernetTrainer> {
    const { workers } = options;
    if (!Number.isInteger(workers) || workers < 1) throw new NasError('internal', `workers must be a positive integer, got ${workers}`);
    const train = toShared(options.train);
    const test = options.test && toShared(options.test);
    const inits: SupernetWorkerInit[] = Array.from({ length: workers }, (_, rank) => ({
      rank,
      size: workers,
      backend: options.backend,
      config: options.config,
      seed: options.seed,
      optimizer: options.optimizer,
      train,
      ...(test ? { test } : {}),
      normalization: options.normalization,
    }));
    const { channels, backend } = await startReplicaGroup<SupernetWorkerInit, SupernetRequest, SupernetReply>('supernetWorker', inits);
    return new SupernetTrainer(channels, backend);
  }

  get workers(): number {
    return this.channels.length;
  }

  /**
   * One step; resolves to the mean classification loss and accuracy over the batch and
   * sub-networks. `distillation`: weight of the loss against the teacher's outputs - the frozen
   * teacher's, or with `inplace` the first sub-network's.
   */
  async step(indices: Int32Array, transforms: SampleTransforms | undefined, subnets: SubnetArch[], learningRate: number, distillation = 0, inplace = false): Promise<Evaluation> {
    if (indices.length % this.channels.length !== 0) throw new NasError('internal', `batch of ${indices.length} is not divisible by ${this.channels.length} workers`);
    const replies = await Promise.all(this.channels.map((c) => c.request({ type: 'step', indices, transforms, subnets, learningRate, distillation, inplace }, 'stepDone')));
    const count = replies.reduce((n, r) => n + r.count, 0);
    return { loss: replies.reduce((s, r) => s + r.loss, 0) / count, accuracy: replies.reduce((s, r) => s + r.correct, 0) / count };
  }

  /** Accuracy and loss of each sub-network after batch-norm recalibration, spread over the workers. */
  evaluate(subnets: readonly SubnetArch[], calibration: Int32Array, examples: Int32Array, split: 'train' | 'test'): Promise<Evaluation[]> {
    return Promise.all(
      subnets.map(async (subnet, i) => {
        const r = await this.channels[i % this.channels.length].request({ type: 'evaluate', subnet, calibration, examples, split }, 'evaluated');
        return { accuracy: r.correct / r.count, loss: r.loss / r.count };
      }),
    );
  }

  private async broadcast(request: SupernetRequest): Promise<void> {
    await Promise.all(this.channels.map((c) => c.request(request, 'done')));
  }

  /** OFA's channel sorting before an expand phase (every replica sorts identically). */
  sortChannels(keptRatios: readonly number[]): Promise<void> {
    return this.broadcast({ type: 'sortChannels', keptRatios: [...keptRatios] });
  }

  snapshotTeacher(): Promise<void> {
    return this.broadcast({ type: 'snapshotTeacher' });
  }

  resetOptimizer(): Promise<void> {
    return this.broadcast({ type: 'resetOptimizer' });
  }

  /** Weights, momentum and teacher (every replica holds the same trained state). */
  async state(): Promise<SupernetState> {
    return (await this.channels[0].request({ type: 'getState' }, 'state')).state;
  }

  setState(state: SupernetState): Promise<void> {
    return this.broadcast({ type: 'setState', state });
  }

  close(): Promise<void> {
    return closeReplicaGroup(this.channels);
  }
}
