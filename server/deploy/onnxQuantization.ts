/**
 * The ONNX form of a quantized layer (opset 17): its kernel stored as integers and turned back
 * into the float kernel the layer computes with, its input activations snapped to their grid by
 * a QuantizeLinear -> DequantizeLinear pair. onnxruntime then computes what NAS Studio's
 * simulated quantization computes: the same levels, the same rounding (half to even), in float.
 */
import { create } from '@bufbuild/protobuf';
import { AttributeProto_AttributeType, AttributeProtoSchema, NodeProtoSchema, TensorProto_DataType, type NodeProto, type TensorProto } from 'onnx-buf';
import { NasError } from '../core/errors';
import { tensor } from './onnxTensor';

/** A linear grid of levels step * k, k in [-maxLevel, maxLevel] (signed) or [0, maxLevel]. */
export interface QuantizationGrid {
  readonly step: number;
  readonly maxLevel: number;
  readonly signed: boolean;
}

/** How one TF.js layer of a quantized model is quantized. */
export interface QuantizedLayer {
  /** The TF.js layer's name. */
  readonly layer: string;
  /** Linear: the kernel's values are step * k (symmetric, zero point 0); k-means: each value is a centroid of the codebook. */
  readonly weight: { readonly kind: 'linear'; readonly bits: number; readonly step: number } | { readonly kind: 'kmeans'; readonly bits: number; readonly codebook: Float32Array };
  /** The grid the layer's input activations are snapped to (absent: float inputs). */
  readonly input?: QuantizationGrid & { readonly bits: number };
}

/** Bits an int8 / uint8 holds; QuantizeLinear (opset 17) has no wider type. */
const BYTE_BITS = 8;

/** Relative distance from its level a kernel value may have (float rounding of code * scale + min), far below half a step. */
const ON_GRID = 1e-3;

function node(opType: string, inputs: string[], output: string, name: string, attributes: { name: string; i: number }[] = []): NodeProto {
  const attribute = attributes.map((a) => create(AttributeProtoSchema, { name: a.name, type: AttributeProto_AttributeType.INT, i: BigInt(a.i) }));
  return create(NodeProtoSchema, { opType, input: inputs, output: [output], name, attribute });
}

function unsupported(layer: string, why: string): NasError {
  return new NasError('invalid-request', `cannot export layer "${layer}" to ONNX: ${why}`);
}

/**
 * The kernel `values` (in the layout the ONNX op takes, shape `dims`) as integers plus the nodes
 * that decode them into the value `output`: DequantizeLinear for a linear grid (int8 at up to 8
 * bits; int32, which DequantizeLinear also takes with a zero point of 0, above), a uint8 index
 * (codebooks have at most 256 centroids) cast to int32 and gathered from the float codebook for
 * k-means. The integers are recovered from the float kernel and checked to reproduce it.
 */
export function quantizedKernel(q: QuantizedLayer, output: string, dims: readonly number[], values: Float32Array, initializers: TensorProto[]): NodeProto[] {
  const { weight } = q;
  if (weight.kind === 'linear') {
    const maxLevel = 2 ** (weight.bits - 1) - 1;
    const levels = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const k = weight.step > 0 ? Math.round(values[i] / weight.step) : 0;
      if (Math.abs(k) > maxLevel || Math.abs(values[i] - k * weight.step) > ON_GRID * weight.step) {
        throw unsupported(q.layer, `its weight ${values[i]} is not on its ${weight.bits}-bit grid (step ${weight.step}): the model does not match its policy`);
      }
      levels[i] = k;
    }
    const codes = weight.bits <= BYTE_BITS ? Int8Array.from(levels) : levels;
    const zero = weight.bits <= BYTE_BITS ? new Int8Array(1) : new Int32Array(1);
    initializers.push(tensor(`${output}_quantized`, dims, codes), tensor(`${output}_scale`, [], new Float32Array([weight.step])), tensor(`${output}_zero_point`, [], zero));
    return [node('DequantizeLinear', [`${output}_quantized`, `${output}_scale`, `${output}_zero_point`], output, `${output}_dequantize`)];
  }
  if (weight.codebook.length > 2 ** BYTE_BITS) throw unsupported(q.layer, `its codebook has ${weight.codebook.length} centroids; a uint8 index holds at most ${2 ** BYTE_BITS}`);
  const index = new Map<number, number>();
  weight.codebook.forEach((c, i) => index.set(c, i));
  const labels = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const label = index.get(values[i]);
    if (label === undefined) throw unsupported(q.layer, `its weight ${values[i]} is not in its ${weight.bits}-bit codebook: the model does not match its policy`);
    labels[i] = label;
  }
  initializers.push(tensor(`${output}_index`, dims, labels), tensor(`${output}_codebook`, [weight.codebook.length], weight.codebook));
  return [
    node('Cast', [`${output}_index`], `${output}_index_int32`, `${output}_cast`, [{ name: 'to', i: TensorProto_DataType.INT32 }]),
    node('Gather', [`${output}_codebook`, `${output}_index_int32`], output, `${output}_gather`, [{ name: 'axis', i: 0 }]),
  ];
}

/**
 * The layer's input `input` snapped to its grid, as the value `output`: Clip to the grid's range
 * (a grid of fewer than 8 bits does not fill its int8/uint8), QuantizeLinear (x / step, rounded
 * half to even, zero point 0: uint8 for a grid of non-negative levels, int8 for a symmetric one),
 * DequantizeLinear. A grid above 8 bits has no integer type at opset 17: Clip, Div, Round (also
 * half to even), Mul in float32 give the same values.
 */
export function quantizedInput(q: QuantizedLayer, input: string, output: string, initializers: TensorProto[]): NodeProto[] {
  const grid = q.input!;
  const high = grid.maxLevel * grid.step;
  initializers.push(tensor(`${output}_min`, [], new Float32Array([grid.signed ? -high : 0])), tensor(`${output}_max`, [], new Float32Array([high])), tensor(`${output}_scale`, [], new Float32Array([grid.step])));
  const clip = node('Clip', [input, `${output}_min`, `${output}_max`], `${output}_clipped`, `${output}_clip`);
  if (grid.bits > BYTE_BITS) {
    return [
      clip,
      node('Div', [`${output}_clipped`, `${output}_scale`], `${output}_levels`, `${output}_divide`),
      node('Round', [`${output}_levels`], `${output}_rounded`, `${output}_round`),
      node('Mul', [`${output}_rounded`, `${output}_scale`], output, `${output}_multiply`),
    ];
  }
  initializers.push(tensor(`${output}_zero_point`, [], grid.signed ? new Int8Array(1) : new Uint8Array(1)));
  return [
    clip,
    node('QuantizeLinear', [`${output}_clipped`, `${output}_scale`, `${output}_zero_point`], `${output}_quantized`, `${output}_quantize`),
    node('DequantizeLinear', [`${output}_quantized`, `${output}_scale`, `${output}_zero_point`], output, `${output}_dequantize`),
  ];
}
