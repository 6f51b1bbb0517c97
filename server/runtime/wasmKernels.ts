import * as tf from '@tensorflow/tfjs';
import { bnForwardConfig, bnGradInputConfig, bnGradSumsConfig, bnMomentsConfig, bnRunningUpdateConfig } from './kernels/batchNormKernels';
import { conv2dBackpropFilterConfig, conv2dBackpropInputConfig, conv2dConfig } from './kernels/convKernels';
import { biasActConfig, fusedDepthwiseConfig, fusedPointwiseConfig, packBConfig } from './kernels/fusedKernels';
import { identityConfig } from './kernels/identityKernel';
import { batchMatMulConfig } from './kernels/matMulKernel';
import { momentumUpdateConfig } from './kernels/optimizerKernels';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig, depthwiseConv2dConfig } from './kernels/depthwiseKernels';

/** Replaces a kernel tfjs-backend-wasm registered with one that falls back to it for cases it does not cover. */
function override(name: string, make: (original: tf.KernelConfig) => tf.KernelConfig): void {
  const original = tf.getKernel(name, 'wasm');
  if (!original) return;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel(make(original));
}

let registered = false;

/**
 * Registers the kernels that make convolutional networks train fast on tfjs 'wasm', all running
 * in nasKernels.c (WebAssembly SIMD on tfjs' own heap): the gradient kernels tfjs-backend-wasm lacks
 * (Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter/-Input), faster pointwise Conv2D,
 * Conv2DBackpropInput, BatchMatMul and depthwise forward, a copy-free Identity, and the batch-norm and optimizer
 * kernels of server/training.
 * Call after importing @tensorflow/tfjs-backend-wasm and before tf.setBackend('wasm').
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  override(tf.Conv2D, conv2dConfig);
  override(tf.Conv2DBackpropInput, conv2dBackpropInputConfig);
  override(tf.DepthwiseConv2dNative, depthwiseConv2dConfig);
  override(tf.Identity, identityConfig);
  override(tf.BatchMatMul, batchMatMulConfig);
  for (const config of [
    conv2dBackpropFilterConfig,
    depthwiseBackpropInputConfig,
    depthwiseBackpropFilterConfig,
    bnMomentsConfig,
    bnForwardConfig,
    bnGradSumsConfig,
    bnGradInputConfig,
    bnRunningUpdateConfig,
    momentumUpdateConfig,
    packBConfig,
    fusedPointwiseConfig,
    fusedDepthwiseConfig,
    biasActConfig,
  ]) {
    tf.registerKernel(config);
  }
}
