import * as tf from '@tensorflow/tfjs';
import { KC, packedFloats } from './convKernels';
import { inputsOf, kernelModule, type WasmHeapBackend } from './kernelModule';

/**
 * BatchMatMul through nasKernels.c's GEMM for float32 operands whose batch dimensions match or are
 * 1 (others fall back to the original kernel). tfjs-backend-wasm is 5-10x slower with a transposed
 * operand, which every dense-layer gradient has (dX = dY W^T, dW = X^T dY).
 */
export function batchMatMulConfig(original: tf.KernelConfig): tf.KernelConfig {
  return {
    ...original,
    kernelFunc: (args) => {
      const { a, b } = inputsOf(args.inputs, 'a', 'b');
      const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
      if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return original.kernelFunc(args);
      const [aRows, aCols] = a.shape.slice(-2);
      const [bRows, bCols] = b.shape.slice(-2);
      const [M, K] = transposeA ? [aCols, aRows] : [aRows, aCols];
      const N = transposeB ? bRows : bCols;
      const aBatch = a.shape.slice(0, -2);
      const bBatch = b.shape.slice(0, -2);
      const aCount = tf.util.sizeFromShape(aBatch);
      const bCount = tf.util.sizeFromShape(bBatch);
      const broadcastable = aCount === 1 || bCount === 1 || tf.util.arraysEqual(aBatch, bBatch);
      if ((transposeB ? bCols : bRows) !== K || !broadcastable) return original.kernelFunc(args);

      const m = kernelModule(args.backend as WasmHeapBackend);
      const count = Math.max(aCount, bCount);
      const out = m.output([...(aCount >= bCount ? aBatch : bBatch), M, N]);
      // B's element (k, n) at B[k * brs + n * bcs].
      const [brs, bcs] = transposeB ? [1, K] : [N, 1];
      const scratch = m.scratch(packedFloats(transposeA ? KC : K, N));
      for (let i = 0; i < count; i++) {
        const aPtr = m.ptr(a) + (aCount === 1 ? 0 : i * M * K * 4);
        const bPtr = m.ptr(b) + (bCount === 1 ? 0 : i * K * N * 4);
        const cPtr = out.ptr + i * M * N * 4;
        if (transposeA) {
          m.k.nas_gemm_at(M, N, K, aPtr, M, bPtr, brs, bcs, cPtr, N, 0, scratch);
        } else {
          m.k.nas_pack_b(bPtr, brs, bcs, K, N, scratch);
          m.k.nas_gemm(M, N, K, aPtr, K, scratch, cPtr, N, 0);
        }
      }
      return out.info;
    },
  };
}
