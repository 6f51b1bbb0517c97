import { SpecError } from '../core/errors';
import type { LayerSpec, LayerStackArch } from '../spaces/layers/layerSpec';
import { roundFilters, roundRepeats, roundResolution, type ScalingCoefficients } from './compoundScaling';

/** How scaled networks are rounded: the reference's channel divisor and the input pipeline's multiple. */
export interface Rounding {
  /** Channels are multiples of this (the reference's `depth_divisor`, 8). */
  readonly divisor: number;
  /** Input sides are multiples of this. */
  readonly resolutionMultiple: number;
}

type ConvLayer = Extract<LayerSpec, { type: 'conv2d' }>;

/**
 * A layer stack read the way EfficientNet reads its block arguments: runs of identical
 * convolutions are one stage repeated `repeats` times (its first layer keeps the stage's stride,
 * the repeats have stride 1); everything else is a single layer.
 */
export type StackPart = { readonly kind: 'stage'; readonly conv: ConvLayer; readonly repeats: number } | { readonly kind: 'layer'; readonly layer: LayerSpec };

function sameStage(first: ConvLayer, next: LayerSpec): boolean {
  return next.type === 'conv2d' && next.stride === 1 && next.filters === first.filters && next.kernel === first.kernel && next.activation === first.activation;
}

export function stackParts(arch: LayerStackArch): StackPart[] {
  const parts: StackPart[] = [];
  for (const layer of arch.layers) {
    const last = parts.at(-1);
    if (layer.type === 'conv2d' && last?.kind === 'stage' && sameStage(last.conv, layer)) parts[parts.length - 1] = { ...last, repeats: last.repeats + 1 };
    else if (layer.type === 'conv2d') parts.push({ kind: 'stage', conv: layer, repeats: 1 });
    else parts.push({ kind: 'layer', layer });
  }
  return parts;
}

/** The classifier: the last layer, a softmax dense layer (its width is the number of classes and never scales). */
function isClassifier(layer: LayerSpec, index: number, count: number): boolean {
  return index === count - 1 && layer.type === 'dense' && layer.activation === 'softmax';
}

/**
 * The base network scaled by depth, width and resolution multipliers: each stage repeated
 * round_repeats(repeats) times, conv filters and hidden dense units (the head, like EfficientNet's
 * 1280-channel head) round_filters'd, the input sides scaled and rounded to the pipeline's multiple.
 */
export function scaleLayerStack(base: LayerStackArch, c: ScalingCoefficients, rounding: Rounding): LayerStackArch {
  const layers: LayerSpec[] = [];
  const parts = stackParts(base);
  parts.forEach((part, i) => {
    if (part.kind === 'stage') {
      const filters = roundFilters(part.conv.filters, c.width, rounding.divisor);
      const repeats = roundRepeats(part.repeats, c.depth);
      for (let r = 0; r < repeats; r++) layers.push({ ...part.conv, filters, stride: r === 0 ? part.conv.stride : 1 });
    } else if (part.layer.type === 'dense' && !isClassifier(part.layer, i, parts.length)) {
      layers.push({ ...part.layer, units: roundFilters(part.layer.units, c.width, rounding.divisor) });
    } else {
      layers.push(part.layer);
    }
  });
  const [h, w, channels] = base.input;
  const side = (s: number) => (c.resolution === 1 ? s : roundResolution(s, c.resolution, rounding.resolutionMultiple));
  return { space: 'layers', input: [side(h), side(w), channels], layers };
}

/** How much the base network downsamples its input (pool sizes times conv strides): the default resolution multiple. */
export function totalStride(arch: LayerStackArch): number {
  return arch.layers.reduce((s, l) => s * (l.type === 'maxpool' ? l.size : l.type === 'conv2d' ? l.stride : 1), 1);
}

/** Layer types the training stack builds (server/evaluators/train/buildModel.ts). */
const TRAINABLE = ['conv2d', 'maxpool', 'flatten', 'dense', 'dropout'];

/**
 * Checks that an architecture is a layer stack NAS Studio can train and scale: `layers` space,
 * [height, width, channels] input, trainable layer types, a softmax dense classifier last.
 * Throws SpecError with the path inside the architecture.
 */
export function checkScalableStack(arch: unknown): LayerStackArch {
  const a = arch as Partial<LayerStackArch> | null;
  if (!a || typeof a !== 'object' || a.space !== 'layers') {
    throw new SpecError(`compound scaling grows layer stacks (space "layers"); this architecture is of space ${JSON.stringify(a?.space ?? null)}`, ['space']);
  }
  if (!Array.isArray(a.input) || a.input.length !== 3) throw new SpecError('the architecture needs an image input [height, width, channels]', ['input']);
  if (!Array.isArray(a.layers) || a.layers.length === 0) throw new SpecError('the architecture has no layers', ['layers']);
  a.layers.forEach((layer, i) => {
    if (!TRAINABLE.includes(layer?.type)) throw new SpecError(`layer ${i} is ${JSON.stringify(layer?.type)}; the training stack builds ${TRAINABLE.join(', ')}`, ['layers', i, 'type']);
    // The training stack builds 'same' convolutions with ReLU: anything else would train a network other than the one described.
    if (layer.type === 'conv2d' && (layer.padding !== 'same' || layer.activation !== 'relu')) {
      throw new SpecError(`layer ${i}: the training stack builds convolutions with "padding": "same" and "activation": "relu"`, ['layers', i]);
    }
    if (layer.type === 'dense' && layer.activation !== 'relu' && layer.activation !== 'softmax') {
      throw new SpecError(`layer ${i}: dense layers are "relu" (hidden) or "softmax" (the classifier)`, ['layers', i, 'activation']);
    }
  });
  const last = a.layers[a.layers.length - 1];
  if (last.type !== 'dense' || last.activation !== 'softmax') throw new SpecError('the last layer must be the softmax dense classifier', ['layers', a.layers.length - 1]);
  if (!a.layers.some((l) => l.type === 'conv2d' || (l.type === 'dense' && l.activation === 'relu'))) {
    throw new SpecError('the architecture has no convolution or hidden dense layer to scale', ['layers']);
  }
  return a as LayerStackArch;
}

/** "conv3x3-24×3 conv3x3-40×3 fc72": stages with their repeats and hidden dense layers ('' for a linear model). */
export function describeLayers(arch: LayerStackArch): string {
  return stackParts(arch)
    .flatMap((p) => {
      if (p.kind === 'stage') return [`conv${p.conv.kernel}x${p.conv.kernel}-${p.conv.filters}${p.repeats > 1 ? `×${p.repeats}` : ''}${p.conv.stride > 1 ? `/${p.conv.stride}` : ''}`];
      if (p.layer.type === 'dense' && p.layer.activation === 'relu') return [`fc${p.layer.units}`];
      return [];
    })
    .join(' ');
}

/** "32px conv3x3-24×3 conv3x3-40×3 fc72": the input side, then the layers. */
export function describeStack(arch: LayerStackArch): string {
  return `${arch.input[0]}px ${describeLayers(arch)}`.trim();
}
