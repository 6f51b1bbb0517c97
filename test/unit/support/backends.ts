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

/**
 * Largest element-wise relative error of `a` against the reference `b`: max |a - b| / (|b| + f),
 * with a floor f = 1e-3 * max |b| so that entries that cancel to ~0 (where both sides hold only
 * rounding noise) do not dominate.
 */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  const floor = 1e-3 * maxAbs(b);
  let error = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > 0) error = Math.max(error, d / (Math.abs(b[i]) + floor));
  }
  return error;
}

/** max |a - b| / max |b|: the error relative to the reference's overall magnitude. */
export function normRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return maxAbsDifference(a, b) / (maxAbs(b) || 1);
}

export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
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
