import { NasError } from '../core/errors';
import type { Normalization } from '../data/batchAssembly';
import type { ImageDataset } from '../data/imageDataset';
import type { LutEntry } from '../ofa/latencyTable';
import { toShared } from '../data/sharedDataset';
import type { BackendChoice } from '../../contract/backends';
import type { MomentumSgdConfig } from '../training/momentumSgd';
import { closeReplicaGroup, startReplicaGroup, type ReplicaChannel } from '../training/replicaGroup';
import type { BlockSample } from './archParameters';
import type { ProxylessArch } from './proxylessArch';
import type { ProxylessConfig } from './proxylessSpace';
import type { ProxylessReply, ProxylessRequest, ProxylessWorkerInit, WeightsState } from './proxylessWorkerProtocol';

type Channel = ReplicaChannel<ProxylessRequest, ProxylessReply>;

export interface ProxylessTrainerOptions {
  readonly workers: number;
  readonly backend: BackendChoice;
  readonly config: ProxylessConfig;
  readonly seed: number;
  readonly optimizer: MomentumSgdConfig;
  readonly train: ImageDataset;
  readonly normalization: Normalization;
}

/** Loss and accuracy of a batch or a split. */
export interface Score {
  /** Mean cross-entropy. */
  readonly loss: number;
  readonly accuracy: number;
}

/** What an architecture step measured on its batch. */
export interface GateMeasurement extends Score {
  /** Per block, ∂CE/∂g by candidate (undefined when the block's active candidate is Zero); averaged over workers. */
  readonly gates: readonly (readonly number[] | undefined)[];
}

/**
 * The ProxylessNAS supernet trained data-parallel on worker threads (one replica each, batch norm
 * statistics and gradients combined across replicas, as SupernetTrainer does for OFA). A step
 * sends only example indices and the paths to run; each worker assembles its share of the batch
 * from the dataset in shared memory.
 */
export class ProxylessTrainer {
  private constructor(
    private readonly channels: Channel[],
    /** Backend the workers run on, as they report it. */
    readonly backendDetail: string,
  ) {}

  static async start(options: ProxylessTrainerOptions): Promise<ProxylessTrainer> {
    const { workers } = options;
    if (!Number.isInteger(workers) || workers < 1) throw new NasError('internal', `workers must be a positive integer, got ${workers}`);
    const train = toShared(options.train);
    const inits: ProxylessWorkerInit[] = Array.from({ length: workers }, (_, rank) => ({
      rank,
      size: workers,
      backend: options.backend,
      config: options.config,
      seed: options.seed,
      optimizer: options.optimizer,
      train,
      normalization: options.normalization,
    }));
    const { channels, backend } = await startReplicaGroup<ProxylessWorkerInit, ProxylessRequest, ProxylessReply>('proxylessWorker', inits);
    return new ProxylessTrainer(channels, backend);
  }

  get workers(): number {
    return this.channels.length;
  }

  private checkBatch(indices: Int32Array): void {
    if (indices.length % this.channels.length !== 0) throw new NasError('internal', `batch of ${indices.length} is not divisible by ${this.channels.length} workers`);
  }

  /** A weight step of the network with candidate `choices[b]` in every block; its training loss and accuracy. */
  async weightStep(indices: Int32Array, choices: readonly number[], learningRate: number, labelSmoothing: number): Promise<Score> {
    this.checkBatch(indices);
    const replies = await Promise.all(this.channels.map((c) => c.request({ type: 'weightStep', indices, choices: [...choices], learningRate, labelSmoothing }, 'stepDone')));
    const count = replies.reduce((n, r) => n + r.count, 0);
    return { loss: replies.reduce((s, r) => s + r.loss, 0) / count, accuracy: replies.reduce((s, r) => s + r.correct, 0) / count };
  }

  /** Cross-entropy and gate gradients of the binarized network on the batch (nothing is updated). */
  async gates(indices: Int32Array, samples: readonly BlockSample[]): Promise<GateMeasurement> {
    this.checkBatch(indices);
    const replies = await Promise.all(this.channels.map((c) => c.request({ type: 'gates', indices, samples: [...samples] }, 'gates')));
    const n = replies.length;
    const count = replies.reduce((s, r) => s + r.count, 0);
    const gates = samples.map((_, b) => {
      const first = replies[0].gates[b];
      return first && first.map((_, c) => replies.reduce((s, r) => s + r.gates[b]![c], 0) / n);
    });
    return { loss: replies.reduce((s, r) => s + r.crossEntropy, 0) / n, accuracy: replies.reduce((s, r) => s + r.correct, 0) / count, gates };
  }

  /** The network with `choices` on `examples`, spread over the workers. */
  async evaluate(choices: readonly number[], examples: Int32Array): Promise<Score> {
    const part = Math.ceil(examples.length / this.channels.length);
    const replies = await Promise.all(
      this.channels.map((c, i) => c.request({ type: 'evaluate', choices: [...choices], examples: examples.subarray(i * part, (i + 1) * part) }, 'evaluated')),
    );
    const count = replies.reduce((n, r) => n + r.count, 0);
    return { loss: replies.reduce((s, r) => s + r.loss, 0) / count, accuracy: replies.reduce((s, r) => s + r.correct, 0) / count };
  }

  /** Every distinct layer of the supernet timed alone, batch 1, on the first worker (the others wait). */
  async measureTable(repeats: number, warmup: number): Promise<Map<string, LutEntry>> {
    return new Map((await this.channels[0].request({ type: 'measureTable', repeats, warmup }, 'table')).entries);
  }

  /** Batch-1 latency (ms) of whole networks as deployed, on the first worker (where the table was measured). */
  async measureNetworks(archs: readonly ProxylessArch[], repeats: number): Promise<number[]> {
    return (await this.channels[0].request({ type: 'measureNetworks', archs: [...archs], repeats }, 'networks')).ms;
  }

  /** Weights and momentum (every replica holds the same). */
  async state(): Promise<WeightsState> {
    return (await this.channels[0].request({ type: 'getState' }, 'state')).state;
  }

  async setState(state: WeightsState): Promise<void> {
    await Promise.all(this.channels.map((c) => c.request({ type: 'setState', state }, 'done')));
  }

  close(): Promise<void> {
    return closeReplicaGroup(this.channels);
  }
}
