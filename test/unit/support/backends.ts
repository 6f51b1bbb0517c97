import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../server/runtime/backend';

/** Initialises 'wasm' (with the training kernels) and 'cpu' so tests can switch between them. */
export async function wasmAndCpu(): Promise<void> {
  await initBackend('wasm');
  await tf.setBackend('cpu');
  await tf.setBackend('wasm');
}

/** Runs fn on a backend and returns its tensors' values (tensors disposed). */
export async function valuesOn(backend: 'wasm' | 'cpu', fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => fn().map((t) => t.dataSync() as Float32Array));
}

/** max |a - b| / max |b|: the error of `a` relative to the magnitude of the reference `b`. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Deterministic pseudo-random values in [-1, 1). */
export function randomValues(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  return Float32Array.from({ length: n }, () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) / 2 ** 32) * 2 - 1;
  });
}
