/**
 * The quantized model a finished quantization run exported (its exports/ folder): the TF.js model
 * whose kernels hold their quantized values, policy.json (bits per layer and, for linear
 * quantization, the grid of each layer's input activations) and the packed weights (each
 * layer's grid step or k-means codebook). What an ONNX export of it needs.
 */
import type * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DataError, MissingFileError, NasError } from '../core/errors';
import { modelLayers } from '../quantize/modelLayers';
import type { PackedLayer } from '../quantize/packedWeights';
import { FLOAT_BITS } from '../quantize/quantizableLayers';
import { QuantizationSimulator } from '../quantize/quantizationSimulator';
import { EXPORTED_MODEL, PACKED_WEIGHTS } from '../quantize/quantizedExport';
import type { OnnxQuantization } from './onnxModel';
import type { QuantizationGrid, QuantizedLayer } from './onnxQuantization';

export interface QuantizedModel {
  readonly quantizer: 'linear' | 'kmeans';
  readonly layers: readonly QuantizedLayer[];
  /** Bytes of the kernels packed at their bit widths (weights.packed.bin), and as float32. */
  readonly packedBytes: number;
  readonly float32Bytes: number;
  /** The layers and the policy for the ONNX writer. */
  readonly onnx: OnnxQuantization;
  /** Range of the values the model takes (raw bytes or pixels / 255). */
  readonly inputRange: readonly [number, number];
}

interface PolicyLayer {
  readonly name: string;
  readonly weightBits: number;
  readonly activationBits: number;
  readonly inputGrid?: QuantizationGrid;
}

const POLICY = 'policy.json';
const REPORT = 'quantization.json';

function readJson(file: string): unknown {
  if (!existsSync(file)) throw new MissingFileError('the quantization run has not exported its model (it does so when it finishes)', file);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new DataError('not valid JSON', file);
  }
}

/** An exports/ folder of a quantization run: holds the model folder and the policy next to it. */
export function isQuantizationExports(dir: string): boolean {
  return [POLICY, REPORT, PACKED_WEIGHTS, join(EXPORTED_MODEL, 'model.json')].every((f) => existsSync(join(dir, f)));
}

/** The exports/ folder a TF.js model folder belongs to, when it is a quantization run's exported model. */
export function quantizationExportsOf(modelFolder: string): string | undefined {
  const parent = dirname(modelFolder);
  return basename(modelFolder) === EXPORTED_MODEL && isQuantizationExports(parent) ? parent : undefined;
}

/** Reads a quantization run's exports/ folder: what each layer's kernel and input are quantized to. */
export function readQuantizedModel(exportsDir: string): QuantizedModel {
  const policy = readJson(join(exportsDir, POLICY)) as { quantizer: 'linear' | 'kmeans'; budget: string; layers: PolicyLayer[] };
  const report = readJson(join(exportsDir, REPORT)) as { input: string; packed: { bytes: number; float32Bytes: number; layers: PackedLayer[] } };
  const packed = readFileSync(join(exportsDir, PACKED_WEIGHTS));
  const tables = new Map(report.packed.layers.map((l) => {
    const start = packed.byteOffset + l.offset + l.codeBytes;
    return [l.name, new Float32Array(packed.buffer.slice(start, start + l.tableBytes))] as const;
  }));
  const layers = policy.layers.map((l, i): QuantizedLayer => {
    const table = tables.get(l.name);
    if (!table) throw new DataError(`layer ${l.name} of ${POLICY} has no packed weights`, join(exportsDir, PACKED_WEIGHTS));
    const weight = policy.quantizer === 'kmeans' ? { kind: 'kmeans' as const, bits: l.weightBits, codebook: table } : { kind: 'linear' as const, bits: l.weightBits, step: table[0] };
    const quantizedInput = policy.quantizer === 'linear' && i > 0 && l.activationBits < FLOAT_BITS;
    if (quantizedInput && !l.inputGrid) {
      throw new NasError('invalid-request', `cannot export layer "${l.name}" to ONNX: ${POLICY} does not record the grid of its ${l.activationBits}-bit input activations (runs of NAS Studio before ONNX export of quantized models); quantize the model again`);
    }
    return { layer: l.name, weight, ...(quantizedInput ? { input: { ...l.inputGrid!, bits: l.activationBits } } : {}) };
  });
  const metadata = {
    'nas_studio.quantizer': policy.quantizer,
    'nas_studio.budget': policy.budget,
    'nas_studio.policy': JSON.stringify(policy.layers.map((l) => ({ layer: l.name, weightBits: l.weightBits, activationBits: l.activationBits }))),
    'nas_studio.packed_bytes': String(report.packed.bytes),
  };
  return {
    quantizer: policy.quantizer,
    layers,
    packedBytes: report.packed.bytes,
    float32Bytes: report.packed.float32Bytes,
    onnx: { layers: new Map(layers.map((l) => [l.layer, l])), metadata },
    inputRange: report.input.startsWith('raw') ? [0, 255] : [0, 1],
  };
}

/**
 * Makes `model` (the exported one: its kernels hold their quantized values) compute as the run
 * simulated it, its layers' inputs snapped to their grids. Returns what frees the simulator's copy
 * of the weights.
 */
export function simulateQuantizedInputs(model: tf.LayersModel, quantized: QuantizedModel): () => void {
  const layers = modelLayers(model, EXPORTED_MODEL);
  const byName = new Map(quantized.layers.map((l) => [l.layer, l.input]));
  const simulator = QuantizationSimulator.withGrids(model, layers, layers.map((l) => byName.get(l.name)));
  return () => simulator.dispose();
}
