import { SpecError } from '../core/errors';
import { archBlocks, describeProxylessArch, parseProxylessArch, type ProxylessArch } from '../proxyless/proxylessArch';
import { ZERO_OP } from '../proxyless/proxylessSpace';
import { roundFilters, roundRepeats, roundResolution, type ScalingCoefficients } from './compoundScaling';
import type { Rounding } from './scaledLayerStack';

/**
 * An MBConv network (a derived ProxylessNAS network, an OFA sub-network in that form) scaled as
 * the reference's efficientnet_builder scales its block arguments: every stage's width and the
 * stem round_filters'd, each stage's blocks round_repeats'd, the input side rounded to the
 * pipeline's multiple. A stage's blocks keep their operations in order; the extra repeats copy
 * its last block (stride 1, as the builder's repeats of a block argument). Skipped (`Zero`)
 * blocks compute nothing, so they are dropped before counting a stage's depth. The classifier's
 * width is the number of classes and never scales (these networks have no head convolution).
 */
export function scaleMbConvNetwork(base: ProxylessArch, c: ScalingCoefficients, rounding: Rounding): ProxylessArch {
  const [h, w, channels] = base.input;
  const side = (s: number) => (c.resolution === 1 ? s : roundResolution(s, c.resolution, rounding.resolutionMultiple));
  return {
    ...base,
    input: [side(h), side(w), channels],
    stem: roundFilters(base.stem, c.width, rounding.divisor),
    stages: base.stages.map((stage) => {
      const ops = stage.ops.filter((op) => op !== ZERO_OP);
      const repeats = roundRepeats(ops.length, c.depth);
      return { width: roundFilters(stage.width, c.width, rounding.divisor), stride: stage.stride, ops: Array.from({ length: repeats }, (_, i) => ops[Math.min(i, ops.length - 1)]) };
    }),
  };
}

/** How much the network downsamples its input (stem stride times the strides of stages with blocks): the default resolution multiple. */
export function mbConvTotalStride(arch: ProxylessArch): number {
  return arch.stages.reduce((s, stage) => s * (stage.ops.some((op) => op !== ZERO_OP) ? stage.stride : 1), arch.stemStride);
}

/**
 * Checks that an MBConv network can be scaled and trained: a valid architecture of the
 * `proxyless` form with at least one block. Throws SpecError with the path inside it.
 */
export function checkScalableMbConv(arch: unknown): ProxylessArch {
  const parsed = parseProxylessArch(arch);
  if (!archBlocks(parsed).some((b) => b.op.kind === 'mbconv')) throw new SpecError('the network has no MBConv block to scale (every block is Zero)', ['stages']);
  return parsed;
}

/** "32px stem16 | k3e6 k3e6 | k5e3": the input side, the stem's width, then the blocks stage by stage. */
export function describeMbConv(arch: ProxylessArch): string {
  return `${arch.input[0]}px stem${arch.stem} ${arch.stages.map((s) => `${s.width}ch`).join(',')} | ${describeProxylessArch(arch)}`;
}
