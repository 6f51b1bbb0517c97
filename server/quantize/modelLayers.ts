/**
 * The quantizable layers of a TF.js Layers model (Conv2D, DepthwiseConv2D, Dense), with their
 * shapes and costs read from the model itself. Frozen layers are preprocessing (an exported
 * sub-network's normalization and resize) and stay float.
 */
import type * as tf from '@tensorflow/tfjs';
import { DataError } from '../core/errors';
import type { QuantizableKind, QuantizableLayer } from './quantizableLayers';

const KINDS: Readonly<Record<string, QuantizableKind>> = { Conv2D: 'conv', DepthwiseConv2D: 'depthwise', Dense: 'dense' };

/** Layer classes with weights that HAQ here does not know how to quantize. */
const UNSUPPORTED = new Set(['Conv1D', 'Conv2DTranspose', 'Conv3D', 'SeparableConv2D', 'LSTM', 'GRU', 'SimpleRNN', 'Embedding']);

export interface ModelLayer extends QuantizableLayer {
  /** The TF.js layer: its first weight is the kernel HAQ quantizes. */
  readonly layer: tf.layers.Layer;
}

const product = (dims: readonly (number | null)[]) => dims.reduce<number>((p, d) => p * (d ?? 1), 1);

function pair(value: unknown): number {
  return Array.isArray(value) ? Number(value[0]) : Number(value);
}

/** The model's quantizable layers in network order; a DataError names what does not fit (`file` for messages). */
export function modelLayers(model: tf.LayersModel, file: string): ModelLayer[] {
  const found: ModelLayer[] = [];
  for (const layer of model.layers) {
    const className = layer.getClassName();
    if (UNSUPPORTED.has(className) && layer.trainable) throw new DataError(`layer ${layer.name} is a ${className}, which NAS Studio's HAQ does not quantize (Conv2D, DepthwiseConv2D and Dense are supported)`, file);
    const kind = KINDS[className];
    if (!kind || !layer.trainable) continue;
    let input: number[];
    let output: number[];
    try {
      input = (layer.input as tf.SymbolicTensor).shape as number[];
      output = (layer.output as tf.SymbolicTensor).shape as number[];
    } catch {
      throw new DataError(`layer ${layer.name} is used more than once in the model; HAQ needs one set of bits per use`, file);
    }
    const config = layer.getConfig();
    const inChannels = input[input.length - 1];
    const outChannels = output[output.length - 1];
    const weights = layer.getWeights()[0]?.size ?? 0;
    if (kind === 'dense') {
      found.push({ layer, name: layer.name, kind, inChannels, outChannels, stride: 0, kernel: 1, weights, inputSize: inChannels, macs: product(input.slice(1)) * outChannels });
      continue;
    }
    const kernel = pair(config.kernelSize);
    const stride = pair(config.strides);
    const perOutput = kind === 'depthwise' ? kernel * kernel : kernel * kernel * inChannels;
    found.push({ layer, name: layer.name, kind, inChannels, outChannels, stride, kernel, weights, inputSize: input[1] * input[2], macs: product(output.slice(1)) * perOutput });
  }
  if (found.length < 3) {
    throw new DataError(`the model has ${found.length} quantizable layer${found.length === 1 ? '' : 's'} (Conv2D, DepthwiseConv2D, Dense); HAQ keeps the first and last at 8 bits and needs at least one more to choose bits for`, file);
  }
  return found;
}

/** The layer table without the TF.js objects (what journals and views carry). */
export function plainLayers(layers: readonly ModelLayer[]): QuantizableLayer[] {
  return layers.map(({ layer: _layer, ...plain }) => plain);
}
