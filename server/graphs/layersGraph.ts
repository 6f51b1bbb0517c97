import { SpecError, type JsonPath } from '../core/errors';
import type { ArchJson, ArchEdge, ArchGraph, ArchNode, NodeMetrics } from '../../contract/architecture';
import { readArray, readInteger, readNumber, readObject, readString } from './archFields';
import { convCost, finishGraph, type ArchGraphOptions } from './archGraph';

/**
 * Plain layer stacks (small CNN/MLP spaces): shapes are inferred layer by layer, and params and
 * multiply-accumulates computed the way TensorFlow.js counts weights (biases on conv/dense,
 * four per channel for batch norm). Convolutions and pooling use `valid` padding unless a layer
 * says `"padding": "same"`, as tfjs layers do.
 */

/** [height, width, channels] for feature maps, [features] after flatten/dense. */
type Shape = readonly number[];

interface LayerResult {
  readonly node: Omit<ArchNode, 'id' | 'attributes'> & { readonly attributes: (readonly [string, string])[] };
  readonly shape: Shape;
}

const activations = ['relu', 'relu6', 'elu', 'selu', 'tanh', 'sigmoid', 'softmax', 'linear', 'swish', 'gelu'];

function formatShape(shape: Shape): string {
  return shape.join('×');
}

function spatial(shape: Shape, path: JsonPath, type: string): readonly [number, number, number] {
  if (shape.length !== 3) {
    throw new SpecError(`${type} needs a height×width×channels input, but the previous layer outputs ${formatShape(shape)}`, path);
  }
  return [shape[0], shape[1], shape[2]];
}

function windowOutput(size: number, window: number, stride: number, padding: 'valid' | 'same', path: JsonPath): number {
  const out = padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - window) / stride) + 1;
  if (out < 1) throw new SpecError(`window ${window} does not fit the ${size}-pixel input`, path);
  return out;
}

function readPadding(layer: Readonly<Record<string, unknown>>, path: JsonPath): 'valid' | 'same' {
  if (layer.padding === undefined) return 'valid';
  if (layer.padding !== 'valid' && layer.padding !== 'same') {
    throw new SpecError(`padding must be "valid" or "same", got ${JSON.stringify(layer.padding)}`, [...path, 'padding']);
  }
  return layer.padding;
}

function readActivation(layer: Readonly<Record<string, unknown>>, path: JsonPath): string | undefined {
  if (layer.activation === undefined) return undefined;
  const name = readString(layer.activation, [...path, 'activation']);
  if (!activations.includes(name)) {
    throw new SpecError(`unknown activation "${name}"; expected one of ${activations.join(', ')}`, [...path, 'activation']);
  }
  return name;
}

