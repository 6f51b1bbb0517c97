/**
 * The `ofa-small` elastic network: an OFA MobileNetV3-style supernet sized for small inputs
 * (MNIST, CIFAR, small image folders). Stem conv 3x3 + BN + ReLU, then stages of elastic MBConv
 * blocks (kernel size and expand ratio per block, depth per stage), global average pooling and a
 * dense classifier; the input is resized to the sub-network's resolution first. Stage widths are
 * fixed; every stage has max(depths) blocks.
 */
export interface OfaSmallStage {
  readonly width: number;
  /** Stride of the stage's first block. */
  readonly stride: number;
}

export interface OfaSmallConfig {
  /** Input images [height, width, channels] as the dataset stores them. */
  readonly input: readonly [number, number, number];
  readonly classes: number;
  readonly stem: number;
  readonly stemStride: number;
  readonly stages: readonly OfaSmallStage[];
  /** Choices, ascending. */
  readonly kernels: readonly number[];
  readonly expandRatios: readonly number[];
  readonly depths: readonly number[];
  /** Square input sizes the network can run at, ascending. */
  readonly resolutions: readonly number[];
}

/**
 * One sub-network, in OFA's form: kernel size and expand ratio per block slot (stages x
 * max depth; slots past a stage's depth are carried but unused), depth per stage, resolution.
 */
export interface SubnetArch {
  readonly ks: readonly number[];
  readonly e: readonly number[];
  readonly d: readonly number[];
  readonly r: number;
}

export function maxDepth(config: OfaSmallConfig): number {
  return config.depths[config.depths.length - 1];
}

export function slotCount(config: OfaSmallConfig): number {
  return config.stages.length * maxDepth(config);
}

export function isSlotActive(config: OfaSmallConfig, arch: SubnetArch, slot: number): boolean {
  const depth = maxDepth(config);
  return slot % depth < arch.d[Math.floor(slot / depth)];
}

/**
 * Blocks expand with a 1x1 conv whenever some expand ratio exceeds 1 - also at ratio 1 then (as
 * OFA's supernet runs it), so that every sub-network's channels follow the same sorted order.
 */
export function hasExpansion(config: OfaSmallConfig): boolean {
  return config.expandRatios[config.expandRatios.length - 1] > 1;
}

/** Channels inside a block: the input channels times the expand ratio. */
export function midChannels(inChannels: number, expandRatio: number): number {
  return Math.round(inChannels * expandRatio);
}

const last = <T>(values: readonly T[]): T => values[values.length - 1];

type Choices = Pick<OfaSmallConfig, 'kernels' | 'expandRatios' | 'depths' | 'resolutions'>;

/** The sub-network with every choice at its largest (or smallest), of all choices or of a subset. */
export function extremeSubnet(config: OfaSmallConfig, which: 'largest' | 'smallest', choices: Choices = config): SubnetArch {
  const pick = (values: readonly number[]) => (which === 'largest' ? last(values) : values[0]);
  const slots = slotCount(config);
  return {
    ks: Array(slots).fill(pick(choices.kernels)),
    e: Array(slots).fill(pick(choices.expandRatios)),
    d: Array(config.stages.length).fill(pick(choices.depths)),
    r: pick(choices.resolutions),
  };
}

/** One MBConv block of a sub-network with its static shape. */
export interface SubnetBlock {
  readonly stage: number;
  /** Block slot in the supernet (stage * max depth + index in stage). */
  readonly slot: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernel: number;
  readonly stride: number;
  readonly expandRatio: number;
  readonly mid: number;
  /** Whether the block has its 1x1 expansion conv: every block does unless the only expand ratio is 1. */
  readonly expansion: boolean;
  readonly residual: boolean;
  /** Input feature map side (square). */
  readonly inputSize: number;
}

/** Output side of a 'same'-padded convolution. */
export function stridedSize(size: number, stride: number): number {
  return Math.ceil(size / stride);
}

/** The active blocks of a sub-network, in order, with their shapes at resolution `arch.r`. */
export function subnetBlocks(config: OfaSmallConfig, arch: SubnetArch): SubnetBlock[] {
  const blocks: SubnetBlock[] = [];
  let channels = config.stem;
  let size = stridedSize(arch.r, config.stemStride);
  config.stages.forEach((stage, s) => {
    for (let j = 0; j < arch.d[s]; j++) {
      const slot = s * maxDepth(config) + j;
      const stride = j === 0 ? stage.stride : 1;
      const expandRatio = arch.e[slot];
      blocks.push({
        stage: s,
        slot,
        inChannels: channels,
        outChannels: stage.width,
        kernel: arch.ks[slot],
        stride,
        expandRatio,
        mid: midChannels(channels, expandRatio),
        expansion: hasExpansion(config),
        residual: stride === 1 && channels === stage.width,
        inputSize: size,
      });
      channels = stage.width;
      size = stridedSize(size, stride);
    }
  });
  return blocks;
}

/** `r28 d2,3,2 k35|557|33 e34|466|33`: one line for tables and logs (active blocks only). */
export function describeSubnet(config: OfaSmallConfig, arch: SubnetArch): string {
  const perStage = (values: readonly number[]) =>
    config.stages.map((_, s) => values.slice(s * maxDepth(config), s * maxDepth(config) + arch.d[s]).join('')).join('|');
  return `r${arch.r} d${arch.d.join(',')} k${perStage(arch.ks)} e${perStage(arch.e)}`;
}
