/**
 * A trained network lowered for export: a straight list of inference operations over named
 * values in the channels-first layout ONNX and PyTorch use (NCHW), with every weight already in
 * that layout. Both writers (onnxModel.ts, pytorchModel.ts) emit it node by node, so they agree
 * by construction; the TF.js-specific work (layouts, padding, flatten order) happens once, in
 * layersToGraph.ts.
 */

/** Element-wise activations every target has. */
export type Activation = 'relu' | 'relu6' | 'sigmoid' | 'tanh' | 'softmax';

interface NodeBase {
  /** Unique Python identifier from the architecture (e.g. `stage2_block1_expand_conv`). */
  readonly name: string;
  readonly input: string;
  readonly output: string;
}

/** Convolution, weights [out, in / groups, kh, kw]; pads [top, left, bottom, right]. */
export interface ConvNode extends NodeBase {
  readonly op: 'conv';
  /** The TF.js layer it comes from (what a quantization policy names). */
  readonly layer: string;
  readonly weight: Float32Array;
  readonly weightShape: readonly [number, number, number, number];
  readonly bias?: Float32Array;
  readonly strides: readonly [number, number];
  readonly pads: readonly [number, number, number, number];
  readonly groups: number;
}

/** Inference batch norm over axis 1 with its running statistics. */
export interface BatchNormNode extends NodeBase {
  readonly op: 'batchNorm';
  readonly scale: Float32Array;
  readonly bias: Float32Array;
  readonly mean: Float32Array;
  readonly variance: Float32Array;
  readonly epsilon: number;
}

export interface ActivationNode extends NodeBase {
  readonly op: 'activation';
  readonly fn: Activation;
}

/** Max pooling without padding. */
export interface MaxPoolNode extends NodeBase {
  readonly op: 'maxPool';
  readonly kernel: readonly [number, number];
  readonly strides: readonly [number, number];
}

/** Mean over H and W: [N, C, H, W] -> [N, C]. */
export interface GlobalAvgPoolNode extends NodeBase {
  readonly op: 'globalAvgPool';
}

/** [N, ...] -> [N, product of the rest]. */
export interface FlattenNode extends NodeBase {
  readonly op: 'flatten';
}

/** y = x W^T + b over the last axis, weights [out, in] (PyTorch's nn.Linear). */
export interface DenseNode extends NodeBase {
  readonly op: 'dense';
  /** The TF.js layer it comes from (what a quantization policy names). */
  readonly layer: string;
  readonly weight: Float32Array;
  readonly weightShape: readonly [number, number];
  readonly bias?: Float32Array;
}

export interface TransposeNode extends NodeBase {
  readonly op: 'transpose';
  readonly perm: readonly number[];
}

/** Element-wise sum of `input` and `other` (a residual connection). */
export interface AddNode extends NodeBase {
  readonly op: 'add';
  readonly other: string;
}

export type GraphNode = ConvNode | BatchNormNode | ActivationNode | MaxPoolNode | GlobalAvgPoolNode | FlattenNode | DenseNode | TransposeNode | AddNode;

export interface ExportGraph {
  /** Name of the input value: [batch, C, H, W] (or [batch, features]). */
  readonly input: string;
  /** Input shape without the batch axis, channels first. */
  readonly inputShape: readonly number[];
  readonly output: string;
  /** Output shape without the batch axis. */
  readonly outputShape: readonly number[];
  /** In execution order; each node reads values written before it. */
  readonly nodes: readonly GraphNode[];
}

/** Values a node reads. */
export function nodeInputs(node: GraphNode): string[] {
  return node.op === 'add' ? [node.input, node.other] : [node.input];
}
