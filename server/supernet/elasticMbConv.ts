import * as tf from '@tensorflow/tfjs';
import type { ParamFactory } from '../training/params';
import { ElasticBatchNorm, ElasticDepthwise, ElasticPointwise, type SupernetContext } from './elasticLayers';
import { midChannels } from './ofaSmallConfig';

export interface ElasticMbConvShape {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly stride: number;
  readonly kernels: readonly number[];
  readonly expandRatios: readonly number[];
  readonly expansion: boolean;
}

/**
 * OFA's DynamicMBConvLayer: 1x1 expansion to in x expand-ratio channels (the leading channels of
 * the widest), elastic-kernel depthwise conv, 1x1 projection; BN after each conv, ReLU after the
 * first two; residual when stride 1 and in = out.
 */
export class ElasticMbConv {
  readonly expand?: { conv: ElasticPointwise; bn: ElasticBatchNorm };
  readonly depthwise: { conv: ElasticDepthwise; bn: ElasticBatchNorm };
  readonly project: { conv: ElasticPointwise; bn: ElasticBatchNorm };
  readonly residual: boolean;
  readonly maxMid: number;

  constructor(
    params: ParamFactory,
    readonly shape: ElasticMbConvShape,
  ) {
    const { inChannels, outChannels, stride, kernels, expandRatios } = shape;
    this.maxMid = midChannels(inChannels, expandRatios[expandRatios.length - 1]);
    if (shape.expansion) this.expand = { conv: new ElasticPointwise(params, inChannels, this.maxMid), bn: new ElasticBatchNorm(params, this.maxMid) };
    this.depthwise = { conv: new ElasticDepthwise(params, this.maxMid, kernels, stride), bn: new ElasticBatchNorm(params, this.maxMid) };
    this.project = { conv: new ElasticPointwise(params, this.maxMid, outChannels), bn: new ElasticBatchNorm(params, outChannels) };
    this.residual = stride === 1 && inChannels === outChannels;
  }

  apply(x: tf.Tensor4D, kernel: number, expandRatio: number, context: SupernetContext): tf.Tensor4D {
    const mid = midChannels(this.shape.inChannels, expandRatio);
    let h = x;
    if (this.expand) h = this.expand.bn.apply(this.expand.conv.apply(h, mid), context, true);
    h = this.depthwise.bn.apply(this.depthwise.conv.apply(h, kernel), context, true);
    h = this.project.bn.apply(this.project.conv.apply(h, this.shape.outChannels), context, false);
    return this.residual ? tf.add(h, x) : h;
  }

  /**
   * OFA's re_organize_middle_weights: reorders the middle channels by importance (L1 norm of
   * their projection weights), most important first, so that narrower sub-networks keep the
   * channels that matter. Channels are sorted within bands cut at the widths of `keptRatios`
   * (expand ratios already trained), so those sub-networks keep exactly their channel sets.
   * Every weight touching the middle channels is permuted alike: the network computes the same
   * function before and after.
   */
  sortChannels(keptRatios: readonly number[]): void {
    const cuts = [...new Set(keptRatios.map((e) => midChannels(this.shape.inChannels, e)))].filter((w) => w < this.maxMid).sort((a, b) => a - b);
    const importance = tf.tidy(() => tf.abs(this.project.conv.filter).sum([0, 1, 3]).dataSync() as Float32Array);
    const band = (c: number) => cuts.filter((w) => c >= w).length;
    const order = Array.from({ length: this.maxMid }, (_, c) => c).sort((a, b) => band(a) - band(b) || importance[b] - importance[a] || a - b);
    tf.tidy(() => {
      const index = tf.tensor1d(order, 'int32');
      const permute = (v: tf.Variable, axis: number) => v.assign(tf.gather(v, index, axis));
      permute(this.project.conv.filter, 2);
      permute(this.depthwise.conv.filter, 2);
      for (const bn of [this.depthwise.bn, ...(this.expand ? [this.expand.bn] : [])]) {
        for (const v of [bn.gamma, bn.beta, bn.runningMean, bn.runningVariance]) permute(v, 0);
      }
      if (this.expand) permute(this.expand.conv.filter, 3);
    });
  }
}
