/**
 * The ProxylessNAS space for small images, shaped like `ofa-small`: a 3x3 stem (conv, batch norm,
 * ReLU), stages of blocks with a fixed output width (the stage's first block has its stride),
 * global average pooling and a dense classifier. Every block is a mixed operation over MBConv
 * candidates (kernel x expand ratio), plus `Zero` (the block is skipped) where its stride is 1 and
 * its input and output widths match, as the reference's `super_proxyless.py` builds it.
 */

export interface ProxylessStage {
  readonly width: number;
  /** Stride of the stage's first block. */
  readonly stride: number;
  readonly blocks: number;
}

export interface ProxylessConfig {
  /** Input images [height, width, channels] as the dataset stores them (square). */
  readonly input: readonly [number, number, number];
  readonly classes: number;
  readonly stem: number;
  readonly stemStride: number;
  readonly stages: readonly ProxylessStage[];
  /** MBConv candidates: every kernel size with every expand ratio. */
  readonly kernels: readonly number[];
  readonly expandRatios: readonly number[];
  /** Whether skippable blocks also offer `Zero`. */
  readonly zero: boolean;
}

/** A candidate operation of a mixed block. */
export type CandidateOp = { readonly kind: 'mbconv'; readonly kernel: number; readonly expand: number } | { readonly kind: 'zero' };

export const ZERO_OP = 'Zero';

/** The reference's names: `3x3_MBConv6`, `Zero`. */
export function opName(op: CandidateOp): string {
  return op.kind === 'zero' ? ZERO_OP : `${op.kernel}x${op.kernel}_MBConv${op.expand}`;
}

/** `k3e6` / `skip`: the short form of tables and one-line descriptions. */
export function opShortName(op: CandidateOp): string {
  return op.kind === 'zero' ? 'skip' : `k${op.kernel}e${op.expand}`;
}

const OP_NAME = /^(\d+)x(\d+)_MBConv(\d+(?:\.\d+)?)$/;

/** The op a name stands for, or undefined. */
export function parseOpName(name: string): CandidateOp | undefined {
  if (name === ZERO_OP) return { kind: 'zero' };
  const m = OP_NAME.exec(name);
  if (!m || m[1] !== m[2]) return undefined;
  return { kind: 'mbconv', kernel: Number(m[1]), expand: Number(m[3]) };
}

/** Output side of a 'same'-padded convolution. */
export function stridedSize(size: number, stride: number): number {
  return Math.ceil(size / stride);
}

/** One block position of the supernet with its static shape. */
export interface BlockShape {
  readonly stage: number;
  /** Index within the stage. */
  readonly index: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly stride: number;
  /** Input feature map side (inputs are square). */
  readonly inputSize: number;
  /** An identity shortcut: stride 1 and as many channels out as in (and only then may it be skipped). */
  readonly shortcut: boolean;
}

/** The blocks of a network of this shape, in order. */
export function blockShapes(config: Pick<ProxylessConfig, 'input' | 'stem' | 'stemStride' | 'stages'>): BlockShape[] {
  const blocks: BlockShape[] = [];
  let channels = config.stem;
  let size = stemOutputSize(config);
  config.stages.forEach((stage, s) => {
    for (let index = 0; index < stage.blocks; index++) {
      const stride = index === 0 ? stage.stride : 1;
      blocks.push({ stage: s, index, inChannels: channels, outChannels: stage.width, stride, inputSize: size, shortcut: stride === 1 && channels === stage.width });
      channels = stage.width;
      size = stridedSize(size, stride);
    }
  });
  return blocks;
}

/** Feature map side after the stem. */
export function stemOutputSize(config: Pick<ProxylessConfig, 'input' | 'stemStride'>): number {
  return stridedSize(config.input[0], config.stemStride);
}

/** Feature map side entering the classifier's pooling. */
export function finalSize(config: Pick<ProxylessConfig, 'input' | 'stemStride' | 'stages'>): number {
  return config.stages.reduce((size, stage) => (stage.blocks > 0 ? stridedSize(size, stage.stride) : size), stemOutputSize(config));
}

/** Channels entering the classifier: the last stage's width (the stem's without stages). */
export function finalChannels(config: { readonly stem: number; readonly stages: readonly { readonly width: number }[] }): number {
  return config.stages.at(-1)?.width ?? config.stem;
}

/** A mixed block of the supernet: its shape and its candidates, in the reference's order (kernel-major, Zero last). */
export interface MixedBlock extends BlockShape {
  readonly candidates: readonly CandidateOp[];
}

export function mixedBlocks(config: ProxylessConfig): MixedBlock[] {
  const convs: CandidateOp[] = config.kernels.flatMap((kernel) => config.expandRatios.map((expand) => ({ kind: 'mbconv' as const, kernel, expand })));
  return blockShapes(config).map((shape) => ({ ...shape, candidates: config.zero && shape.shortcut ? [...convs, { kind: 'zero' }] : convs }));
}

/** "stage 2 · block 1": how views and tables name a block (1-based). */
export function blockLabel(block: Pick<BlockShape, 'stage' | 'index'>): string {
  return `stage ${block.stage + 1} · block ${block.index + 1}`;
}
