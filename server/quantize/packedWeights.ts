/**
 * Weights packed at their chosen bit widths: what the quantized model's kernels take on a device
 * that stores b-bit codes. Each layer's codes (a linear grid's levels shifted to start at 0, or
 * k-means labels) are packed `bits` at a time, least significant bit first, from a byte boundary;
 * the grid (scale and minimum, two float32) or the codebook (float32 centroids) follows them.
 */
import { codeOffset, gridMinimum, type LayerQuantization } from './layerQuantization';

/** Where one layer's data sits in the packed file, and how to decode it. */
export interface PackedLayer {
  readonly name: string;
  readonly bits: number;
  readonly count: number;
  readonly offset: number;
  /** Bytes of codes, then of the grid or codebook. */
  readonly codeBytes: number;
  readonly tableBytes: number;
}

export function codesOf(q: LayerQuantization): Uint32Array {
  if (q.kind === 'kmeans') return Uint32Array.from(q.codebook.labels);
  const offset = codeOffset(q.grid);
  return Uint32Array.from(q.levels, (k) => k + offset);
}

/** n codes of `bits` bits each, LSB first. */
export function packCodes(codes: ArrayLike<number>, bits: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((codes.length * bits) / 8));
  let bit = 0;
  for (let i = 0; i < codes.length; i++) {
    for (let b = 0; b < bits; b++, bit++) if ((codes[i] >>> b) & 1) out[bit >> 3] |= 1 << (bit & 7);
  }
  return out;
}

export function unpackCodes(bytes: Uint8Array, bits: number, count: number): Uint32Array {
  const out = new Uint32Array(count);
  let bit = 0;
  for (let i = 0; i < count; i++) {
    let code = 0;
    for (let b = 0; b < bits; b++, bit++) code |= ((bytes[bit >> 3] >>> (bit & 7)) & 1) << b;
    out[i] = code >>> 0;
  }
  return out;
}

/** The grid's scale and minimum, or the codebook, as float32. */
function tableOf(q: LayerQuantization): Float32Array {
  return q.kind === 'kmeans' ? q.codebook.centroids : Float32Array.from([q.grid.step, gridMinimum(q.grid)]);
}

/** The packed file's bytes and its layout. */
export function packWeights(layers: readonly { readonly name: string; readonly quantization: LayerQuantization }[]): { bytes: Uint8Array; layout: PackedLayer[] } {
  const parts: Uint8Array[] = [];
  const layout: PackedLayer[] = [];
  let offset = 0;
  for (const { name, quantization } of layers) {
    const values = codesOf(quantization);
    const codes = packCodes(values, quantization.bits);
    const table = new Uint8Array(tableOf(quantization).buffer.slice(0));
    layout.push({ name, bits: quantization.bits, count: values.length, offset, codeBytes: codes.length, tableBytes: table.length });
    parts.push(codes, table);
    offset += codes.length + table.length;
  }
  const bytes = new Uint8Array(offset);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return { bytes, layout };
}

/** One layer's weights decoded from the packed file (what a reader of the format does). */
export function unpackLayer(bytes: Uint8Array, layer: PackedLayer, kind: 'linear' | 'kmeans'): Float32Array {
  const codes = unpackCodes(bytes.subarray(layer.offset, layer.offset + layer.codeBytes), layer.bits, layer.count);
  const tableStart = layer.offset + layer.codeBytes;
  const table = new Float32Array(bytes.slice(tableStart, tableStart + layer.tableBytes).buffer);
  return kind === 'kmeans' ? Float32Array.from(codes, (c) => table[c]) : Float32Array.from(codes, (c) => c * table[0] + table[1]);
}
