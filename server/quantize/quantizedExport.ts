/**
 * What a quantization run gives the user (exports/): the quantized TF.js Layers model, whose
 * linearly quantized kernels are stored with TF.js's own uint8/uint16 weight quantization
 * (`quantization: {dtype, min, scale}` in model.json, decoded by stock TF.js on load) and k-means
 * kernels as float32 (TF.js has no codebook format); the weights packed at their bit widths; the
 * policy. TF.js runs all of it in float32: the model is smaller to ship, not faster.
 */
import type * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { writeFileAtomic } from '../store/atomicFile';
import { saveLayersModel, type EncodedWeights } from '../supernet/tfjsModelFiles';
import { codesOf, packWeights, type PackedLayer } from './packedWeights';
import { gridMinimum, type LayerQuantization } from './layerQuantization';
import type { ModelLayer } from './modelLayers';

export const EXPORTED_MODEL = 'model';
export const PACKED_WEIGHTS = 'weights.packed.bin';

const FLOAT_BYTES = 4;

/** Re-encodes the saved float32 weights: each linear kernel as uint8/uint16 codes with its grid. */
function quantizedEncoding(kernels: ReadonlyMap<string, LayerQuantization>): (weights: EncodedWeights) => EncodedWeights {
  return ({ specs, data }) => {
    const parts: Uint8Array[] = [];
    let read = 0;
    const out = specs.map((spec) => {
      const count = spec.shape.reduce((p, d) => p * d, 1);
      const raw = new Uint8Array(data, read, count * FLOAT_BYTES);
      read += count * FLOAT_BYTES;
      const q = kernels.get(spec.name);
      if (!q || q.kind !== 'linear') {
        parts.push(raw);
        return spec;
      }
      const codes = codesOf(q);
      const dtype = q.bits <= 8 ? 'uint8' : 'uint16';
      parts.push(new Uint8Array((dtype === 'uint8' ? Uint8Array.from(codes) : Uint16Array.from(codes)).buffer));
      return { ...spec, quantization: { dtype, min: gridMinimum(q.grid), scale: q.grid.step } } as tf.io.WeightsManifestEntry;
    });
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    return { specs: out, data: bytes.buffer };
  };
}

export interface QuantizedFiles {
  readonly modelJson: string;
  /** Bytes of weights.bin (with TF.js's quantization where the bits allow). */
  readonly modelWeightBytes: number;
  readonly packedFile: string;
  /** Bytes of the quantized kernels packed at their bit widths, grids and codebooks included. */
  readonly packedBytes: number;
  /** The same kernels as float32. */
  readonly floatBytes: number;
  readonly packedLayout: readonly PackedLayer[];
}

/** Writes the model (kernels as `quantizations` has them) and the packed weights into `dir`. */
export async function exportQuantizedModel(model: tf.LayersModel, layers: readonly ModelLayer[], quantizations: readonly LayerQuantization[], dir: string): Promise<QuantizedFiles> {
  const kernels = new Map(layers.map((l, i) => [l.layer.weights[0].originalName, quantizations[i]]));
  const { modelJson, weightBytes } = await saveLayersModel(model, join(dir, EXPORTED_MODEL), quantizedEncoding(kernels));
  const { bytes, layout } = packWeights(layers.map((l, i) => ({ name: l.name, quantization: quantizations[i] })));
  const packedFile = join(dir, PACKED_WEIGHTS);
  writeFileAtomic(packedFile, bytes);
  return { modelJson, modelWeightBytes: weightBytes, packedFile, packedBytes: bytes.length, floatBytes: layers.reduce((n, l) => n + l.weights * FLOAT_BYTES, 0), packedLayout: layout };
}
