import type { BackendChoice } from '../runtime/backend';
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
  /** Control words and exchange slots of SharedMemoryReplicas, sized from the replies to 'ready'. */
  | { type: 'attach'; collective: SharedArrayBuffer }
  /** Train on the first `batch` samples of the shared input, at `learningRate` if given. */
  | { type: 'step'; batch: number; learningRate?: number }
  | { type: 'weights' }
  | { type: 'close' };

export type WorkerReply =
  | { type: 'ready'; backend: string; gradientFloats: number }
  | { type: 'attached' }
  | { type: 'stepDone'; loss: number }
  /** Trainable then state variables, in model order. */
  | { type: 'weights'; values: Float32Array[] }
  | { type: 'error'; message: string };
