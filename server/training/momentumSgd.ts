import * as tf from '@tensorflow/tfjs';
import { MOMENTUM_UPDATE, type MomentumUpdateAttrs } from '../runtime/kernels/optimizerKernels';

export interface MomentumSgdConfig {
  learningRate: number;
  momentum: number;
  weightDecay?: number;
}

/** Gradients for an update, in the order of the variables being updated. */
export type GradientSource =
  /** One tensor per variable. */
  | { readonly perVariable: readonly tf.Tensor[] }
  /** All gradients concatenated into one vector, multiplied by `scale` (e.g. a sum over replicas and 1 / replicas). */
  | { readonly flat: tf.Tensor1D; readonly scale: number };

/**
 * SGD with momentum in PyTorch's form (buf = momentum * buf + g + wd * p; p -= lr * buf), as one
 * fused kernel per variable on 'wasm' (tfjs' optimizers run four or five ops per variable).
 */
export class MomentumSgd {
  private readonly accumulators = new Map<tf.Variable, tf.Tensor>();
  /** Current learning rate; schedules change it between steps. */
  learningRate: number;

  constructor(readonly config: MomentumSgdConfig) {
    this.learningRate = config.learningRate;
  }

  apply(variables: readonly tf.Variable[], gradients: GradientSource): void {
    const fused = tf.getBackend() === 'wasm' && tf.getKernel(MOMENTUM_UPDATE, 'wasm') !== undefined;
    let offset = 0;
    tf.tidy(() => {
      for (const [i, variable] of variables.entries()) {
        const accum = this.accumulators.get(variable) ?? tf.zerosLike(variable);
        const attrs: MomentumUpdateAttrs = {
          learningRate: this.learningRate,
          momentum: this.config.momentum,
          weightDecay: this.config.weightDecay ?? 0,
          gradScale: 'flat' in gradients ? gradients.scale : 1,
          offset: 'flat' in gradients ? offset : 0,
        };
        const grad = 'flat' in gradients ? gradients.flat : gradients.perVariable[i];
        const [param, nextAccum] = fused
          ? (tf.engine().runKernel(MOMENTUM_UPDATE, { param: variable, accum, grad }, { ...attrs }) as unknown as [tf.Tensor, tf.Tensor])
          : this.updateWithOps(variable, accum, 'flat' in gradients ? grad.slice(offset, variable.size).reshape(variable.shape) : grad, attrs);
        variable.assign(param);
        this.accumulators.get(variable)?.dispose();
        this.accumulators.set(variable, tf.keep(nextAccum));
        offset += variable.size;
      }
    });
  }

  private updateWithOps(param: tf.Tensor, accum: tf.Tensor, grad: tf.Tensor, a: MomentumUpdateAttrs): [tf.Tensor, tf.Tensor] {
    const d = grad.mul(a.gradScale).add(param.mul(a.weightDecay));
    const nextAccum = accum.mul(a.momentum).add(d);
    return [param.sub(nextAccum.mul(a.learningRate)), nextAccum];
  }

  /** Momentum buffers in `variables` order (zeros for variables not updated yet), for checkpoints. */
  buffers(variables: readonly tf.Variable[]): Float32Array[] {
    return variables.map((v) => (this.accumulators.get(v)?.dataSync() as Float32Array | undefined) ?? new Float32Array(v.size));
  }

  /** Restores buffers saved by `buffers` (same variables, same order). */
  setBuffers(variables: readonly tf.Variable[], values: readonly Float32Array[]): void {
    this.reset();
    variables.forEach((v, i) => this.accumulators.set(v, tf.keep(tf.tensor(values[i], v.shape))));
  }

  /** Forgets all momentum: the next update starts from rest (as a new optimizer would). */
  reset(): void {
    for (const t of this.accumulators.values()) t.dispose();
    this.accumulators.clear();
  }

  dispose(): void {
    this.reset();
  }
}
