import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BACKEND_NAMES, type BackendChoice, type BackendName } from '../../contract/backends';
import { NasError } from '../core/errors';
import { kernelModule, type WasmHeapBackend } from './kernels/kernelModule';
import { registerWasmTrainingKernels } from './wasmKernels';


export interface BackendInfo {
  readonly name: BackendName;
  readonly detail: string;
}

let active: BackendInfo | undefined;

/** Folder holding tfjs-backend-wasm's .wasm files: next to the bundle, else in node_modules. */
function wasmDirectory(): string {
  if (process.env.NAS_STUDIO_BUNDLED && existsSync(join(__dirname, 'tfjs-backend-wasm.wasm'))) return __dirname;
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
}

async function tryTensorflow(): Promise<boolean> {
  try {
    // Optional dependency: registers the native 'tensorflow' backend when its binary is installed.
    require('@tensorflow/tfjs-node');
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

async function tryWasm(): Promise<boolean> {
  // require, not import(): also works in training worker threads that load TypeScript through tsx's require hook.
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
  const dir = wasmDirectory();
  wasm.setWasmPaths({
    'tfjs-backend-wasm.wasm': join(dir, 'tfjs-backend-wasm.wasm'),
    'tfjs-backend-wasm-simd.wasm': join(dir, 'tfjs-backend-wasm-simd.wasm'),
    'tfjs-backend-wasm-threaded-simd.wasm': join(dir, 'tfjs-backend-wasm-threaded-simd.wasm'),
  });
  registerWasmTrainingKernels();
  return tf.setBackend('wasm');
}

/** SIMD support of tfjs-backend-wasm and which build of the training kernels runs on it. */
function wasmDetail(): string {
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? ', SIMD' : '';
  const kernels = kernelModule(tf.backend() as unknown as WasmHeapBackend).fma ? 'relaxed-SIMD FMA' : 'SIMD128';
  return `${simd}, training kernels: ${kernels}`;
}

/**
 * Selects and initializes the TensorFlow.js backend once per process.
 * 'auto' prefers tfjs-node ('tensorflow') when installed, then 'wasm', then 'cpu'.
 */
export async function initBackend(choice: BackendChoice = 'auto'): Promise<BackendInfo> {
  if (active && (choice === 'auto' || choice === active.name)) return active;
  // Production mode skips tfjs's debug checks and its console banner.
  tf.enableProdMode();
  const order: readonly BackendName[] = choice === 'auto' ? BACKEND_NAMES : [choice];
  for (const name of order) {
    const ok = name === 'tensorflow' ? await tryTensorflow() : name === 'wasm' ? await tryWasm() : await tf.setBackend('cpu');
    if (ok) {
      await tf.ready();
      active = { name, detail: `TensorFlow.js ${tf.version.tfjs}, backend '${name}'${name === 'wasm' ? wasmDetail() : ''}` };
      return active;
    }
  }
  throw new NasError('unavailable', `TensorFlow.js backend '${choice}' is not available` + (choice === 'tensorflow' ? ' (install @tensorflow/tfjs-node)' : ''));
}

