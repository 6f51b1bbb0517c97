import { create, toBinary } from '@bufbuild/protobuf';
import {
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  TensorProto_DataType,
  TensorProtoSchema,
  TensorShapeProto_DimensionSchema,
  TensorShapeProtoSchema,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  ValueInfoProtoSchema,
  type AttributeProto,
  type NodeProto,
  type TensorProto,
} from 'onnx-buf';
import type { ExportGraph, GraphNode } from './exportGraph';

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

function tensor(name: string, dims: readonly number[], values: Float32Array | BigInt64Array): TensorProto {
  const bytes = new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength) as ArrayBuffer);
  const dataType = values instanceof Float32Array ? TensorProto_DataType.FLOAT : TensorProto_DataType.INT64;
  return create(TensorProtoSchema, { name, dims: dims.map((d) => BigInt(d)), dataType, rawData: bytes });
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

/** The ONNX nodes and weights of one graph node (weights named `<node>.weight` etc., as in PyTorch's state dict). */
function lower(node: GraphNode, rank: number, initializers: TensorProto[]): NodeProto[] {
  const op = (opType: string, inputs: string[], outputs: string[], attributes: AttributeProto[] = [], name = node.name) =>
    create(NodeProtoSchema, { opType, input: inputs, output: outputs, name, attribute: attributes });
  const weight = (suffix: string, dims: readonly number[], values: Float32Array | BigInt64Array) => {
    const name = `${node.name}.${suffix}`;
    initializers.push(tensor(name, dims, values));
    return name;
  };
  switch (node.op) {
    case 'conv': {
      const inputs = [node.input, weight('weight', node.weightShape, node.weight), ...(node.bias ? [weight('bias', [node.bias.length], node.bias)] : [])];
      const [, , kh, kw] = node.weightShape;
      const [top, left, bottom, right] = node.pads;
      return [op('Conv', inputs, [node.output], [attribute('kernel_shape', [kh, kw]), attribute('strides', node.strides), attribute('pads', [top, left, bottom, right]), attribute('group', node.groups)])];
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
      if (rank !== 2) return denseOverLastAxis(node, initializers);
      const w = weight('weight', node.weightShape, node.weight);
      const b = node.bias ? [weight('bias', [node.bias.length], node.bias)] : [];
      return [op('Gemm', [node.input, w, ...b], [node.output], [attribute('transB', 1)])];
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
 * PyTorch names the same parameters.
 */
export function onnxModelBytes(graph: ExportGraph, producer: { name: string; version: string; docString?: string }): Uint8Array {
  const initializers: TensorProto[] = [];
  const ranks = new Map<string, number>([[graph.input, graph.inputShape.length + 1]]);
  const nodes: NodeProto[] = [];
  for (const node of graph.nodes) {
    const rank = ranks.get(node.input) ?? 2;
    nodes.push(...lower(node, rank, initializers));
    ranks.set(node.output, outputRank(node, rank));
  }
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
  });
  return toBinary(ModelProtoSchema, model);
}

function outputRank(node: GraphNode, rank: number): number {
  return node.op === 'globalAvgPool' || node.op === 'flatten' ? 2 : rank;
}

/** A dense layer applied to the last axis of a rank > 2 value: MatMul with [in, out], then Add. */
function denseOverLastAxis(node: Extract<GraphNode, { op: 'dense' }>, initializers: TensorProto[]): NodeProto[] {
  const [units, features] = node.weightShape;
  const transposed = new Float32Array(node.weight.length);
  for (let o = 0; o < units; o++) for (let i = 0; i < features; i++) transposed[i * units + o] = node.weight[o * features + i];
  const w = `${node.name}.weight_t`;
  initializers.push(tensor(w, [features, units], transposed));
  const product = node.bias ? `${node.output}_matmul` : node.output;
  const nodes = [create(NodeProtoSchema, { opType: 'MatMul', input: [node.input, w], output: [product], name: node.name })];
  if (node.bias) {
    const b = `${node.name}.bias`;
    initializers.push(tensor(b, [units], node.bias));
    nodes.push(create(NodeProtoSchema, { opType: 'Add', input: [product, b], output: [node.output], name: `${node.name}_bias` }));
  }
  return nodes;
}
