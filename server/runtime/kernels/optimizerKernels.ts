import * as tf from '@tensorflow/tfjs';
import { inputsOf, kernelModule, type WasmHeapBackend } from './kernelModule';

/** One fused SGD-with-momentum update of a variable (see nas_momentum_update in nasKernels.c). */
export const MOMENTUM_UPDATE = 'NasMomentumUpdate';

export interface MomentumUpdateAttrs {
  learningRate: number;
  momentum: number;
  weightDecay: number;
  /** Multiplies the gradient first (1 / replicas when `grad` is a sum over replicas). */
  gradScale: number;
  /** Element offset of this variable's gradient inside `grad` (a flat vector of all gradients). */
  offset: number;
}

/** (param, accum, grad) -> [param', accum']. */
export const momentumUpdateConfig: tf.KernelConfig = {
  kernelName: MOMENTUM_UPDATE,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const m = kernelModule(backend as WasmHeapBackend);
    const { param, accum, grad } = inputsOf(inputs, 'param', 'accum', 'grad');
    const a = attrs as unknown as MomentumUpdateAttrs;
    const n = tf.util.sizeFromShape(param.shape);
    const outParam = m.output(param.shape);
    const outAccum = m.output(param.shape);
    m.k.nas_momentum_update(m.ptr(param), m.ptr(accum), m.ptr(grad) + a.offset * 4, n, a.learningRate, a.momentum, a.weightDecay, a.gradScale, outParam.ptr, outAccum.ptr);
    return [outParam.info, outAccum.info];
  },
};
