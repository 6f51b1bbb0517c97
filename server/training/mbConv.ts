import * as tf from '@tensorflow/tfjs';
import { BatchNorm, Conv2d, DepthwiseConv2d, type BatchNormConfig } from './layers';
import type { ForwardContext } from './model';
import type { ParamFactory } from './params';

export interface MBConvConfig {
  inChannels: number;
  outChannels: number;
  kernelSize: number;
  stride: number;
  expandRatio: number;
  /** Momentum and epsilon of its batch norms (default: PyTorch's). */
  batchNorm?: BatchNormConfig;
}

/**
 * Inverted residual block of MobileNetV2/V3 and Once-for-All: 1x1 expansion (skipped when the
 * expand ratio is 1), k x k depthwise convolution, 1x1 projection; BN after each convolution, ReLU
 * after the first two, and a residual connection when input and output shapes match.
 */
export class MBConv {
  readonly expand?: { conv: Conv2d; bn: BatchNorm };
  readonly depthwise: { conv: DepthwiseConv2d; bn: BatchNorm };
  readonly project: { conv: Conv2d; bn: BatchNorm };
  readonly residual: boolean;

  constructor(
    params: ParamFactory,
    readonly config: MBConvConfig,
  ) {
    const { inChannels, outChannels, kernelSize, stride, expandRatio, batchNorm } = config;
    const mid = inChannels * expandRatio;
    if (expandRatio !== 1) this.expand = { conv: new Conv2d(params, inChannels, mid, 1, 1), bn: new BatchNorm(params, mid, batchNorm) };
    this.depthwise = { conv: new DepthwiseConv2d(params, mid, kernelSize, stride), bn: new BatchNorm(params, mid, batchNorm) };
    this.project = { conv: new Conv2d(params, mid, outChannels, 1, 1), bn: new BatchNorm(params, outChannels, batchNorm) };
    this.residual = stride === 1 && inChannels === outChannels;
  }

  apply(x: tf.Tensor4D, context: ForwardContext): tf.Tensor4D {
    const h = this.transform(x, context);
    return this.residual ? tf.add(h, x) : h;
  }

  /** The convolutions without the residual connection (ProxylessNAS gates this part of a block). */
  transform(x: tf.Tensor4D, context: ForwardContext): tf.Tensor4D {
    let h = x;
    if (this.expand) h = this.expand.bn.apply(this.expand.conv.apply(h), context, true);
    h = this.depthwise.bn.apply(this.depthwise.conv.apply(h), context, true);
    return this.project.bn.apply(this.project.conv.apply(h), context, false);
  }
}
