import * as tf from '@tensorflow/tfjs';
import { NasError } from '../../core/errors';
import { convInfo } from './convKernels';
import { inputsOf, kernelModule, type KernelModule, type WasmHeapBackend } from './kernelModule';

/** The argument list shared by the depthwise kernels after the two data pointers. */
function geometry(info: tf.backend_util.Conv2DInfo): [number, number, number, number, number, number, number, number, number, number, number, number] {
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
    info.outHeight,
    info.outWidth,
  ];
}

/** Depthwise kernels handle dilation 1 (tfjs' depthwise gradients require it too). */
function undilated(info: tf.backend_util.Conv2DInfo): boolean {
  return info.dilationHeight === 1 && info.dilationWidth === 1;
}

function requireUndilated(info: tf.backend_util.Conv2DInfo, kernel: string): tf.backend_util.Conv2DInfo {
  if (!undilated(info)) throw new NasError('backend', `${kernel} on wasm supports dilation 1 only`);
  return info;
}

function forward(m: KernelModule, x: tf.TensorInfo, filter: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const y = m.output(info.outShape);
  const [N, H, W, C, KH, KW, SH, SW, PT, PL, OH, OW] = geometry(info);
  const multiplier = info.outChannels / info.inChannels;
  if (multiplier === 1) m.k.nas_dw_forward(m.ptr(x), N, H, W, C, m.ptr(filter), KH, KW, SH, SW, PT, PL, OH, OW, y.ptr);
  else m.k.nas_dwm_forward(m.ptr(x), N, H, W, C, multiplier, m.ptr(filter), KH, KW, SH, SW, PT, PL, OH, OW, y.ptr);
  return y.info;
}

function backpropInput(m: KernelModule, dy: tf.TensorInfo, filter: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const dx = m.output(info.inShape);
  const [N, H, W, C, KH, KW, SH, SW, PT, PL, OH, OW] = geometry(info);
  const multiplier = info.outChannels / info.inChannels;
  if (multiplier === 1) m.k.nas_dw_backprop_input(m.ptr(dy), N, H, W, C, m.ptr(filter), KH, KW, SH, SW, PT, PL, OH, OW, dx.ptr);
  else m.k.nas_dwm_backprop_input(m.ptr(dy), N, H, W, C, multiplier, m.ptr(filter), KH, KW, SH, SW, PT, PL, OH, OW, dx.ptr);
  return dx.info;
}

function backpropFilter(m: KernelModule, x: tf.TensorInfo, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const df = m.output(info.filterShape);
  const [N, H, W, C, KH, KW, SH, SW, PT, PL, OH, OW] = geometry(info);
  const multiplier = info.outChannels / info.inChannels;
  if (multiplier === 1) m.k.nas_dw_backprop_filter(m.ptr(x), N, H, W, C, m.ptr(dy), KH, KW, SH, SW, PT, PL, OH, OW, df.ptr);
  else m.k.nas_dwm_backprop_filter(m.ptr(x), N, H, W, C, multiplier, m.ptr(dy), KH, KW, SH, SW, PT, PL, OH, OW, df.ptr);
  return df.info;
}

function moduleOf(backend: object): KernelModule {
  return kernelModule(backend as WasmHeapBackend);
}

/** DepthwiseConv2dNative: the channel-vectorised kernel (tfjs-backend-wasm's is slow for 5x5 and 7x7). */
export function depthwiseConv2dConfig(original: tf.KernelConfig): tf.KernelConfig {
  return {
    ...original,
    kernelFunc: (args) => {
      const { x, filter } = inputsOf(args.inputs, 'x', 'filter');
      const a = args.attrs as unknown as tf.DepthwiseConv2dNativeAttrs;
      const info = convInfo(x.shape, filter.shape, a.strides, a.dilations, a.pad, a.dimRoundingMode, true, a.dataFormat);
      return undilated(info) ? forward(moduleOf(args.backend), x, filter, info) : original.kernelFunc(args);
    },
  };
}

/** DepthwiseConv2dNativeBackpropInput, which tfjs-backend-wasm lacks. */
export const depthwiseBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { dy, filter } = inputsOf(args.inputs, 'dy', 'filter');
    const a = args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
    const info = requireUndilated(
      convInfo(a.inputShape, filter.shape, a.strides, a.dilations, a.pad, a.dimRoundingMode, true, 'NHWC'),
      tf.DepthwiseConv2dNativeBackpropInput,
    );
    return backpropInput(moduleOf(args.backend), dy, filter, info);
  },
};

/** DepthwiseConv2dNativeBackpropFilter, which tfjs-backend-wasm lacks. */
export const depthwiseBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { x, dy } = inputsOf(args.inputs, 'x', 'dy');
    const a = args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
    const info = requireUndilated(
      convInfo(x.shape, a.filterShape, a.strides, a.dilations, a.pad, a.dimRoundingMode, true, 'NHWC'),
      tf.DepthwiseConv2dNativeBackpropFilter,
    );
    return backpropFilter(moduleOf(args.backend), x, dy, info);
  },
};
