/**
 * The Once-for-All MobileNetV3 supernet at width multiplier 1.2 (OFA's `ofa_mbv3_d234_e346_k357_w1.2`),
 * described as plain numbers: which layers a sub-network has and their shapes. Everything that
 * costs a sub-network (latency tables, FLOPs, params, measured latency) works from this list.
 */

export const BLOCK_COUNT = 20;
export const STAGE_COUNT = 5;
export const MAX_DEPTH = 4;
export const KERNEL_SIZES = [3, 5, 7] as const;
export const EXPAND_RATIOS = [3, 4, 6] as const;
export const DEPTHS = [2, 3, 4] as const;
/** Block options per position: kernel index * 3 + expand index. */
export const BLOCK_OPTIONS = KERNEL_SIZES.length * EXPAND_RATIOS.length;
/** Resolutions OFA's released predictor and finder use. */
export const DEFAULT_RESOLUTIONS = [160, 176, 192, 208, 224] as const;

/** Channel counts are OFA's base widths times 1.2, rounded by `makeDivisible(., 8)`. */
export const STEM_CHANNELS = 24;
export const FIRST_BLOCK_CHANNELS = 24;
export const STAGE_WIDTHS = [32, 48, 96, 136, 192] as const;
export const STAGE_STRIDES = [2, 2, 2, 1, 2] as const;
export const STAGE_SE = [false, true, false, true, true] as const;
export const STAGE_HSWISH = [false, false, true, true, true] as const;
export const FINAL_EXPAND_CHANNELS = 1152;
export const FEATURE_MIX_CHANNELS = 1536;
export const CLASS_COUNT = 1000;
export const SE_REDUCTION = 4;
export const CHANNEL_DIVISOR = 8;

/** A sub-network in OFA's own terms (what `set_active_subnet(ks, e, d)` takes, plus resolution). */
export interface OfaArch {
  readonly ks: readonly number[];
  readonly e: readonly number[];
  readonly d: readonly number[];
  readonly r: number;
}

export type Mbv3Layer =
  | { readonly kind: 'Conv'; readonly inSize: number; readonly inChannels: number; readonly outSize: number; readonly outChannels: number }
  | {
      readonly kind: 'expanded_conv';
      readonly inSize: number;
      readonly inChannels: number;
      readonly outSize: number;
      readonly outChannels: number;
      readonly mid: number;
      readonly kernel: number;
      readonly stride: number;
      readonly idSkip: boolean;
      readonly se: boolean;
      readonly hswish: boolean;
    }
  | { readonly kind: 'Conv_1'; readonly size: number; readonly inChannels: number; readonly outChannels: number }
  | { readonly kind: 'AvgPool2D'; readonly size: number; readonly channels: number }
  | { readonly kind: 'Conv_2'; readonly inChannels: number; readonly outChannels: number }
  | { readonly kind: 'Logits'; readonly inFeatures: number; readonly outFeatures: number };

export type BlockLayer = Extract<Mbv3Layer, { kind: 'expanded_conv' }>;

/** OFA's `make_divisible`: nearest multiple of `divisor`, never more than 10 % below `v`. */
export function makeDivisible(v: number, divisor = CHANNEL_DIVISOR): number {
  let next = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  if (next < 0.9 * v) next += divisor;
  return next;
}

export function stageOf(block: number): number {
  return Math.floor(block / MAX_DEPTH);
}

export function isBlockActive(depths: readonly number[], block: number): boolean {
  return block % MAX_DEPTH < depths[stageOf(block)];
}

/** Feature map side after the stride-2 stem: OFA's `(r + 1) // 2`. */
export function stemOutputSize(resolution: number): number {
  return Math.floor((resolution + 1) / 2);
}

/**
 * Shape of elastic block `block` (0..19) with the given kernel and expand ratio. A block's input
 * never depends on the depths chosen: every stage's first block is always active.
 */
