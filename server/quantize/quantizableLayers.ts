/**
 * The layers HAQ quantizes, as it sees them: every convolution (regular or depthwise) and fully
 * connected layer, with the shapes its state and costs are made of. Frozen layers (an exported
 * sub-network's input normalization and resize) are preprocessing and stay float.
 */

export type QuantizableKind = 'conv' | 'depthwise' | 'dense';

export interface QuantizableLayer {
  /** The TF.js layer's name. */
  readonly name: string;
  readonly kind: QuantizableKind;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly stride: number;
  readonly kernel: number;
  /** Number of weights (the kernel, not the bias): what its weight bits multiply in the model size. */
  readonly weights: number;
  /**
   * Input feature-map size: height x width of a convolution's input; for a fully connected layer
   * its input features, as the reference's measure_model records it (in_h = features, in_w = 1).
   */
  readonly inputSize: number;
  /** Multiply-accumulates for one input: what weight x activation bits multiply in BitOps. */
  readonly macs: number;
}

/** Bit widths of one layer: its weights, and the activations it takes as input. */
export interface LayerBits {
  readonly weight: number;
  readonly activation: number;
}

/** One bit-width pair per quantizable layer, in network order. */
export type Policy = readonly LayerBits[];

/** Bits of a float32 weight or activation (the cost of a layer left unquantized). */
export const FLOAT_BITS = 32;

/** The network's input: image bytes, already 8 bits (the first layer's input is never quantized). */
export const INPUT_BITS = 8;

/** First and last layers keep 8-bit weights (and the last 8-bit inputs), as in the reference. */
export const PINNED_BITS = 8;

/** "conv 3x3/2 16->32" */
export function describeLayer(layer: QuantizableLayer): string {
  if (layer.kind === 'dense') return `fc ${layer.inChannels}->${layer.outChannels}`;
  const stride = layer.stride > 1 ? `/${layer.stride}` : '';
  return `${layer.kind === 'depthwise' ? 'dw' : 'conv'} ${layer.kernel}x${layer.kernel}${stride} ${layer.inChannels}->${layer.outChannels}`;
}
