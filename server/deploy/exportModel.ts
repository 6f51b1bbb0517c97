import * as tf from '@tensorflow/tfjs';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ExportCheck, ExportFormat, ModelExport } from '../../contract/modelExport';
import { NasError } from '../core/errors';
import { writeFileAtomic } from '../store/atomicFile';
import { loadLayersModel, saveLayersModel } from '../supernet/tfjsModelFiles';
import { layersToGraph } from './layersToGraph';
import { onnxModelBytes } from './onnxModel';
import { PYTORCH_WEIGHTS_FILE, pytorchModel } from './pytorchModel';
import { runOnnx, runPytorch } from './exportRuntimes';
import type { ExportGraph } from './exportGraph';
import { simulateQuantizedInputs, type QuantizedModel } from './quantizedSource';

/** What a model is, for the files' documentation. */
export interface ModelDescription {
  /** One line: "trial 3 of quickstart-20261206-101500: conv(16,3)x2 ...". */
  readonly title: string;
  /** What the input holds, e.g. "raw pixel values 0..255". */
  readonly input: string;
  readonly output: string;
  /** Range of the random inputs the export is checked on (default: standard normal values). */
  readonly inputRange?: readonly [number, number];
}

/** Inputs the export is checked on. */
const CHECKED_INPUTS = 4;

/** Largest |a - b| over two outputs of the same shape. */
export function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/** Channels-first copy of NHWC images (the layout ONNX and PyTorch exports take). */
export function toChannelsFirst(images: tf.Tensor): Float32Array {
  return tf.tidy(() => (images.rank === 4 ? tf.transpose(images, [0, 3, 1, 2]) : images).dataSync() as Float32Array);
}

function sampleInputs(model: tf.LayersModel, range?: readonly [number, number]): tf.Tensor {
  const shape = [CHECKED_INPUTS, ...(model.inputs[0].shape.slice(1) as number[])];
  return range ? tf.randomUniform(shape, range[0], range[1], 'float32', 7) : tf.randomNormal(shape, 0, 1, 'float32', 7);
}

async function check(model: tf.LayersModel, format: ExportFormat, dir: string, file: string, range?: readonly [number, number], quantized?: QuantizedModel): Promise<ExportCheck> {
  const x = sampleInputs(model, range);
  const release = quantized ? simulateQuantizedInputs(model, quantized) : undefined;
  try {
    const expected = tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync() as Float32Array);
    if (format === 'tfjs') {
      const reloaded = await loadLayersModel(dir);
      const output = tf.tidy(() => (reloaded.predict(x) as tf.Tensor).dataSync() as Float32Array);
      reloaded.dispose();
      return { runtime: `TensorFlow.js ${tf.version.tfjs} (reloaded)`, inputs: CHECKED_INPUTS, maxDifference: maxDifference(output, expected) };
    }
    const shape = x.rank === 4 ? [0, 3, 1, 2].map((a) => x.shape[a]) : x.shape;
    const run = format === 'onnx' ? await runOnnx(file, toChannelsFirst(x), shape) : runPytorch(file, toChannelsFirst(x), shape);
    if ('unavailable' in run) return { skipped: run.unavailable };
    return { runtime: run.runtime, inputs: CHECKED_INPUTS, maxDifference: maxDifference(run.output, expected) };
  } finally {
    x.dispose();
    release?.();
  }
}

/** Writes the graph in one of the lowered formats; returns the main file and all files. */
function writeLowered(graph: ExportGraph, format: 'onnx' | 'pytorch', dir: string, about: ModelDescription, quantized?: QuantizedModel): string[] {
  if (format === 'onnx') {
    const file = join(dir, 'model.onnx');
    writeFileAtomic(file, onnxModelBytes(graph, { name: 'NAS Studio', version: '0.1.0', docString: `${about.title}. Input: ${about.input}, channels first. Output: ${about.output}.` }, quantized?.onnx));
    return [file];
  }
  const { source, weights } = pytorchModel(graph, about);
  const [py, bin] = [join(dir, 'model.py'), join(dir, PYTORCH_WEIGHTS_FILE)];
  writeFileAtomic(bin, weights);
  writeFileAtomic(py, source);
  return [py, bin];
}

/**
 * Exports a TF.js Layers model to `dir` as ONNX, TF.js or PyTorch, then checks the files: runs
 * them (onnxruntime, PyTorch, TF.js after reloading) on random inputs and compares their
 * outputs with the model's. The check is skipped, and says why, when the runtime is missing.
 * A layer the format cannot express fails with an error naming it, before anything is written.
 * A `quantized` model (a quantization run's) exports to ONNX only, with Q/DQ nodes, and is
 * checked against the model computing as the run simulated it (inputs snapped to their grids).
 */
export async function exportModel(model: tf.LayersModel, format: ExportFormat, dir: string, about: ModelDescription, quantized?: QuantizedModel): Promise<ModelExport> {
  if (quantized && format !== 'onnx') {
    throw new NasError('invalid-request', `a quantized model exports to ONNX only (QuantizeLinear/DequantizeLinear nodes); its TF.js model is the run's exports/model, and ${format === 'pytorch' ? 'PyTorch has no export of quantized models here' : 'it is already TF.js'}`);
  }
  const graph = format === 'tfjs' ? undefined : layersToGraph(model);
  mkdirSync(dir, { recursive: true });
  let files: string[];
  if (graph && format !== 'tfjs') {
    files = writeLowered(graph, format, dir, about, quantized);
  } else {
    const { modelJson } = await saveLayersModel(model, dir);
    files = [modelJson, join(dir, 'weights.bin')];
  }
  const inputShape = graph ? graph.inputShape : (model.inputs[0].shape.slice(1) as number[]);
  const outputShape = graph ? graph.outputShape : (model.outputs[0].shape.slice(1) as number[]);
  const checked = await check(model, format, dir, files[0], quantized?.inputRange ?? about.inputRange, quantized);
  const quantization = quantized ? { quantizer: quantized.quantizer, packedBytes: quantized.packedBytes, float32Bytes: quantized.float32Bytes, fileBytes: statSync(files[0]).size } : undefined;
  return { format, dir, file: files[0], files, inputShape, outputShape, check: checked, ...(quantization ? { quantization } : {}) };
}