export function blockLayer(resolution: number, block: number, kernel: number, expand: number): BlockLayer {
  const stage = stageOf(block);
  const first = block % MAX_DEPTH === 0;
  let size = stemOutputSize(resolution);
  for (let s = 0; s < stage; s++) size = strided(size, STAGE_STRIDES[s]);
  if (!first) size = strided(size, STAGE_STRIDES[stage]);
  const stride = first ? STAGE_STRIDES[stage] : 1;
  const inChannels = first ? (stage === 0 ? FIRST_BLOCK_CHANNELS : STAGE_WIDTHS[stage - 1]) : STAGE_WIDTHS[stage];
  return {
    kind: 'expanded_conv',
    inSize: size,
    inChannels,
    outSize: strided(size, stride),
    outChannels: STAGE_WIDTHS[stage],
    // OFA rounds in*e to a multiple of 8; every input width here already is one.
    mid: makeDivisible(Math.round(inChannels * expand)),
    kernel,
    stride,
    idSkip: !first,
    se: STAGE_SE[stage],
    hswish: STAGE_HSWISH[stage],
  };
}

/** Output side of a 'same'-padded convolution: OFA's `(size - 1) // stride + 1`. */
function strided(size: number, stride: number): number {
  return Math.floor((size - 1) / stride) + 1;
}

/** Layers before the elastic blocks: the stem conv and the fixed first block (expand ratio 1). */
export function leadingLayers(resolution: number): Mbv3Layer[] {
  const f = stemOutputSize(resolution);
  return [
    { kind: 'Conv', inSize: resolution, inChannels: 3, outSize: f, outChannels: STEM_CHANNELS },
    {
      kind: 'expanded_conv',
      inSize: f,
      inChannels: STEM_CHANNELS,
      outSize: f,
      outChannels: FIRST_BLOCK_CHANNELS,
      mid: STEM_CHANNELS,
      kernel: 3,
      stride: 1,
      idSkip: true,
      se: false,
      hswish: false,
    },
  ];
}

/** Layers after the elastic blocks: final expand, global pooling, feature mix and classifier. */
export function trailingLayers(resolution: number): Mbv3Layer[] {
  const size = blockLayer(resolution, BLOCK_COUNT - MAX_DEPTH, KERNEL_SIZES[0], EXPAND_RATIOS[0]).outSize;
  const last = STAGE_WIDTHS[STAGE_COUNT - 1];
  return [
    { kind: 'Conv_1', size, inChannels: last, outChannels: FINAL_EXPAND_CHANNELS },
    { kind: 'AvgPool2D', size, channels: FINAL_EXPAND_CHANNELS },
    { kind: 'Conv_2', inChannels: FINAL_EXPAND_CHANNELS, outChannels: FEATURE_MIX_CHANNELS },
    { kind: 'Logits', inFeatures: FEATURE_MIX_CHANNELS, outFeatures: CLASS_COUNT },
  ];
}

/** Every layer of the sub-network, in execution order (the order OFA sums latencies in). */
export function networkLayers(arch: OfaArch): Mbv3Layer[] {
  const layers = leadingLayers(arch.r);
  for (let i = 0; i < BLOCK_COUNT; i++) {
    if (isBlockActive(arch.d, i)) layers.push(blockLayer(arch.r, i, arch.ks[i], arch.e[i]));
  }
  layers.push(...trailingLayers(arch.r));
  return layers;
}

/** The key OFA's latency lookup tables use for a layer. */
export function lutKey(layer: Mbv3Layer): string {
  switch (layer.kind) {
    case 'Conv':
      return `Conv-input:${layer.inSize}x${layer.inSize}x${layer.inChannels}-output:${layer.outSize}x${layer.outSize}x${layer.outChannels}`;
    case 'expanded_conv':
      return (
        `expanded_conv-input:${layer.inSize}x${layer.inSize}x${layer.inChannels}` +
        `-output:${layer.outSize}x${layer.outSize}x${layer.outChannels}` +
        `-expand:${layer.mid}-kernel:${layer.kernel}-stride:${layer.stride}` +
        `-idskip:${layer.idSkip ? 1 : 0}-se:${layer.se ? 1 : 0}-hs:${layer.hswish ? 1 : 0}`
      );
    case 'Conv_1':
      return `Conv_1-input:${layer.size}x${layer.size}x${layer.inChannels}-output:${layer.size}x${layer.size}x${layer.outChannels}`;
    case 'AvgPool2D':
      return `AvgPool2D-input:${layer.size}x${layer.size}x${layer.channels}-output:1x1x${layer.channels}`;
    case 'Conv_2':
      return `Conv_2-input:1x1x${layer.inChannels}-output:1x1x${layer.outChannels}`;
    case 'Logits':
      return `Logits-input:1x1x${layer.inFeatures}-output:${layer.outFeatures}`;
  }
}
