import type { DataType, TensorInfo } from '@tensorflow/tfjs';
import { setFlagsFromString } from 'node:v8';
import { NasError } from '../../core/errors';
import { NAS_KERNELS_FMA, NAS_KERNELS_SIMD } from './nasKernelsWasm';

/** The part of tfjs-backend-wasm's BackendWasm that the kernels use: its heap and tensor table. */
export interface WasmHeapBackend {
  readonly wasm: {
    readonly asm?: { readonly memory?: WebAssembly.Memory };
    _malloc(bytes: number): number;
    _free(pointer: number): void;
  };
  readonly dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
}

/** Exports of nasKernels.c; every pointer is a byte offset into tfjs-backend-wasm's heap. */
export interface NasKernelExports {
  nas_pack_b(B: number, rs: number, cs: number, K: number, N: number, out: number): void;
  nas_gemm(M: number, N: number, K: number, A: number, lda: number, Bp: number, C: number, ldc: number, accumulate: number): void;
  nas_gemm_bias_act(M: number, N: number, K: number, A: number, Bp: number, C: number, bias: number, R: number, relu: number): void;
  nas_bias_act(Y: number, P: number, C: number, bias: number, R: number, relu: number): void;
  nas_dw_forward_bias_act(X: number, N: number, H: number, W: number, C: number, F: number, KH: number, KW: number, SH: number, SW: number, PT: number, PL: number, OH: number, OW: number, Y: number, bias: number, relu: number): void;
  nas_gemm_at(M: number, N: number, K: number, A: number, lda: number, B: number, brs: number, bcs: number, C: number, ldc: number, accumulate: number, scratch: number): void;
  nas_im2col(X: number, H: number, W: number, C: number, KH: number, KW: number, SH: number, SW: number, PT: number, PL: number, DH: number, DW: number, OH: number, OW: number, p0: number, p1: number, out: number): void;
  nas_dw_forward(X: number, N: number, H: number, W: number, C: number, F: number, KH: number, KW: number, SH: number, SW: number, PT: number, PL: number, OH: number, OW: number, Y: number): void;
  nas_dw_backprop_input(dY: number, N: number, H: number, W: number, C: number, F: number, KH: number, KW: number, SH: number, SW: number, PT: number, PL: number, OH: number, OW: number, dX: number): void;
  nas_dw_backprop_filter(X: number, N: number, H: number, W: number, C: number, dY: number, KH: number, KW: number, SH: number, SW: number, PT: number, PL: number, OH: number, OW: number, dF: number): void;
  nas_dwm_forward(X: number, N: number, H: number, W: number, C: number, M: number, F: number, KH: number, KW: number, SH: number, SW: number, PT: number, PL: number, OH: number, OW: number, Y: number): void;
  nas_dwm_backprop_input(dY: number, N: number, H: number, W: number, C: number, M: number, F: number, KH: number, KW: number, SH: number, SW: number, PT: number, PL: number, OH: number, OW: number, dX: number): void;
  nas_dwm_backprop_filter(X: number, N: number, H: number, W: number, C: number, M: number, dY: number, KH: number, KW: number, SH: number, SW: number, PT: number, PL: number, OH: number, OW: number, dF: number): void;
  nas_bn_moments(X: number, P: number, C: number, out: number, scratch: number): void;
  nas_bn_forward(X: number, P: number, C: number, moments: number, gamma: number, beta: number, eps: number, relu: number, Y: number, scratch: number): void;
  nas_bn_grad_sums(X: number, dY: number, P: number, C: number, moments: number, gamma: number, beta: number, eps: number, relu: number, dbeta: number, dgamma: number, scratch: number): void;
  nas_bn_grad_input(X: number, dY: number, P: number, C: number, moments: number, gamma: number, beta: number, dbeta: number, dgamma: number, count: number, eps: number, relu: number, dX: number, scratch: number): void;
  nas_bn_running_update(mean: number, variance: number, moments: number, C: number, momentum: number, unbias: number, outMean: number, outVariance: number): void;
  nas_momentum_update(param: number, accum: number, grad: number, n: number, lr: number, momentum: number, weightDecay: number, gradScale: number, outParam: number, outAccum: number): void;
}

/** nasKernels.c instantiated on one wasm backend's heap, with a reusable scratch buffer. */
export class KernelModule {
  private scratchPointer = 0;
  private scratchBytes = 0;

  constructor(
    readonly backend: WasmHeapBackend,
    readonly k: NasKernelExports,
    /** True when the relaxed-SIMD build (fused multiply-add) runs. */
    readonly fma: boolean,
  ) {}

  /** Heap offset of a tensor's data. */
  ptr(t: TensorInfo): number {
    const data = this.backend.dataIdMap.get(t.dataId);
    if (!data) throw new NasError('internal', 'tensor is not on the wasm backend');
    return data.memoryOffset;
  }

  /** A float32 output tensor allocated on the heap, and its offset. */
  output(shape: number[]): { info: TensorInfo; ptr: number } {
    const info = this.backend.makeOutput(shape, 'float32');
    return { info, ptr: this.ptr(info) };
  }

  /** A scratch area of at least `floats` float32s, valid until the next call (kernels run one at a time). */
  scratch(floats: number): number {
    const bytes = Math.max(floats, 1) * 4;
    if (bytes > this.scratchBytes) {
      if (this.scratchPointer) this.backend.wasm._free(this.scratchPointer);
      this.scratchBytes = Math.max(bytes, 2 * this.scratchBytes);
      this.scratchPointer = this.backend.wasm._malloc(this.scratchBytes) >>> 0;
    }
    return this.scratchPointer;
  }
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const bytes = Buffer.from(base64, 'base64');
  return new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
}

/**
 * Whether the relaxed-SIMD build can run. Node 20's V8 (11.3) implements relaxed SIMD behind a flag
 * that later versions turn on by default; it is switched on here unless NAS_STUDIO_WASM_FMA=0.
 */
function relaxedSimdAvailable(bytes: Uint8Array<ArrayBuffer>): boolean {
  if (process.env.NAS_STUDIO_WASM_FMA === '0') return false;
  if (WebAssembly.validate(bytes)) return true;
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  return WebAssembly.validate(bytes);
}

const modules = new WeakMap<object, KernelModule>();

/** The kernel module bound to a wasm backend instance, instantiated on first use. */
export function kernelModule(backend: WasmHeapBackend): KernelModule {
  let module = modules.get(backend);
  if (!module) {
    const memory = backend.wasm.asm?.memory;
    if (!(memory instanceof WebAssembly.Memory)) {
      throw new NasError('internal', "tfjs-backend-wasm does not expose its memory: the NAS Studio training kernels cannot run on 'wasm'");
    }
    const fmaBytes = decode(NAS_KERNELS_FMA);
    const fma = relaxedSimdAvailable(fmaBytes);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(fma ? fmaBytes : decode(NAS_KERNELS_SIMD)), { env: { memory } });
    module = new KernelModule(backend, instance.exports as unknown as NasKernelExports, fma);
    modules.set(backend, module);
  }
  return module;
}

/** The named inputs of a kernel call, each required. */
export function inputsOf<K extends string>(inputs: Partial<Record<string, TensorInfo>>, ...names: K[]): Record<K, TensorInfo> {
  const out = {} as Record<K, TensorInfo>;
  for (const name of names) {
    const t = inputs[name];
    if (!t) throw new NasError('internal', `kernel input '${name}' is missing`);
    out[name] = t;
  }
  return out;
}
