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

export interface BatchNormAttrs {
  epsilon: number;
  relu: boolean;
}

export interface BatchNormGradInputAttrs extends BatchNormAttrs {
  /** Rows (pixels) that the batch sums cover: all replicas' rows under cross-replica batch norm. */
  count: number;
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
    m.k.nas_bn_moments(m.ptr(x), P, C, out.ptr, m.scratch(4 * C));
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

/** (x, dy, moments, gamma, beta) -> [2, C]: dbeta and dgamma over this tensor's rows. */
export const bnGradSumsConfig: tf.KernelConfig = {
  kernelName: BN_GRAD_SUMS,
  backendName: wasm,
  kernelFunc: ({ inputs, backend, attrs }) => {
    const m = moduleOf(backend);
    const { x, dy, moments, gamma, beta } = inputsOf(inputs, 'x', 'dy', 'moments', 'gamma', 'beta');
    const { epsilon, relu } = attrs as unknown as BatchNormAttrs;
    const [P, C] = rowsAndChannels(x);
    const out = m.output([2, C]);
    m.k.nas_bn_grad_sums(m.ptr(x), m.ptr(dy), P, C, m.ptr(moments), m.ptr(gamma), m.ptr(beta), epsilon, relu ? 1 : 0, out.ptr, m.scratch(6 * C));
    return out.info;
  },
};

/** (x, dy, moments, gamma, beta, sums) -> dx. */
export const bnGradInputConfig: tf.KernelConfig = {
  kernelName: BN_GRAD_INPUT,
  backendName: wasm,
  kernelFunc: ({ inputs, backend, attrs }) => {
    const m = moduleOf(backend);
    const { x, dy, moments, gamma, beta, sums } = inputsOf(inputs, 'x', 'dy', 'moments', 'gamma', 'beta', 'sums');
    const { epsilon, relu, count } = attrs as unknown as BatchNormGradInputAttrs;
    const [P, C] = rowsAndChannels(x);
    const dx = m.output(x.shape);
    m.k.nas_bn_grad_input(m.ptr(x), m.ptr(dy), P, C, m.ptr(moments), m.ptr(gamma), m.ptr(beta), m.ptr(sums), count, epsilon,
      relu ? 1 : 0, dx.ptr, m.scratch(5 * C));
    return dx.info;
  },
};
