import * as tf from '@tensorflow/tfjs';
import { NasError } from '../../core/errors';
import { convInfo } from './convKernels';
import { inputsOf, kernelModule, type KernelModule, type WasmHeapBackend } from './kernelModule';

/** Depthwise kernels handle dilation 1 (tfjs' depthwise gradients require it too). */
function undilated(info: tf.backend_util.Conv2DInfo): boolean {
  return info.dilationHeight === 1 && info.dilationWidth === 1;
}

function requireUndilated(info: tf.backend_util.Conv2DInfo, kernel: string): tf.backend_util.Conv2DInfo {
  if (!undilated(info)) throw new NasError('internal', `${kernel} on wasm supports dilation 1 only`);
  return info;
}

/** nasKernels.c functions of one depthwise computation: channel multiplier 1, and any multiplier. */
const FUNCTIONS = {
  forward: ['nas_dw_forward', 'nas_dwm_forward'],
  backpropInput: ['nas_dw_backprop_input', 'nas_dwm_backprop_input'],
  backpropFilter: ['nas_dw_backprop_filter', 'nas_dwm_backprop_filter'],
} as const;

/**
 * Runs one depthwise computation into a new tensor of `outShape`. Every function takes
 * (first, N, H, W, C, [multiplier,] second, KH, KW, SH, SW, PT, PL, OH, OW, out).
 */
function depthwise(
  m: KernelModule,
  which: keyof typeof FUNCTIONS,
  first: tf.TensorInfo,
  second: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  outShape: number[],
): tf.TensorInfo {
  const out = m.output(outShape);
  const multiplier = info.outChannels / info.inChannels;
  const head = [m.ptr(first), info.batchSize, info.inHeight, info.inWidth, info.inChannels] as const;
  const tail = [m.ptr(second), info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left, info.outHeight, info.outWidth, out.ptr] as const;
  const [single, multi] = FUNCTIONS[which];
  if (multiplier === 1) m.k[single](...head, ...tail);
  else m.k[multi](...head, multiplier, ...tail);
  return out.info;
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
      return undilated(info) ? depthwise(moduleOf(args.backend), 'forward', x, filter, info, info.outShape) : original.kernelFunc(args);
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
    return depthwise(moduleOf(args.backend), 'backpropInput', dy, filter, info, info.inShape);
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
    return depthwise(moduleOf(args.backend), 'backpropFilter', x, dy, info, info.filterShape);
  },
};
