/**
 * The latency model of a ProxylessNAS supernet, from a lookup table of its layers: the fixed
 * layers (stem, pooling, classifier) and every candidate of every block; `Zero` costs nothing.
 * The expected latency is the reference's `expected_latency`: fixed + Σ_blocks Σ_ops p(op) · LUT(op).
 */
import { LatencyTable } from '../ofa/latencyTable';
import { readProxylessCorrection, type ProxylessCorrection } from './latencyCorrection';
import type { BlockLayer, Mbv3Layer } from '../spaces/ofa/mbv3Network';
import { lutKey } from '../spaces/ofa/mbv3Network';
import { finalChannels, finalSize, stemOutputSize, type BlockShape, type CandidateOp, type MixedBlock, type ProxylessConfig } from './proxylessSpace';

/** The stem: a 3x3 convolution with its stride, batch norm folded into a bias, ReLU. */
export interface StemLayer {
  readonly kind: 'Stem';
  readonly inSize: number;
  readonly inChannels: number;
  readonly outSize: number;
  readonly outChannels: number;
  readonly stride: number;
}

/** The layers a lookup table of this space holds: the stem, MBConv blocks (OFA's `expanded_conv`), pooling and classifier. */
export type ProxylessLayer = StemLayer | Mbv3Layer;

export function stemLayer(config: ProxylessConfig): StemLayer {
  return { kind: 'Stem', inSize: config.input[0], inChannels: config.input[2], outSize: stemOutputSize(config), outChannels: config.stem, stride: config.stemStride };
}

/** Global average pooling and the dense classifier, in OFA's key format. */
export function headLayers(config: Pick<ProxylessConfig, 'input' | 'stem' | 'stemStride' | 'stages' | 'classes'>): Mbv3Layer[] {
  const channels = finalChannels(config);
  return [
    { kind: 'AvgPool2D', size: finalSize(config), channels },
    { kind: 'Logits', inFeatures: channels, outFeatures: config.classes },
  ];
}

/** An MBConv candidate at a block position (ReLU, no squeeze-excitation; the shortcut add when the block has one). */
export function blockLayer(block: BlockShape, op: Extract<CandidateOp, { kind: 'mbconv' }>): BlockLayer {
  const size = block.inputSize;
  return {
    kind: 'expanded_conv',
    inSize: size,
    inChannels: block.inChannels,
    outSize: Math.ceil(size / block.stride),
    outChannels: block.outChannels,
    mid: block.inChannels * op.expand,
    kernel: op.kernel,
    stride: block.stride,
    idSkip: block.shortcut,
    se: false,
    hswish: false,
  };
}

/** A layer's lookup-table key: OFA's for its layer kinds; the stem's names its stride and activation. */
export function layerKey(layer: ProxylessLayer): string {
  if (layer.kind !== 'Stem') return lutKey(layer);
  return `Stem-input:${layer.inSize}x${layer.inSize}x${layer.inChannels}-output:${layer.outSize}x${layer.outSize}x${layer.outChannels}-kernel:3-stride:${layer.stride}-act:relu`;
}

/** Every distinct layer the supernet's networks can contain. */
export function supernetLayers(config: ProxylessConfig, blocks: readonly MixedBlock[]): ProxylessLayer[] {
  const layers = new Map<string, ProxylessLayer>();
  const add = (layer: ProxylessLayer) => layers.set(layerKey(layer), layer);
  add(stemLayer(config));
  for (const block of blocks) for (const op of block.candidates) if (op.kind === 'mbconv') add(blockLayer(block, op));
  headLayers(config).forEach(add);
  return [...layers.values()];
}

/** Milliseconds per layer of the supernet, looked up once (and corrected, when the table has a correction). */
export interface LatencyModel {
  /** Stem, pooling and classifier (with the correction's intercept). */
  readonly fixedMs: number;
  /** Per block, per candidate (0 for `Zero`). */
  readonly blockMs: readonly (readonly number[])[];
  /** The correction applied to the table's entries, if any. */
  readonly correction?: ProxylessCorrection;
}

/**
 * The model from a table lookup (which throws, naming the key, when an entry is missing). With a
 * correction, every term is corrected as `correctedLatency` corrects a network: fixed layers
 * scaled and offset by the intercept, each candidate scaled plus the per-block overhead and its
 * layer's adjustment (`Zero` stays free), so sums of the model's terms are corrected predictions.
 */
export function latencyModel(config: ProxylessConfig, blocks: readonly MixedBlock[], lookup: (key: string) => number, correction?: ProxylessCorrection): LatencyModel {
  const c: Omit<ProxylessCorrection, 'networks'> = correction ?? { intercept: 0, fixedScale: 1, blockScale: 1, blockOverhead: 0, layers: {} };
  const fixedMs = c.intercept + c.fixedScale * [stemLayer(config), ...headLayers(config)].reduce((sum, layer) => sum + lookup(layerKey(layer)), 0);
  const blockMs = blocks.map((block) =>
    block.candidates.map((op) => {
      if (op.kind === 'zero') return 0;
      const key = layerKey(blockLayer(block, op));
      return c.blockScale * lookup(key) + c.blockOverhead + (c.layers[key] ?? 0);
    }),
  );
  return { fixedMs, blockMs, ...(correction ? { correction } : {}) };
}

/** Fixed layers + Σ_blocks Σ_ops p(op) · LUT(op). */
export function expectedLatency(model: LatencyModel, probs: readonly (readonly number[])[]): number {
  return model.blockMs.reduce((sum, ms, b) => sum + ms.reduce((s, m, i) => s + m * probs[b][i], 0), model.fixedMs);
}

/** The latency the table predicts for the network taking candidate `choices[b]` in each block. */
export function predictedLatency(model: LatencyModel, choices: readonly number[]): number {
  return model.blockMs.reduce((sum, ms, b) => sum + ms[choices[b]], model.fixedMs);
}

/**
 * The model from a table folder (`<input size>_lookup_table.yaml`), corrected by the folder's
 * `proxyless_correction.json` unless `raw`; a missing layer is a DataError naming its key and file.
 */
export async function loadLatencyModel(dir: string, config: ProxylessConfig, blocks: readonly MixedBlock[], options: { raw?: boolean } = {}): Promise<LatencyModel> {
  const size = config.input[0];
  const table = await LatencyTable.load(dir, [size]);
  return latencyModel(config, blocks, (key) => table.query(size, key), options.raw ? undefined : await readProxylessCorrection(dir));
}
