import * as tf from '@tensorflow/tfjs';
import { inputsOf, kernelModule, type KernelModule, type WasmHeapBackend } from './kernelModule';

/**
 * Training-mode batch norm (optionally fused with ReLU) as four wasm kernels, so that the moments
 * and gradient sums can be combined across data-parallel replicas between them (see
 * server/training/batchNorm.ts). Channels are the last axis; every other axis is a batch axis.
 */
export const BN_MOMENTS = 'NasBatchNormMoments';
export const BN_FORWARD = 'NasBatchNormForward';
export const BN_GRAD_SUMS = 'NasBatchNormGradSums';
export const BN_GRAD_INPUT = 'NasBatchNormGradInput';
export const BN_RUNNING_UPDATE = 'NasBatchNormRunningUpdate';

export interface BatchNormAttrs {
  epsilon: number;
  relu: boolean;
}

export interface BatchNormGradInputAttrs extends BatchNormAttrs {
  /** Rows (pixels) that the batch sums cover: all replicas' rows under cross-replica batch norm. */
  count: number;
}

export interface BatchNormRunningUpdateAttrs {
  /** Weight of the batch statistics (PyTorch's convention). */
  momentum: number;
  /** n / (n - 1): turns the batch's biased variance into the unbiased estimate. */
  unbias: number;
}

function rowsAndChannels(x: tf.TensorInfo): [number, number] {
  const C = x.shape[x.shape.length - 1];
  return [tf.util.sizeFromShape(x.shape) / C, C];
}

function moduleOf(backend: object): KernelModule {
  return kernelModule(backend as WasmHeapBackend);
}

const wasm = 'wasm';

/** x -> [2, C]: per-channel mean and biased variance. */
export const bnMomentsConfig: tf.KernelConfig = {
  kernelName: BN_MOMENTS,
  backendName: wasm,
  kernelFunc: ({ inputs, backend }) => {
    const m = moduleOf(backend);
    const { x } = inputsOf(inputs, 'x');
    const [P, C] = rowsAndChannels(x);
    const out = m.output([2, C]);
    m.k.nas_bn_moments(m.ptr(x), P, C, out.ptr, m.scratch(6 * C));
    return out.info;
  },
};

/** (x, moments, gamma, beta) -> normalised, scaled, shifted (and ReLU'd) x. */
export const bnForwardConfig: tf.KernelConfig = {
  kernelName: BN_FORWARD,
  backendName: wasm,
  kernelFunc: ({ inputs, backend, attrs }) => {
    const m = moduleOf(backend);
    const { x, moments, gamma, beta } = inputsOf(inputs, 'x', 'moments', 'gamma', 'beta');
    const { epsilon, relu } = attrs as unknown as BatchNormAttrs;
    const [P, C] = rowsAndChannels(x);
    const y = m.output(x.shape);
    m.k.nas_bn_forward(m.ptr(x), P, C, m.ptr(moments), m.ptr(gamma), m.ptr(beta), epsilon, relu ? 1 : 0, y.ptr, m.scratch(2 * C));
    return y.info;
  },
};

/** (x, dy, moments, gamma, beta) -> [dbeta, dgamma] over this tensor's rows. */
export const bnGradSumsConfig: tf.KernelConfig = {
  kernelName: BN_GRAD_SUMS,
  backendName: wasm,
  kernelFunc: ({ inputs, backend, attrs }) => {
    const m = moduleOf(backend);
    const { x, dy, moments, gamma, beta } = inputsOf(inputs, 'x', 'dy', 'moments', 'gamma', 'beta');
    const { epsilon, relu } = attrs as unknown as BatchNormAttrs;
    const [P, C] = rowsAndChannels(x);
    const dbeta = m.output([C]);
    const dgamma = m.output([C]);
    m.k.nas_bn_grad_sums(m.ptr(x), m.ptr(dy), P, C, m.ptr(moments), m.ptr(gamma), m.ptr(beta), epsilon, relu ? 1 : 0, dbeta.ptr, dgamma.ptr, m.scratch(8 * C));
    return [dbeta.info, dgamma.info];
  },
};

/** (x, dy, moments, gamma, beta, dbeta, dgamma) -> dx. */
export const bnGradInputConfig: tf.KernelConfig = {
  kernelName: BN_GRAD_INPUT,
  backendName: wasm,
  kernelFunc: ({ inputs, backend, attrs }) => {
    const m = moduleOf(backend);
    const { x, dy, moments, gamma, beta, dbeta, dgamma } = inputsOf(inputs, 'x', 'dy', 'moments', 'gamma', 'beta', 'dbeta', 'dgamma');
    const { epsilon, relu, count } = attrs as unknown as BatchNormGradInputAttrs;
    const [P, C] = rowsAndChannels(x);
    const dx = m.output(x.shape);
    m.k.nas_bn_grad_input(m.ptr(x), m.ptr(dy), P, C, m.ptr(moments), m.ptr(gamma), m.ptr(beta), m.ptr(dbeta), m.ptr(dgamma), count, epsilon,
      relu ? 1 : 0, dx.ptr, m.scratch(5 * C));
    return dx.info;
  },
};

/** (runningMean, runningVariance, moments) -> [runningMean', runningVariance']. */
export const bnRunningUpdateConfig: tf.KernelConfig = {
  kernelName: BN_RUNNING_UPDATE,
  backendName: wasm,
  kernelFunc: ({ inputs, backend, attrs }) => {
    const m = moduleOf(backend);
    const { mean, variance, moments } = inputsOf(inputs, 'mean', 'variance', 'moments');
    const { momentum, unbias } = attrs as unknown as BatchNormRunningUpdateAttrs;
    const C = mean.shape[0];
    const outMean = m.output([C]);
    const outVariance = m.output([C]);
    m.k.nas_bn_running_update(m.ptr(mean), m.ptr(variance), m.ptr(moments), C, momentum, unbias, outMean.ptr, outVariance.ptr);
    return [outMean.info, outVariance.info];
  },
};
