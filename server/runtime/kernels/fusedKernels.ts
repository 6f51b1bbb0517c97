import * as tf from '@tensorflow/tfjs';
import { convInfo, packedFloats } from './convKernels';
import { inputsOf, kernelModule, type KernelModule, type WasmHeapBackend } from './kernelModule';

/**
 * Inference kernels for convolutions whose batch norm is folded into their weights: the
 * convolution, the folded shift, an optional residual and ReLU in one pass over the output (the
 * epilogue runs while each block of rows is still in cache). See server/inference/.
 */
export const PACK_B = 'NasPackB';
export const FUSED_POINTWISE = 'NasFusedPointwise';
export const FUSED_DEPTHWISE = 'NasFusedDepthwise';
export const BIAS_ACT = 'NasBiasAct';

export interface FusedAttrs {
  relu: boolean;
}

export interface FusedDepthwiseAttrs extends FusedAttrs {
  strides: [number, number];
  pad: 'same' | 'valid';
}

function moduleOf(backend: object): KernelModule {
  return kernelModule(backend as WasmHeapBackend);
}

/** 0 stands for "no residual" (tfjs never places a tensor at heap offset 0: the kernels' empty stack is there). */
function optionalPtr(m: KernelModule, t: tf.TensorInfo | undefined): number {
  return t ? m.ptr(t) : 0;
}

/** filter [K, N] (or [1, 1, K, N]) -> the GEMM's packed panels: packed once, used by every batch. */
export const packBConfig: tf.KernelConfig = {
  kernelName: PACK_B,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const m = moduleOf(backend);
    const { filter } = inputsOf(inputs, 'filter');
    const [K, N] = filter.shape.slice(-2);
    const out = m.output([packedFloats(K, N)]);
    m.k.nas_pack_b(m.ptr(filter), N, 1, K, N, out.ptr);
    return out.info;
  },
};

/** (x [..., K], packed, bias [N], residual?) -> act(x W + bias [+ residual]). */
export const fusedPointwiseConfig: tf.KernelConfig = {
  kernelName: FUSED_POINTWISE,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const m = moduleOf(backend);
    const { x, packed, bias } = inputsOf(inputs, 'x', 'packed', 'bias');
    const K = x.shape[x.shape.length - 1];
    const N = bias.shape[0];
    const rows = tf.util.sizeFromShape(x.shape) / K;
    const y = m.output([...x.shape.slice(0, -1), N]);
    m.k.nas_gemm_bias_act(rows, N, K, m.ptr(x), m.ptr(packed), y.ptr, m.ptr(bias), optionalPtr(m, inputs.residual), (attrs as unknown as FusedAttrs).relu ? 1 : 0);
    return y.info;
  },
};

/** (x NHWC, filter [kh, kw, C, 1], bias [C]) -> act(depthwise(x) + bias). */
export const fusedDepthwiseConfig: tf.KernelConfig = {
  kernelName: FUSED_DEPTHWISE,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const m = moduleOf(backend);
    const { x, filter, bias } = inputsOf(inputs, 'x', 'filter', 'bias');
    const a = attrs as unknown as FusedDepthwiseAttrs;
    const info = convInfo(x.shape, filter.shape, a.strides, 1, a.pad, undefined, true, 'NHWC');
    const y = m.output(info.outShape);
    m.k.nas_dw_forward_bias_act(m.ptr(x), info.batchSize, info.inHeight, info.inWidth, info.inChannels, m.ptr(filter), info.filterHeight, info.filterWidth,
      info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left, info.outHeight, info.outWidth, y.ptr, m.ptr(bias), a.relu ? 1 : 0);
    return y.info;
  },
};

/** (x [..., C], bias [C], residual?) -> act(x + bias [+ residual]). */
export const biasActConfig: tf.KernelConfig = {
  kernelName: BIAS_ACT,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const m = moduleOf(backend);
    const { x, bias } = inputsOf(inputs, 'x', 'bias');
    const C = bias.shape[0];
    const size = tf.util.sizeFromShape(x.shape);
    const y = m.output([...x.shape]);
    const heap = new Float32Array((m.backend.wasm.asm!.memory as WebAssembly.Memory).buffer);
    heap.copyWithin(y.ptr / 4, m.ptr(x) / 4, m.ptr(x) / 4 + size);
    m.k.nas_bias_act(y.ptr, size / C, C, m.ptr(bias), optionalPtr(m, inputs.residual), (attrs as unknown as FusedAttrs).relu ? 1 : 0);
    return y.info;
  },
};
