import * as tf from '@tensorflow/tfjs';
import { NasError } from '../../core/errors';
import { inputsOf, kernelModule, type KernelModule, type WasmHeapBackend } from './kernelModule';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

/** Convolution geometry, NHWC only (the layout tfjs-layers and the engine use). */
export function convInfo(
  xShape: number[],
  filterShape: number[],
  strides: number | [number, number],
  dilations: number | [number, number] | null | undefined,
  pad: Pad,
  dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined,
  depthwise: boolean,
  dataFormat: string | undefined,
): tf.backend_util.Conv2DInfo {
  if (dataFormat === 'NCHW') throw new NasError('internal', "the wasm training kernels support dataFormat 'NHWC' only");
  // tfjs-layers passes null dilations for the default.
  return tf.backend_util.computeConv2DInfo(xShape as Shape4, filterShape as Shape4, strides, dilations ?? 1, pad, dimRoundingMode, depthwise, 'channelsLast');
}

/** True for the convolutions that are a plain matrix product: 1x1 filter, stride 1, no dilation or padding. */
export function isPointwise(info: tf.backend_util.Conv2DInfo): boolean {
  return (
    info.filterHeight === 1 &&
    info.filterWidth === 1 &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.padInfo.top === 0 &&
    info.padInfo.left === 0 &&
    info.outHeight === info.inHeight &&
    info.outWidth === info.inWidth
  );
}

/** GEMM panel width and K block of nasKernels.c. */
const NR = 8;
export const KC = 256;
/** Floats of a B operand packed into NR-wide panels. */
export const packedFloats = (K: number, N: number) => K * Math.ceil(N / NR) * NR;

/** Y = X W for a pointwise convolution (rows of X are pixels). */
function pointwiseForward(m: KernelModule, x: tf.TensorInfo, filter: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const P = info.batchSize * info.inHeight * info.inWidth;
  const { inChannels: K, outChannels: N } = info;
  const packed = m.scratch(packedFloats(K, N));
  m.k.nas_pack_b(m.ptr(filter), N, 1, K, N, packed);
  const y = m.output(info.outShape);
  m.k.nas_gemm(P, N, K, m.ptr(x), K, packed, y.ptr, N, 0);
  return y.info;
}

/** dX = dY W^T for a pointwise convolution. */
function pointwiseBackpropInput(m: KernelModule, dy: tf.TensorInfo, filter: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const P = info.batchSize * info.inHeight * info.inWidth;
  const { inChannels: N, outChannels: K } = info;
  const packed = m.scratch(packedFloats(K, N));
  m.k.nas_pack_b(m.ptr(filter), 1, K, K, N, packed);
  const dx = m.output(info.inShape);
  m.k.nas_gemm(P, N, K, m.ptr(dy), K, packed, dx.ptr, N, 0);
  return dx.info;
}

/** Rows of the im2col matrix materialised at a time by the general filter gradient. */
const IM2COL_FLOATS = 1 << 20;

/**
 * dW = im2col(X)^T dY: for pointwise convolutions X itself is the im2col matrix; otherwise it is
 * built in chunks of rows and the products accumulated.
 */
function backpropFilter(m: KernelModule, x: tf.TensorInfo, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const P = info.batchSize * info.outHeight * info.outWidth;
  const { filterHeight: KH, filterWidth: KW, inChannels: C, outChannels: N } = info;
  const M = KH * KW * C;
  const dw = m.output([KH, KW, C, N]);
  if (isPointwise(info)) {
    m.k.nas_gemm_at(M, N, P, m.ptr(x), M, m.ptr(dy), N, 1, dw.ptr, N, 0, m.scratch(packedFloats(KC, N)));
    return dw.info;
  }
  const rows = Math.max(1, Math.min(P, Math.floor(IM2COL_FLOATS / M)));
  const packFloats = packedFloats(KC, N);
  const scratch = m.scratch(packFloats + rows * M);
  const cols = scratch + packFloats * 4;
  const xPtr = m.ptr(x);
  const dyPtr = m.ptr(dy);
  const { top, left } = info.padInfo;
  for (let p0 = 0; p0 < P; p0 += rows) {
    const p1 = Math.min(P, p0 + rows);
    m.k.nas_im2col(xPtr, info.inHeight, info.inWidth, C, KH, KW, info.strideHeight, info.strideWidth, top, left,
      info.dilationHeight, info.dilationWidth, info.outHeight, info.outWidth, p0, p1, cols);
    m.k.nas_gemm_at(M, N, p1 - p0, cols, M, dyPtr + p0 * N * 4, N, 1, dw.ptr, N, p0 > 0 ? 1 : 0, scratch);
  }
  if (P === 0) m.k.nas_gemm_at(M, N, 0, cols, M, dyPtr, N, 1, dw.ptr, N, 0, scratch);
  return dw.info;
}

function moduleOf(backend: object): KernelModule {
  return kernelModule(backend as WasmHeapBackend);
}

/** Conv2D: pointwise convolutions through the GEMM kernel, others through the original wasm kernel. */
export function conv2dConfig(original: tf.KernelConfig): tf.KernelConfig {
  return {
    ...original,
    kernelFunc: (args) => {
      const { x, filter } = inputsOf(args.inputs, 'x', 'filter');
      const a = args.attrs as unknown as tf.Conv2DAttrs;
      const info = convInfo(x.shape, filter.shape, a.strides, a.dilations, a.pad, a.dimRoundingMode, false, a.dataFormat);
      return isPointwise(info) ? pointwiseForward(moduleOf(args.backend), x, filter, info) : original.kernelFunc(args);
    },
  };
}

/** Conv2DBackpropInput: pointwise convolutions through the GEMM kernel (the wasm one is slow there). */
export function conv2dBackpropInputConfig(original: tf.KernelConfig): tf.KernelConfig {
  return {
    ...original,
    kernelFunc: (args) => {
      const { dy, filter } = inputsOf(args.inputs, 'dy', 'filter');
      const a = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
      const info = convInfo(a.inputShape, filter.shape, a.strides, 1, a.pad, a.dimRoundingMode, false, a.dataFormat);
      return isPointwise(info) ? pointwiseBackpropInput(moduleOf(args.backend), dy, filter, info) : original.kernelFunc(args);
    },
  };
}

/** Conv2DBackpropFilter, which tfjs-backend-wasm lacks. */
export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { x, dy } = inputsOf(args.inputs, 'x', 'dy');
    const a = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const info = convInfo(x.shape, a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode, false, a.dataFormat);
    return backpropFilter(moduleOf(args.backend), x, dy, info);
  },
};
