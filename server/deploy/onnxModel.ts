import { create, toBinary } from '@bufbuild/protobuf';
import {
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  StringStringEntryProtoSchema,
  TensorProto_DataType,
  TensorShapeProto_DimensionSchema,
  TensorShapeProtoSchema,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  ValueInfoProtoSchema,
  type AttributeProto,
  type NodeProto,
  type TensorProto,
} from 'onnx-buf';
import { NasError } from '../core/errors';
import type { ExportGraph, GraphNode } from './exportGraph';
import { quantizedInput, quantizedKernel, type QuantizedLayer } from './onnxQuantization';
import { tensor } from './onnxTensor';

/** Operator set written (BatchNormalization-15, Softmax-13 over the last axis, Clip-13 with inputs). */
export const ONNX_OPSET = 17;
/** IR version 8 (ONNX 1.12) goes with opset 17 and every onnxruntime since 1.12 reads it. */
const IR_VERSION = 8n;
/** Name of the batch dimension of the input and output. */
const BATCH = 'batch';

function attribute(name: string, value: number | readonly number[]): AttributeProto {
  if (typeof value === 'number' && !Number.isInteger(value)) return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.FLOAT, f: value });
  if (typeof value === 'number') return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INT, i: BigInt(value) });
  return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INTS, ints: value.map((v) => BigInt(v)) });
}

function valueInfo(name: string, shape: readonly number[]) {
  const dim = [BATCH, ...shape].map((d) =>
    create(TensorShapeProto_DimensionSchema, { value: typeof d === 'string' ? { case: 'dimParam', value: d } : { case: 'dimValue', value: BigInt(d) } }),
  );
  const type = create(TypeProtoSchema, {
    value: { case: 'tensorType', value: create(TypeProto_TensorSchema, { elemType: TensorProto_DataType.FLOAT, shape: create(TensorShapeProtoSchema, { dim }) }) },
  });
  return create(ValueInfoProtoSchema, { name, type });
}

