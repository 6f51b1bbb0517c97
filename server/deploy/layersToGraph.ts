import type * as tf from '@tensorflow/tfjs';
import { NasError } from '../core/errors';
import type { Activation, ExportGraph, GraphNode } from './exportGraph';

/** TF.js layer classes the exporters understand (Dropout is the identity at inference). */
export const EXPORTABLE_LAYERS = [
  'InputLayer',
  'Conv2D',
  'DepthwiseConv2D',
  'BatchNormalization',
  'ReLU',
  'Activation',
  'Dense',
  'MaxPooling2D',
  'GlobalAveragePooling2D',
  'Flatten',
  'Dropout',
  'Add',
  'Permute',
] as const;

const ACTIVATIONS: Readonly<Record<string, Activation | undefined>> = { relu: 'relu', relu6: 'relu6', sigmoid: 'sigmoid', tanh: 'tanh', softmax: 'softmax' };

/** The layer cannot be exported; the message names it and what is missing. */
export class UnsupportedLayerError extends NasError {
  constructor(layer: tf.layers.Layer, why: string) {
    super('invalid-request', `cannot export layer "${layer.name}" (${layer.getClassName()}): ${why}`);
  }
}

/**
 * A value during lowering: its shape in the target layout (batch first, as -1) and where TF.js'
 * logical axes are: physical axis j holds logical axis `axes[j]` (TF.js is NHWC, the target
 * NCHW, and Permute layers only relabel axes until an operation needs them in place).
 */
interface Lowered {
  readonly name: string;
  readonly shape: readonly number[];
  readonly axes: readonly number[];
}

/** Physical order of a rank-4 tensor in channels-first layout: N, C(3), H(1), W(2). */
const CHANNELS_FIRST = [0, 3, 1, 2];

type Config = Record<string, unknown>;

const identity = (rank: number) => Array.from({ length: rank }, (_, i) => i);
const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [v[0], v[1]] : [v as number, v as number]);

/** Names the generated model.py uses itself (nn.Module attributes, Python keywords, locals). */
const RESERVED_NAMES = ['input', 'output', 'x', 'self', 'forward', 'training', 'eval', 'train', 'to', 'cuda', 'cpu', 'state_dict', 'parameters', 'modules', 'children', 'apply', 'type', 'float', 'half', 'double', 'zero_grad', 'register_buffer', 'register_parameter', 'add_module', 'torch', 'nn', 'F', 'None', 'True', 'False', 'and', 'or', 'not', 'in', 'is', 'if', 'else', 'for', 'while', 'def', 'class', 'return', 'import', 'from', 'as', 'with', 'lambda', 'pass', 'global', 'del', 'try', 'except', 'raise', 'finally', 'yield', 'assert', 'break', 'continue', 'elif', 'nonlocal', 'async', 'await'];

/** Python identifier for a layer name: letters, digits, underscores, not starting with a digit. */
function pythonName(name: string, taken: Set<string>): string {
  let base = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z_]/.test(base)) base = `layer_${base}`;
  let candidate = base;
  for (let k = 2; taken.has(candidate); k++) candidate = `${base}_${k}`;
  taken.add(candidate);
  return candidate;
}