function features(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

function layerResult(layerValue: unknown, input: Shape, path: JsonPath): LayerResult {
  const layer = readObject(layerValue, path);
  const type = readString(layer.type, [...path, 'type']);
  const activation = readActivation(layer, path);
  const withActivation = (text: string) => (activation ? `${text} · ${activation}` : text);
  const free: NodeMetrics = { params: 0, flops: 0 };
  switch (type) {
    case 'conv2d': {
      const [h, w, c] = spatial(input, path, type);
      const filters = readInteger(layer.filters, [...path, 'filters']);
      const kernel = readInteger(layer.kernel, [...path, 'kernel']);
      const stride = readInteger(layer.stride ?? 1, [...path, 'stride']);
      const padding = readPadding(layer, path);
      const shape = [windowOutput(h, kernel, stride, padding, path), windowOutput(w, kernel, stride, padding, path), filters];
      return {
        node: {
          label: `Conv ${kernel}×${kernel}${stride > 1 ? ` /${stride}` : ''}`,
          sublabel: withActivation(`${filters} filters`),
          kind: 'conv',
          metrics: convCost(kernel, c, filters, shape[0], shape[1], { bias: true }),
          attributes: [['padding', padding]],
        },
        shape,
      };
    }
    case 'maxpool':
    case 'avgpool': {
      const [h, w, c] = spatial(input, path, type);
      const size = readInteger(layer.size, [...path, 'size']);
      const stride = readInteger(layer.stride ?? size, [...path, 'stride']);
      const padding = readPadding(layer, path);
      const shape = [windowOutput(h, size, stride, padding, path), windowOutput(w, size, stride, padding, path), c];
      return {
        node: { label: `${type === 'maxpool' ? 'Max' : 'Avg'} pool ${size}×${size}`, sublabel: stride !== size ? `stride ${stride}` : undefined, kind: 'pool', metrics: free, attributes: [['padding', padding]] },
        shape,
      };
    }
    case 'globalavgpool': {
      const [, , c] = spatial(input, path, type);
      return { node: { label: 'Global avg pool', kind: 'pool', metrics: free, attributes: [] }, shape: [c] };
    }
    case 'flatten':
      return { node: { label: 'Flatten', kind: 'other', metrics: free, attributes: [] }, shape: [features(input)] };
    case 'dense': {
      if (input.length !== 1) {
        throw new SpecError(`dense needs a flat input; add a flatten layer before it (previous output is ${formatShape(input)})`, path);
      }
      const units = readInteger(layer.units, [...path, 'units']);
      return {
        node: { label: 'Dense', sublabel: withActivation(`${units} units`), kind: 'dense', metrics: { params: input[0] * units + units, flops: input[0] * units }, attributes: [] },
        shape: [units],
      };
    }
    case 'dropout': {
      const rate = readNumber(layer.rate, [...path, 'rate'], 0, 1);
      return { node: { label: 'Dropout', sublabel: `rate ${rate}`, kind: 'other', metrics: free, attributes: [] }, shape: input };
    }
    case 'batchnorm':
      return {
        node: { label: 'Batch norm', kind: 'other', metrics: { params: 4 * input[input.length - 1], flops: 0 }, attributes: [] },
        shape: input,
      };
    case 'activation': {
      if (!activation) throw new SpecError('an activation layer needs "activation"', [...path, 'activation']);
      return { node: { label: 'Activation', sublabel: activation, kind: 'other', metrics: free, attributes: [] }, shape: input };
    }
    default:
      throw new SpecError(
        `unknown layer type "${type}"; expected conv2d, maxpool, avgpool, globalavgpool, flatten, dense, dropout, batchnorm or activation`,
        [...path, 'type'],
      );
  }
}

export function layersGraph(arch: ArchJson, options: ArchGraphOptions = {}): ArchGraph {
  const input = readArray(arch.input, ['input']).map((v, i) => readInteger(v, ['input', i]));
  if (input.length !== 1 && input.length !== 3) {
    throw new SpecError(`input must be [height, width, channels] or [features], got ${input.length} numbers`, ['input']);
  }
  const layers = readArray(arch.layers, ['layers']);
  if (layers.length === 0) throw new SpecError('layers must not be empty', ['layers']);
  const nodes: ArchNode[] = [
    { id: 'input', label: 'Input', sublabel: formatShape(input), kind: 'input', metrics: {}, attributes: [['shape', formatShape(input)]] },
  ];
  const edges: ArchEdge[] = [];
  let shape: Shape = input;
  let previous = 'input';
  layers.forEach((layer, i) => {
    const result = layerResult(layer, shape, ['layers', i]);
    const id = `l${i}`;
    nodes.push({ ...result.node, id, attributes: [['layer', String(i)], ...result.node.attributes, ['output', formatShape(result.shape)]] });
    edges.push({ id: `${previous}->${id}`, source: previous, target: id, label: formatShape(shape) });
    shape = result.shape;
    previous = id;
  });
  nodes.push({ id: 'output', label: 'Output', sublabel: formatShape(shape), kind: 'output', metrics: {}, attributes: [['shape', formatShape(shape)]] });
  edges.push({ id: `${previous}->output`, source: previous, target: 'output', label: formatShape(shape) });
  return finishGraph({ space: 'layers', title: `Layer stack · ${layers.length} layers`, direction: 'down', nodes, edges, groups: [] }, options.details);
}