/** Quantized layers by TF.js layer name, and what to record about them in the model's metadata_props. */
export interface OnnxQuantization {
  readonly layers: ReadonlyMap<string, QuantizedLayer>;
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * A quantized convolution or dense layer adds its float bias in an Add node of its own: with the
 * bias inside Conv/Gemm, onnxruntime's optimizer (from ORT_ENABLE_BASIC on) would quantize it to
 * int32 at input scale x weight scale, a rounding the simulation (and HAQ) does not make.
 *
 * How a convolution or dense node reads its input and kernel: as they are, or (a quantized
 * layer) through the Q/DQ nodes written into `prelude`.
 */
function operands(node: GraphNode, initializers: TensorProto[], prelude: NodeProto[], quantized: QuantizedLayer | undefined) {
  const input = quantized?.input && quantized.input.step > 0 ? `${node.input}_${node.name}_quantized` : node.input;
  if (input !== node.input) prelude.push(...quantizedInput(quantized!, node.input, input, initializers));
  const kernel = (name: string, dims: readonly number[], values: Float32Array) => {
    if (quantized) prelude.push(...quantizedKernel(quantized, name, dims, values, initializers));
    else initializers.push(tensor(name, dims, values));
    return name;
  };
  return { input, kernel };
}

/** The ONNX nodes and weights of one graph node (weights named `<node>.weight` etc., as in PyTorch's state dict). */
function lower(node: GraphNode, rank: number, initializers: TensorProto[], quantized?: QuantizedLayer): NodeProto[] {
  const op = (opType: string, inputs: string[], outputs: string[], attributes: AttributeProto[] = [], name = node.name) =>
    create(NodeProtoSchema, { opType, input: inputs, output: outputs, name, attribute: attributes });
  const weight = (suffix: string, dims: readonly number[], values: Float32Array | BigInt64Array) => {
    const name = `${node.name}.${suffix}`;
    initializers.push(tensor(name, dims, values));
    return name;
  };
  const prelude: NodeProto[] = [];
  switch (node.op) {
    case 'conv': {
      const { input, kernel } = operands(node, initializers, prelude, quantized);
      const separateBias = quantized !== undefined && node.bias !== undefined;
      const inputs = [input, kernel(`${node.name}.weight`, node.weightShape, node.weight), ...(node.bias && !separateBias ? [weight('bias', [node.bias.length], node.bias)] : [])];
      const [, , kh, kw] = node.weightShape;
      const [top, left, bottom, right] = node.pads;
      const output = separateBias ? `${node.output}_unbiased` : node.output;
      const conv = op('Conv', inputs, [output], [attribute('kernel_shape', [kh, kw]), attribute('strides', node.strides), attribute('pads', [top, left, bottom, right]), attribute('group', node.groups)]);
      if (!separateBias) return [...prelude, conv];
      return [...prelude, conv, op('Add', [output, weight('bias', [node.bias!.length, 1, 1], node.bias!)], [node.output], [], `${node.name}_bias`)];
    }
    case 'batchNorm': {
      const c = [node.scale.length];
      const inputs = [node.input, weight('weight', c, node.scale), weight('bias', c, node.bias), weight('running_mean', c, node.mean), weight('running_var', c, node.variance)];
      return [op('BatchNormalization', inputs, [node.output], [create(AttributeProtoSchema, { name: 'epsilon', type: AttributeProto_AttributeType.FLOAT, f: node.epsilon })])];
    }
    case 'activation':
      switch (node.fn) {
        case 'relu':
          return [op('Relu', [node.input], [node.output])];
        case 'relu6':
          return [op('Clip', [node.input, weight('min', [], new Float32Array([0])), weight('max', [], new Float32Array([6]))], [node.output])];
        case 'sigmoid':
          return [op('Sigmoid', [node.input], [node.output])];
        case 'tanh':
          return [op('Tanh', [node.input], [node.output])];
        case 'softmax':
          return [op('Softmax', [node.input], [node.output], [attribute('axis', -1)])];
      }
      break;
    case 'maxPool':
      return [op('MaxPool', [node.input], [node.output], [attribute('kernel_shape', node.kernel), attribute('strides', node.strides)])];
    case 'globalAvgPool': {
      const pooled = `${node.output}_4d`;
      return [op('GlobalAveragePool', [node.input], [pooled]), op('Flatten', [pooled], [node.output], [attribute('axis', 1)], `${node.name}_flatten`)];
    }
    case 'flatten':
      return [op('Flatten', [node.input], [node.output], [attribute('axis', 1)])];
    case 'dense': {
      // Gemm (transB: weights [out, in]) for [N, features]; MatMul over the last axis otherwise.
      const { input, kernel } = operands(node, initializers, prelude, quantized);
      if (rank !== 2) return [...prelude, ...denseOverLastAxis(node, input, kernel, initializers)];
      const w = kernel(`${node.name}.weight`, node.weightShape, node.weight);
      if (quantized && node.bias) {
        const product = `${node.output}_unbiased`;
        return [...prelude, op('Gemm', [input, w], [product], [attribute('transB', 1)]), op('Add', [product, weight('bias', [node.bias.length], node.bias)], [node.output], [], `${node.name}_bias`)];
      }
      const b = node.bias ? [weight('bias', [node.bias.length], node.bias)] : [];
      return [...prelude, op('Gemm', [input, w, ...b], [node.output], [attribute('transB', 1)])];
    }
    case 'transpose':
      return [op('Transpose', [node.input], [node.output], [attribute('perm', node.perm)])];
    case 'add':
      return [op('Add', [node.input, node.other], [node.output])];
  }
  return [];
}

/**
 * Serializes an ExportGraph as an ONNX model (opset 17, float32, batch dimension named
 * `batch`): input `input` [batch, C, H, W], output `output`; weights are initializers named as
 * PyTorch names the same parameters. With `quantization`, its layers are written with Q/DQ
 * nodes (onnxQuantization.ts) and its metadata goes into metadata_props; a quantized layer the
 * graph does not hold as a convolution or dense node is an error naming it.
 */
export function onnxModelBytes(graph: ExportGraph, producer: { name: string; version: string; docString?: string }, quantization?: OnnxQuantization): Uint8Array {
  const initializers: TensorProto[] = [];
  const ranks = new Map<string, number>([[graph.input, graph.inputShape.length + 1]]);
  const nodes: NodeProto[] = [];
  const unused = new Set(quantization?.layers.keys());
  for (const node of graph.nodes) {
    const rank = ranks.get(node.input) ?? 2;
    const layer = node.op === 'conv' || node.op === 'dense' ? node.layer : undefined;
    const quantized = layer !== undefined ? quantization?.layers.get(layer) : undefined;
    if (layer !== undefined) unused.delete(layer);
    nodes.push(...lower(node, rank, initializers, quantized));
    ranks.set(node.output, outputRank(node, rank));
  }
  const [missing] = unused;
  if (missing !== undefined) throw new NasError('invalid-request', `cannot export layer "${missing}" to ONNX: it is quantized, but the exported graph has no convolution or dense layer of that name`);
  const onnxGraph = create(GraphProtoSchema, {
    name: 'nas_studio_model',
    node: nodes,
    initializer: initializers,
    input: [valueInfo(graph.input, graph.inputShape)],
    output: [valueInfo(graph.output, graph.outputShape)],
  });
  const model = create(ModelProtoSchema, {
    irVersion: IR_VERSION,
    opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(ONNX_OPSET) })],
    producerName: producer.name,
    producerVersion: producer.version,
    docString: producer.docString ?? '',
    graph: onnxGraph,
    metadataProps: Object.entries(quantization?.metadata ?? {}).map(([key, value]) => create(StringStringEntryProtoSchema, { key, value })),
  });
  return toBinary(ModelProtoSchema, model);
}

function outputRank(node: GraphNode, rank: number): number {
  return node.op === 'globalAvgPool' || node.op === 'flatten' ? 2 : rank;
}

/** A dense layer applied to the last axis of a rank > 2 value: MatMul with [in, out], then Add. */
function denseOverLastAxis(node: Extract<GraphNode, { op: 'dense' }>, input: string, kernel: (name: string, dims: readonly number[], values: Float32Array) => string, initializers: TensorProto[]): NodeProto[] {
  const [units, features] = node.weightShape;
  const transposed = new Float32Array(node.weight.length);
  for (let o = 0; o < units; o++) for (let i = 0; i < features; i++) transposed[i * units + o] = node.weight[o * features + i];
  const w = kernel(`${node.name}.weight_t`, [features, units], transposed);
  const product = node.bias ? `${node.output}_matmul` : node.output;
  const nodes = [create(NodeProtoSchema, { opType: 'MatMul', input: [input, w], output: [product], name: node.name })];
  if (node.bias) {
    const b = `${node.name}.bias`;
    initializers.push(tensor(b, [units], node.bias));
    nodes.push(create(NodeProtoSchema, { opType: 'Add', input: [product, b], output: [node.output], name: `${node.name}_bias` }));
  }
  return nodes;
}
