import type { Normalization, SampleTransforms } from '../data/batchAssembly';
import type { ImageDataset } from '../data/imageDataset';
import type { BackendChoice } from '../../contract/backends';
import type { MomentumSgdConfig } from '../training/momentumSgd';
import type { OfaSmallConfig, SubnetArch } from './ofaSmallConfig';

/** workerData of a supernet training worker: its replica, and the datasets shared (not copied) by all workers. */
export interface SupernetWorkerInit {
  rank: number;
  size: number;
  backend: BackendChoice;
  config: OfaSmallConfig;
  seed: number;
  optimizer: MomentumSgdConfig;
  train: ImageDataset;
  test?: ImageDataset;
  normalization: Normalization;
}

/** Everything that makes a training run continue exactly: weights, momentum, the distillation teacher. */
export interface SupernetState {
  /** Trainable then state variables of the supernet, in creation order. */
  weights: Float32Array[];
  /** Momentum buffers of the trainable variables. */
  momentum: Float32Array[];
  /** The teacher's variables (same layout as `weights`) once distillation has started. */
  teacher?: Float32Array[];
}

export type SupernetRequest =
  /**
   * One step on the batch `indices` (each worker takes its equal share) with per-example
   * augmentation: the gradients of all `subnets` are summed, averaged over workers and applied.
   * With `distillation` > 0 the sub-networks also learn the teacher's outputs: the frozen
   * teacher's, or with `inplace` those of the step's first sub-network (the largest).
   */
  | { type: 'step'; indices: Int32Array; transforms?: SampleTransforms; subnets: SubnetArch[]; learningRate: number; distillation: number; inplace: boolean }
  /** Recalibrates batch norm for `subnet` on training examples `calibration`, then evaluates it on `examples` of `split`. */
  | { type: 'evaluate'; subnet: SubnetArch; calibration: Int32Array; examples: Int32Array; split: 'train' | 'test' }
  | { type: 'sortChannels'; keptRatios: number[] }
  /** The teacher becomes a frozen copy of the current weights (the largest network is distilled from it). */
  | { type: 'snapshotTeacher' }
  | { type: 'resetOptimizer' }
  | { type: 'getState' }
  | { type: 'setState'; state: SupernetState };

export type SupernetReply =
  /** Sums over this worker's share and the step's sub-networks. */
  | { type: 'stepDone'; loss: number; correct: number; count: number }
  | { type: 'evaluated'; correct: number; loss: number; count: number }
  | { type: 'done' }
  | { type: 'state'; state: SupernetState };