/** 'same' padding as TF computes it: the extra row or column goes after. */
function samePads(size: number, kernel: number, stride: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

function convOutput(size: number, kernel: number, stride: number, before: number, after: number): number {
  return Math.floor((size + before + after - kernel) / stride) + 1;
}

/**
 * Lowers a TF.js Layers model (Sequential or functional, one input, one output) to an
 * ExportGraph: weights transposed to channels-first, 'same' padding made explicit, Permute
 * layers resolved, the NHWC order of a Flatten folded into the Dense layer after it. Any layer
 * outside EXPORTABLE_LAYERS, or a setting the targets lack, throws UnsupportedLayerError naming it.
 */
export function layersToGraph(model: tf.LayersModel): ExportGraph {
  const nodes: GraphNode[] = [];
  const values = new Map<string, Lowered>();
  const taken = new Set<string>(RESERVED_NAMES);
  const layers = model.layers;
  let input: Lowered | undefined;

  const consumers = (layer: tf.layers.Layer) => layers.filter((l) => l.inboundNodes.some((n) => n.inboundLayers.includes(layer)));
  const emit = (node: GraphNode) => nodes.push(node);

  /** Brings a value to the physical order `axes` (a Transpose node when it is not there already). */
  const arrange = (v: Lowered, axes: readonly number[], name: string): Lowered => {
    if (same(v.axes, axes)) return v;
    const perm = axes.map((a) => v.axes.indexOf(a));
    const out: Lowered = { name: `${name}_in`, shape: perm.map((p) => v.shape[p]), axes };
    emit({ op: 'transpose', name: pythonName(`${name}_transpose`, taken), input: v.name, output: out.name, perm });
    return out;
  };

  const inputOf = (layer: tf.layers.Layer): Lowered[] => {
    if (layer.inboundNodes.length !== 1) throw new UnsupportedLayerError(layer, 'layers used more than once (shared weights) are not supported');
    return layer.inboundNodes[0].inboundLayers.map((l) => {
      if (l.getClassName() === 'InputLayer' && !values.has(l.name)) defineInput(l);
      const v = values.get(l.name);
      if (!v) throw new UnsupportedLayerError(layer, `its input "${l.name}" is not part of the model`);
      return v;
    });
  };

  const defineInput = (layer: tf.layers.Layer) => {
    const shape = (layer.getConfig() as Config).batchInputShape as (number | null)[];
    const dims = shape.slice(1);
    if (dims.some((d) => d === null)) throw new UnsupportedLayerError(layer, 'the input needs a fixed shape');
    if (input) throw new UnsupportedLayerError(layer, 'models with more than one input are not supported');
    const rank = shape.length;
    if (rank !== 4 && rank !== 2) throw new UnsupportedLayerError(layer, `inputs of rank ${rank} are not supported (images [h, w, c] or feature vectors)`);
    const axes = rank === 4 ? CHANNELS_FIRST : identity(2);
    input = { name: 'input', shape: axes.map((a) => (a === 0 ? -1 : (shape[a] as number))), axes };
    values.set(layer.name, input);
  };

  /** `name` is the layer's own (ReLU, Activation layers) or a fresh one for a fused activation. */
  const activation = (layer: tf.layers.Layer, v: Lowered, fn: string | undefined, name: string, own = false): Lowered => {
    if (!fn || fn === 'linear') return v;
    const mapped = ACTIVATIONS[fn];
    if (!mapped) throw new UnsupportedLayerError(layer, `activation '${fn}' is not supported (${Object.keys(ACTIVATIONS).join(', ')}, linear)`);
    if (mapped === 'softmax' && v.axes[v.axes.length - 1] !== v.axes.length - 1) throw new UnsupportedLayerError(layer, 'softmax over a permuted axis is not supported');
    const out: Lowered = { ...v, name };
    emit({ op: 'activation', name: own ? name : pythonName(name, taken), input: v.name, output: out.name, fn: mapped });
    return out;
  };

  /** A Flatten whose only consumer (through Dropout layers) is a Dense layer: the Dense takes the channels-first order. */
  const flattenFeedsDense = (layer: tf.layers.Layer): boolean => {
    let next = consumers(layer);
    while (next.length === 1 && next[0].getClassName() === 'Dropout') next = consumers(next[0]);
    return next.length === 1 && next[0].getClassName() === 'Dense';
  };
  /** Flatten outputs whose features are in channels-first order: [C, H, W] of the map before. */
  const flattenedFrom = new Map<string, readonly [number, number, number]>();

  for (const layer of layers) {
    const cls = layer.getClassName();
    const config = layer.getConfig() as Config;
    const name = pythonName(layer.name, taken);
    if (cls === 'InputLayer') {
      defineInput(layer);
      continue;
    }
    if (!(EXPORTABLE_LAYERS as readonly string[]).includes(cls)) {
      throw new UnsupportedLayerError(layer, `ONNX and PyTorch export supports ${EXPORTABLE_LAYERS.filter((l) => l !== 'InputLayer').join(', ')}`);
    }
    if (config.dataFormat !== undefined && config.dataFormat !== 'channelsLast') throw new UnsupportedLayerError(layer, 'only channelsLast data is supported');
    const inputs = inputOf(layer);
    const x = inputs[0];
    const weights = layer.getWeights().map((w) => w.dataSync() as Float32Array);
    let out: Lowered;
    switch (cls) {
      case 'Conv2D':
      case 'DepthwiseConv2D': {
        if (pair(config.dilationRate ?? 1).some((d) => d !== 1)) throw new UnsupportedLayerError(layer, 'dilated convolutions are not supported');
        const v = arrange(x, CHANNELS_FIRST, name);
        const [, c, h, w] = v.shape;
        const [kh, kw] = pair(config.kernelSize);
        const [sh, sw] = pair(config.strides);
        const [top, bottom] = config.padding === 'same' ? samePads(h, kh, sh) : [0, 0];
        const [left, right] = config.padding === 'same' ? samePads(w, kw, sw) : [0, 0];
        const depthwise = cls === 'DepthwiseConv2D';
        const multiplier = depthwise ? ((config.depthMultiplier as number) ?? 1) : 1;
        const outChannels = depthwise ? c * multiplier : (config.filters as number);
        const weight = depthwise ? depthwiseWeight(weights[0], kh, kw, c, multiplier) : convWeight(weights[0], kh, kw, c, outChannels);
        out = { name: `${name}_out`, shape: [-1, outChannels, convOutput(h, kh, sh, top, bottom), convOutput(w, kw, sw, left, right)], axes: CHANNELS_FIRST };
        emit({
          op: 'conv',
          name,
          layer: layer.name,
          input: v.name,
          output: out.name,
          weight,
          weightShape: [outChannels, depthwise ? 1 : c, kh, kw],
          ...(config.useBias ? { bias: weights[1] } : {}),
          strides: [sh, sw],
          pads: [top, left, bottom, right],
          groups: depthwise ? c : 1,
        });
        out = activation(layer, out, config.activation as string, `${name}_act`);
        break;
      }
      case 'BatchNormalization': {
        const rank = x.shape.length;
        const axis = (config.axis as number) < 0 ? rank + (config.axis as number) : (config.axis as number);
        if (axis !== rank - 1) throw new UnsupportedLayerError(layer, 'only batch norm over the last (channels) axis is supported');
        if (rank !== 4 && rank !== 2) throw new UnsupportedLayerError(layer, `batch norm of rank-${rank} values is not supported`);
        const v = arrange(x, rank === 4 ? CHANNELS_FIRST : identity(rank), name);
        const channels = v.shape[1];
        const [scale, center] = [config.scale !== false, config.center !== false];
        let k = 0;
        const gamma = scale ? weights[k++] : new Float32Array(channels).fill(1);
        const beta = center ? weights[k++] : new Float32Array(channels);
        out = { ...v, name: `${name}_out` };
        emit({ op: 'batchNorm', name, input: v.name, output: out.name, scale: gamma, bias: beta, mean: weights[k], variance: weights[k + 1], epsilon: config.epsilon as number });
        break;
      }
      case 'ReLU': {
        if (config.maxValue !== null && config.maxValue !== undefined && config.maxValue !== 6) throw new UnsupportedLayerError(layer, `ReLU capped at ${config.maxValue} is not supported (only 6)`);
        out = activation(layer, x, config.maxValue === 6 ? 'relu6' : 'relu', name, true);
        break;
      }
      case 'Activation':
        out = activation(layer, x, config.activation as string, name, true);
        break;
      case 'Dropout':
        out = x;
        break;
      case 'Dense': {
        const [kernel, bias] = weights;
        const units = config.units as number;
        const rank = x.shape.length;
        // TF.js applies a Dense layer to the last axis: that axis must be last physically too.
        const last = rank - 1;
        const v = x.axes[rank - 1] === last ? x : arrange(x, [...x.axes.filter((a) => a !== last), last], name);
        const features = v.shape[rank - 1];
        const order = flattenedFrom.get(v.name);
        out = { name: `${name}_out`, shape: [...v.shape.slice(0, -1), units], axes: v.axes };
        emit({
          op: 'dense',
          name,
          layer: layer.name,
          input: v.name,
          output: out.name,
          weight: denseWeight(kernel, features, units, order),
          weightShape: [units, features],
          ...(config.useBias ? { bias } : {}),
        });
        out = activation(layer, out, config.activation as string, `${name}_act`);
        break;
      }
      case 'MaxPooling2D': {
        if (config.padding !== 'valid') throw new UnsupportedLayerError(layer, "only 'valid' padding is supported for pooling");
        const v = arrange(x, CHANNELS_FIRST, name);
        const [kh, kw] = pair(config.poolSize);
        const [sh, sw] = pair(config.strides ?? config.poolSize);
        out = { name: `${name}_out`, shape: [-1, v.shape[1], convOutput(v.shape[2], kh, sh, 0, 0), convOutput(v.shape[3], kw, sw, 0, 0)], axes: CHANNELS_FIRST };
        emit({ op: 'maxPool', name, input: v.name, output: out.name, kernel: [kh, kw], strides: [sh, sw] });
        break;
      }
      case 'GlobalAveragePooling2D': {
        const v = arrange(x, CHANNELS_FIRST, name);
        out = { name: `${name}_out`, shape: [-1, v.shape[1]], axes: identity(2) };
        emit({ op: 'globalAvgPool', name, input: v.name, output: out.name });
        break;
      }
      case 'Flatten': {
        const rank = x.shape.length;
        // Flattening channels-first and reordering the Dense weights keeps the readable
        // nn.Flatten -> nn.Linear; anything else flattens in TF.js' own (NHWC) order.
        const fold = rank === 4 && flattenFeedsDense(layer);
        const v = fold ? arrange(x, CHANNELS_FIRST, name) : arrange(x, identity(rank), name);
        const features = v.shape.slice(1).reduce((a, b) => a * b, 1);
        out = { name: `${name}_out`, shape: [-1, features], axes: identity(2) };
        emit({ op: 'flatten', name, input: v.name, output: out.name });
        if (fold) flattenedFrom.set(out.name, [v.shape[1], v.shape[2], v.shape[3]]);
        break;
      }
      case 'Add': {
        if (inputs.length !== 2) throw new UnsupportedLayerError(layer, 'only sums of two values are supported');
        const other = arrange(inputs[1], x.axes, name);
        out = { ...x, name: `${name}_out` };
        emit({ op: 'add', name, input: x.name, other: other.name, output: out.name });
        break;
      }
      case 'Permute': {
        // Keras' dims are 1-based over the axes after the batch: new logical axis k = old dims[k-1].
        const dims = [0, ...(config.dims as number[])];
        out = { name: x.name, shape: x.shape, axes: x.axes.map((a) => dims.indexOf(a)) };
        break;
      }
      default:
        throw new UnsupportedLayerError(layer, 'not supported');
    }
    values.set(layer.name, out);
  }

  if (!input) throw new NasError('invalid-request', 'the model has no input layer');
  if (model.outputs.length !== 1) throw new NasError('invalid-request', `only models with one output can be exported (this one has ${model.outputs.length})`);
  const last = values.get(model.outputs[0].sourceLayer.name);
  if (!last) throw new NasError('invalid-request', `the model's output layer "${model.outputs[0].sourceLayer.name}" was not reached`);
  const rank = last.shape.length;
  const output = arrange(last, rank === 4 ? CHANNELS_FIRST : identity(rank), 'output');
  return { input: input.name, inputShape: input.shape.slice(1), output: output.name, outputShape: output.shape.slice(1), nodes };
}

/** TF.js [kh, kw, in, out] -> [out, in, kh, kw]. */
function convWeight(w: Float32Array, kh: number, kw: number, cin: number, cout: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) {
    out[((o * cin + i) * kh + y) * kw + x] = w[((y * kw + x) * cin + i) * cout + o];
  }
  return out;
}

