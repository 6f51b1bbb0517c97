import type { BackendChoice } from '../../contract/backends';
import type { Normalization } from '../data/batchAssembly';
import type { ImageDataset } from '../data/imageDataset';
import type { LutEntry } from '../ofa/latencyTable';
import type { MomentumSgdConfig } from '../training/momentumSgd';
import type { BlockSample } from './archParameters';
import type { ProxylessArch } from './proxylessArch';
import type { ProxylessConfig } from './proxylessSpace';

/** workerData of a ProxylessNAS worker: its replica of the supernet, and the dataset shared (not copied) by all workers. */
export interface ProxylessWorkerInit {
  rank: number;
  size: number;
  backend: BackendChoice;
  config: ProxylessConfig;
  seed: number;
  optimizer: MomentumSgdConfig;
  train: ImageDataset;
  normalization: Normalization;
}

/** The supernet's weights and the weight optimizer's momentum (every replica holds the same). */
export interface WeightsState {
  /** Trainable then state variables, in creation order. */
  weights: Float32Array[];
  /** Momentum buffers of the trainable variables (zeros for those never updated). */
  momentum: Float32Array[];
}

export type ProxylessRequest =
  /**
   * A weight step on the batch `indices` (each worker takes its equal share): the network with
   * candidate `choices[b]` in each block, SGD on its variables only, gradients averaged over workers.
   */
  | { type: 'weightStep'; indices: Int32Array; choices: number[]; learningRate: number; labelSmoothing: number }
  /** An architecture step's measurement on the batch `indices`: the cross-entropy and every involved gate's gradient. */
  | { type: 'gates'; indices: Int32Array; samples: BlockSample[] }
  /** The network with `choices` on `examples`, batch norms on batch statistics (the reference's validation). */
  | { type: 'evaluate'; choices: number[]; examples: Int32Array }
  /** Times every distinct layer of the supernet on this worker's backend (the latency table). */
  | { type: 'measureTable'; repeats: number; warmup: number }
  /** Whole networks as deployed, batch 1 (`measureNetworks`). */
  | { type: 'measureNetworks'; archs: ProxylessArch[]; repeats: number }
  | { type: 'getState' }
  | { type: 'setState'; state: WeightsState };

export type ProxylessReply =
  /** Sums over this worker's share. */
  | { type: 'stepDone'; loss: number; correct: number; count: number }
  /** Mean cross-entropy and gate gradients of this worker's share. */
  | { type: 'gates'; crossEntropy: number; correct: number; count: number; gates: (number[] | undefined)[] }
  | { type: 'evaluated'; correct: number; loss: number; count: number }
  | { type: 'table'; entries: [string, LutEntry][] }
  | { type: 'networks'; ms: number[] }
  | { type: 'done' }
  | { type: 'state'; state: WeightsState };
