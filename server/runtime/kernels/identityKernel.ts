import type * as tf from '@tensorflow/tfjs';
import { inputsOf } from './kernelModule';

interface RefCountingBackend {
  incRef(dataId: object): void;
}

/**
 * Identity sharing the input's buffer (as tfjs-backend-cpu does) instead of copying it: tfjs clones
 * every tensor it saves for the backward pass, and wasm's copying Identity made that a full memory
 * pass per saved activation. Safe because tfjs tensors are immutable (variables swap buffers).
 */
export function identityConfig(original: tf.KernelConfig): tf.KernelConfig {
  return {
    ...original,
    kernelFunc: ({ inputs, backend }) => {
      const { x } = inputsOf(inputs, 'x');
      if (x.dtype === 'string') return original.kernelFunc({ inputs, backend, attrs: {} });
      (backend as RefCountingBackend).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  };
}
