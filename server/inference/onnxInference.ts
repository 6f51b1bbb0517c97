import type * as tf from '@tensorflow/tfjs';
import type { InferenceSession } from 'onnxruntime-node';
import { layersToGraph, UnsupportedLayerError } from '../deploy/layersToGraph';
import { onnxModelBytes } from '../deploy/onnxModel';
import { loadOnnxRuntime, type OnnxRuntime } from '../runtime/onnxRuntime';

/**
 * A trained TF.js Layers model run by ONNX Runtime: the model is exported to ONNX in memory (the
 * same exporter as `nas-studio export --format onnx`) and ONNX Runtime fuses convolution, batch
 * norm and activation and runs native CPU kernels (AVX2/AVX-512 where the CPU has them; WebAssembly
 * SIMD is 128 bits wide). Inputs are NHWC, as TF.js takes them; the export is channels-first, so
 * they are transposed on the way in.
 */
export class OnnxInference {
  private constructor(
    private readonly ort: OnnxRuntime,
    private readonly session: InferenceSession,
    /** [height, width, channels] of one input. */
    private readonly shape: readonly [number, number, number],
  ) {}

  /**
   * The model in an ONNX Runtime session with `threads` threads, or why not: onnxruntime-node is
   * optional, and a model with a layer the exporter does not cover stays with TF.js.
   */
  static async compile(model: tf.LayersModel, threads: number): Promise<OnnxInference | { readonly unavailable: string }> {
    const ort = loadOnnxRuntime();
    if ('unavailable' in ort) return ort;
    const [, h, w, c] = model.inputs[0].shape;
    if (model.inputs.length !== 1 || h === null || w === null || c === null || h === undefined || w === undefined || c === undefined) return { unavailable: 'the model does not take one image input of fixed size' };
    let bytes: Uint8Array;
    try {
      bytes = onnxModelBytes(layersToGraph(model), { name: 'NAS Studio', version: '0.1.0' });
    } catch (e) {
      if (e instanceof UnsupportedLayerError) return { unavailable: e.message };
      throw e;
    }
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
    return new OnnxInference(ort, session, [h, w, c]);
  }

  /** The model's output for `batch` NHWC images, row after row. */
  async predict(images: Float32Array, batch: number): Promise<Float32Array> {
    const [h, w, c] = this.shape;
    const pixels = h * w;
    if (images.length !== batch * pixels * c) throw new RangeError(`expected ${batch} images of ${h}x${w}x${c}, got ${images.length} values`);
    const planar = new Float32Array(images.length);
    for (let n = 0; n < batch; n++) {
      const base = n * pixels * c;
      for (let p = 0; p < pixels; p++) for (let k = 0; k < c; k++) planar[base + k * pixels + p] = images[base + p * c + k];
    }
    const input = new this.ort.Tensor('float32', planar, [batch, c, h, w]);
    const outputs = await this.session.run({ [this.session.inputNames[0]]: input });
    return outputs[this.session.outputNames[0]].data as Float32Array;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
