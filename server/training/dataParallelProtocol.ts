import type { BackendChoice } from '../../contract/backends';
import type { ModelSpec } from './modelSpec';
import type { MomentumSgdConfig } from './momentumSgd';

/** workerData of a training worker thread. */
export interface WorkerInit {
  rank: number;
  size: number;
  backend: BackendChoice;
  model: ModelSpec;
  optimizer: MomentumSgdConfig;
  /** The current batch: maxBatch images (float32, NHWC) followed by maxBatch labels (int32). */
  input: SharedArrayBuffer;
  inputShape: [number, number, number];
  maxBatch: number;
}

export type WorkerRequest =
  /** Train on the first `batch` samples of the shared input, at `learningRate` if given. */
  | { type: 'step'; batch: number; learningRate?: number }
  | { type: 'weights' };

/** Replies besides the shared ones of replicaGroup.ts ('ready', 'attached', 'error'). */
export type WorkerReply =
  | { type: 'stepDone'; loss: number }
  /** Trainable then state variables, in model order. */
  | { type: 'weights'; values: Float32Array[] };
