import * as tf from '@tensorflow/tfjs';
import { BN_FORWARD, BN_GRAD_INPUT, BN_GRAD_SUMS, BN_MOMENTS, BN_RUNNING_UPDATE } from '../runtime/kernels/batchNormKernels';
import type { CrossReplica } from './crossReplica';

export interface BatchNormOptions {
  epsilon: number;
  /** Apply ReLU to the normalised output (fused: no separate op, mask recomputed in the gradient). */
  relu: boolean;
  /** Data-parallel replicas whose batches are normalised together (cross-replica batch norm). */
  replicas?: CrossReplica;
}

export interface BatchNormResult {
  y: tf.Tensor;
  /** [2, C]: the batch mean and biased variance used (over all replicas). Caller disposes. */
  moments: tf.Tensor2D;
}

/**
 * The four steps of training-mode batch norm. The gradient is the closed form
 * dx = gamma / sigma * (g - mean(g) - xhat * mean(g * xhat)), computed from two per-channel sums,
 * instead of tfjs' generic batchNorm gradient (which materialises tiled tensors).
 */
interface BatchNormSteps {
  moments(x: tf.Tensor): tf.Tensor2D;
  forward(x: tf.Tensor, moments: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, o: BatchNormOptions): tf.Tensor;
  /** [dbeta, dgamma] over x's rows. */
  gradSums(x: tf.Tensor, dy: tf.Tensor, moments: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, o: BatchNormOptions): GradSums;
  gradInput(x: tf.Tensor, dy: tf.Tensor, moments: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, sums: GradSums, count: number, o: BatchNormOptions): tf.Tensor;
  runningUpdate(mean: tf.Tensor1D, variance: tf.Tensor1D, moments: tf.Tensor2D, momentum: number, unbias: number): [tf.Tensor1D, tf.Tensor1D];
}

type GradSums = [dbeta: tf.Tensor1D, dgamma: tf.Tensor1D];

/** nasKernels.c through the kernels registered for 'wasm'. */
const wasmSteps: BatchNormSteps = {
  moments: (x) => tf.engine().runKernel(BN_MOMENTS, { x }) as tf.Tensor2D,
  forward: (x, moments, gamma, beta, o) =>
    tf.engine().runKernel(BN_FORWARD, { x, moments, gamma, beta }, { epsilon: o.epsilon, relu: o.relu }) as tf.Tensor,
  gradSums: (x, dy, moments, gamma, beta, o) =>
    tf.engine().runKernel(BN_GRAD_SUMS, { x, dy, moments, gamma, beta }, { epsilon: o.epsilon, relu: o.relu }) as unknown as GradSums,
  gradInput: (x, dy, moments, gamma, beta, [dbeta, dgamma], count, o) =>
    tf.engine().runKernel(BN_GRAD_INPUT, { x, dy, moments, gamma, beta, dbeta, dgamma }, { epsilon: o.epsilon, relu: o.relu, count }) as tf.Tensor,
  runningUpdate: (mean, variance, moments, momentum, unbias) =>
    tf.engine().runKernel(BN_RUNNING_UPDATE, { mean, variance, moments }, { momentum, unbias }) as unknown as [tf.Tensor1D, tf.Tensor1D],
};

function scaleBias(moments: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): [tf.Tensor1D, tf.Tensor1D] {
  const [mean, variance] = tf.unstack(moments) as [tf.Tensor1D, tf.Tensor1D];
  const scale = gamma.mul(tf.rsqrt(variance.add(epsilon))) as tf.Tensor1D;
  return [scale, beta.sub(mean.mul(scale)) as tf.Tensor1D];
}

/** Gradient of the output w.r.t. the normalised input: dy masked where the ReLU was inactive. */
function maskedGrad(x: tf.Tensor, dy: tf.Tensor, scale: tf.Tensor1D, bias: tf.Tensor1D, relu: boolean): tf.Tensor {
  return relu ? tf.where(tf.greater(x.mul(scale).add(bias), 0), dy, tf.zerosLike(dy)) : dy;
}