/** TF.js depthwise [kh, kw, c, m] -> grouped [c * m, 1, kh, kw] (output channel c * m + k, as TF orders them). */
function depthwiseWeight(w: Float32Array, kh: number, kw: number, channels: number, multiplier: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let c = 0; c < channels; c++) for (let m = 0; m < multiplier; m++) {
    out[((c * multiplier + m) * kh + y) * kw + x] = w[((y * kw + x) * channels + c) * multiplier + m];
  }
  return out;
}

/**
 * TF.js [in, out] -> [out, in]. After a channels-first Flatten of a [C, H, W] map, input feature
 * (c, h, w) is TF.js' feature (h, w, c): the rows are taken in that order.
 */
function denseWeight(kernel: Float32Array, features: number, units: number, flattened?: readonly [number, number, number]): Float32Array {
  const out = new Float32Array(kernel.length);
  const row = (p: number) => {
    if (!flattened) return p;
    const [c, h, w] = flattened;
    const ci = Math.floor(p / (h * w));
    const hi = Math.floor(p / w) % h;
    const wi = p % w;
    return (hi * w + wi) * c + ci;
  };
  for (let p = 0; p < features; p++) {
    const r = row(p);
    for (let o = 0; o < units; o++) out[o * features + p] = kernel[r * units + o];
  }
  return out;
}
