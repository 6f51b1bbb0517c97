import { archToGraph } from '../graphs/archToGraph';
import type { ProxylessArch } from '../proxyless/proxylessArch';
import type { LayerStackArch } from '../spaces/layers/layerSpec';
import type { ScalingCoefficients } from './compoundScaling';
import { describeStack, scaleLayerStack, totalStride, type Rounding } from './scaledLayerStack';
import { describeMbConv, mbConvTotalStride, scaleMbConvNetwork } from './scaledMbConvNetwork';

/** What compound scaling grows: a layer stack, or an MBConv network (a derived ProxylessNAS network, an OFA sub-network). */
export type ScalableArch = LayerStackArch | ProxylessArch;

/** The network scaled by depth, width and resolution multipliers, as its kind of network scales. */
export function scaleArch(base: ScalableArch, c: ScalingCoefficients, rounding: Rounding): ScalableArch {
  return base.space === 'layers' ? scaleLayerStack(base, c, rounding) : scaleMbConvNetwork(base, c, rounding);
}

/** Multiply-accumulates, counted layer by layer (server/graphs). */
export function archFlops(arch: ScalableArch): number {
  return archToGraph(arch).totals.flops ?? Number.NaN;
}

/** The network itself, as text: equal keys are the same network. */
export function archKey(arch: ScalableArch): string {
  return arch.space === 'layers' ? JSON.stringify([arch.input, arch.layers]) : JSON.stringify([arch.input, arch.stem, arch.stemStride, arch.stages, arch.classes]);
}

/** One line for trial lists, logs and the plot. */
export function describeScalable(arch: ScalableArch): string {
  return arch.space === 'layers' ? describeStack(arch) : describeMbConv(arch);
}

/** How much the network downsamples its input: the default multiple input sides are rounded to. */
export function defaultResolutionMultiple(arch: ScalableArch): number {
  return arch.space === 'layers' ? totalStride(arch) : mbConvTotalStride(arch);
}
