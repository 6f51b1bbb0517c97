/**
 * The graph of any TF.js Layers model, read from the model itself: one node per layer (ids are
 * the layers' names), edges from each layer's inputs, params per layer and multiply-accumulates
 * of convolutions and dense layers. For models that no search space describes: a user's model
 * folder, an exported sub-network, a quantized model.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ArchEdge, ArchGraph, ArchNode } from '../../contract/architecture';
import { finishGraph } from './archGraph';

const KIND: Readonly<Record<string, ArchNode['kind']>> = {
  Conv2D: 'conv',
  DepthwiseConv2D: 'conv',
  SeparableConv2D: 'conv',
  Dense: 'dense',
  MaxPooling2D: 'pool',
  AveragePooling2D: 'pool',
  GlobalAveragePooling2D: 'pool',
  GlobalMaxPooling2D: 'pool',
  Add: 'op',
  Concatenate: 'op',
  Multiply: 'op',
};

function shapeText(shape: readonly (number | null)[]): string {
  return shape.slice(1).join('×');
}

function label(layer: tf.layers.Layer): string {
  const config = layer.getConfig() as { kernelSize?: number | number[]; strides?: number | number[]; units?: number; filters?: number };
  const first = (v: number | number[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const kernel = first(config.kernelSize);
  const stride = first(config.strides);
  const window = kernel !== undefined ? ` ${kernel}×${kernel}${stride && stride > 1 ? ` /${stride}` : ''}` : '';
  switch (layer.getClassName()) {
    case 'Conv2D':
      return `Conv${window}`;
    case 'DepthwiseConv2D':
      return `Depthwise${window}`;
    case 'Dense':
      return `Dense ${config.units}`;
    default:
      return layer.getClassName();
  }
}

function macs(layer: tf.layers.Layer): number | undefined {
  const className = layer.getClassName();
  const kernel = layer.getWeights()[0];
  if (!kernel || !['Conv2D', 'DepthwiseConv2D', 'Dense'].includes(className)) return className in KIND ? 0 : undefined;
  const output = (layer.output as tf.SymbolicTensor).shape.slice(1) as number[];
  const positions = output.slice(0, -1).reduce((p, d) => p * d, 1);
  // A conv kernel [k, k, in, out] is used once per output position; depthwise [k, k, in, mult] likewise; dense [in, out] per position too.
  return positions * kernel.size;
}

/** Id of the output node ('#' is not a character TF.js layer names use). */
const OUTPUT = '#output';

export function tfjsModelGraph(model: tf.LayersModel, title: string): ArchGraph {
  const nodes: ArchNode[] = [];
  const edges: ArchEdge[] = [];
  const inputNode = (layer: tf.layers.Layer) => {
    const shape = shapeText((layer.output as tf.SymbolicTensor).shape);
    nodes.push({ id: layer.name, label: 'Input', sublabel: shape, kind: 'input', metrics: {}, attributes: [['shape', shape]] });
  };
  for (const layer of model.layers) {
    const className = layer.getClassName();
    const shape = (layer.output as tf.SymbolicTensor).shape;
    if (className === 'InputLayer') {
      inputNode(layer);
      continue;
    }
    const flops = macs(layer);
    nodes.push({
      id: layer.name,
      label: label(layer),
      sublabel: shapeText(shape),
      kind: KIND[className] ?? 'other',
      metrics: { params: layer.countParams(), ...(flops !== undefined ? { flops } : {}) },
      attributes: [
        ['layer', layer.name],
        ['output', shapeText(shape)],
      ],
    });
    for (const inbound of layer.inboundNodes[0]?.inboundLayers ?? []) {
      // A Sequential model's input layer is not among its layers.
      if (!nodes.some((n) => n.id === inbound.name)) inputNode(inbound);
      edges.push({ id: `${inbound.name}->${layer.name}`, source: inbound.name, target: layer.name });
    }
  }
  const last = model.layers[model.layers.length - 1];
  nodes.push({ id: OUTPUT, label: 'Output', sublabel: shapeText((last.output as tf.SymbolicTensor).shape), kind: 'output', metrics: {}, attributes: [] });
  edges.push({ id: `${last.name}->${OUTPUT}`, source: last.name, target: OUTPUT });
  return finishGraph({ space: 'tfjs-model', title, direction: 'down', nodes, edges, groups: [] }, undefined);
}