/** The same steps from generic tfjs ops, for the other backends. */
const opSteps: BatchNormSteps = {
  moments: (x) => {
    const { mean, variance } = tf.moments(x, batchAxes(x));
    return tf.stack([mean, variance]) as tf.Tensor2D;
  },
  forward: (x, moments, gamma, beta, o) => {
    const [scale, bias] = scaleBias(moments, gamma, beta, o.epsilon);
    const y = x.mul(scale).add(bias);
    return o.relu ? tf.relu(y) : y;
  },
  gradSums: (x, dy, moments, gamma, beta, o) => {
    const [scale, bias] = scaleBias(moments, gamma, beta, o.epsilon);
    const g = maskedGrad(x, dy, scale, bias, o.relu);
    const [mean, variance] = tf.unstack(moments);
    const xhat = x.sub(mean).mul(tf.rsqrt(variance.add(o.epsilon)));
    const axes = batchAxes(x);
    return [g.sum(axes), g.mul(xhat).sum(axes)];
  },
  gradInput: (x, dy, moments, gamma, beta, sums, count, o) => {
    const [scale, bias] = scaleBias(moments, gamma, beta, o.epsilon);
    const g = maskedGrad(x, dy, scale, bias, o.relu);
    const [mean, variance] = tf.unstack(moments);
    const invstd = tf.rsqrt(variance.add(o.epsilon));
    const [dbeta, dgamma] = sums;
    const xhat = x.sub(mean).mul(invstd);
    return g.sub(dbeta.div(count)).sub(xhat.mul(dgamma.div(count))).mul(gamma.mul(invstd));
  },
  runningUpdate: (mean, variance, moments, momentum, unbias) => {
    const [batchMean, batchVariance] = tf.unstack(moments);
    return [mean.mul(1 - momentum).add(batchMean.mul(momentum)), variance.mul(1 - momentum).add(batchVariance.mul(momentum * unbias))];
  },
};

function batchAxes(x: tf.Tensor): number[] {
  return Array.from({ length: x.rank - 1 }, (_, i) => i);
}

function stepsForBackend(): BatchNormSteps {
  return tf.getBackend() === 'wasm' && tf.getKernel(BN_MOMENTS, 'wasm') ? wasmSteps : opSteps;
}

/** [2, C] moments tensor from running statistics, for inference. */
export function inferenceMoments(mean: tf.Tensor, variance: tf.Tensor): tf.Tensor2D {
  return tf.stack([mean, variance]) as tf.Tensor2D;
}

/** Inference-mode batch norm (no gradient needed) with given moments, optionally fused with ReLU. */
export function batchNormInference(x: tf.Tensor, moments: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, options: BatchNormOptions): tf.Tensor {
  return stepsForBackend().forward(x, moments, gamma, beta, options);
}

/**
 * Per-channel moments of all replicas' batches from each replica's own (equal row counts):
 * mean = avg(mean_r), var = avg(var_r + (mean_r - mean)^2) - exact, and free of cancellation.
 */
function combineMoments(all: Float32Array[], channels: number): Float32Array {
  const out = new Float32Array(2 * channels);
  for (let c = 0; c < channels; c++) {
    let mean = 0;
    for (const m of all) mean += m[c];
    mean /= all.length;
    let variance = 0;
    for (const m of all) variance += m[channels + c] + (m[c] - mean) ** 2;
    out[c] = mean;
    out[channels + c] = variance / all.length;
  }
  return out;
}

function sumOverReplicas([dbeta, dgamma]: GradSums, replicas: CrossReplica): GradSums {
  const channels = dbeta.size;
  const both = new Float32Array(2 * channels);
  both.set(dbeta.dataSync() as Float32Array);
  both.set(dgamma.dataSync() as Float32Array, channels);
  const sum = replicas.allReduceSum(both);
  return [tf.tensor1d(sum.subarray(0, channels)), tf.tensor1d(sum.subarray(channels))];
}

/** New running statistics after a batch with the given moments over `rows` rows (PyTorch's convention). */
export function updatedRunningStats(mean: tf.Tensor1D, variance: tf.Tensor1D, moments: tf.Tensor2D, momentum: number, rows: number): [tf.Tensor1D, tf.Tensor1D] {
  return stepsForBackend().runningUpdate(mean, variance, moments, momentum, rows / Math.max(rows - 1, 1));
}

/**
 * Training-mode batch norm over all axes but the last, optionally fused with ReLU and synchronised
 * across data-parallel replicas, with a fast closed-form gradient w.r.t. x, gamma and beta.
 */
export function batchNormTrain(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, options: BatchNormOptions): BatchNormResult {
  const steps = stepsForBackend();
  const channels = x.shape[x.rank - 1];
  const rows = x.size / channels;
  const replicas = options.replicas && options.replicas.size > 1 ? options.replicas : undefined;
  let moments: tf.Tensor2D | undefined;
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xIn, g, b, save] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    let m = steps.moments(xIn);
    if (replicas) {
      const combined = combineMoments(replicas.allGather(m.dataSync() as Float32Array), channels);
      m.dispose();
      m = tf.tensor2d(combined, [2, channels]);
    }
    moments = tf.keep(m.clone());
    save([xIn, m, g, b]);
    return {
      value: steps.forward(xIn, m, g, b, options),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [sx, sm, sg, sb] = saved as [tf.Tensor, tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
        const d = dy as tf.Tensor;
        const local = steps.gradSums(sx, d, sm, sg, sb, options);
        const total = replicas ? sumOverReplicas(local, replicas) : local;
        const dx = steps.gradInput(sx, d, sm, sg, sb, total, rows * (replicas?.size ?? 1), options);
        const [dbeta, dgamma] = local;
        return [dx, dgamma, dbeta];
      },
    };
  });
  const y = run(x, gamma, beta);
  if (!moments) throw new Error('batch norm forward did not run');
  return { y, moments };
}
