import * as tf from '@tensorflow/tfjs';
import { batchNormInference, batchNormTrain, inferenceMoments } from '../training/batchNorm';
import { DEFAULT_BATCH_NORM } from '../training/layers';
import type { ForwardContext } from '../training/model';
import type { ParamFactory } from '../training/params';
import type { BnCalibration, CalibratedNorm } from './bnCalibration';

/** A forward pass of the supernet: training, inference, or batch-norm calibration (when `calibration` is set). */
export interface SupernetContext extends ForwardContext {
  readonly calibration?: BnCalibration;
}

/** The leading `size` entries along each axis (the whole variable when it is that size already). */
function leading(v: tf.Variable, size: number[]): tf.Tensor {
  return size.every((s, i) => s === v.shape[i]) ? v : tf.slice(v, Array(size.length).fill(0), size);
}

/** 1x1 convolution (no bias) whose input and output channels are the leading ones of the largest. */
export class ElasticPointwise {
  readonly filter: tf.Variable;

  constructor(params: ParamFactory, maxIn: number, maxOut: number) {
    this.filter = params.heNormal([1, 1, maxIn, maxOut], maxIn);
  }

  activeFilter(inChannels: number, outChannels: number): tf.Tensor4D {
    return leading(this.filter, [1, 1, inChannels, outChannels]) as tf.Tensor4D;
  }

  apply(x: tf.Tensor4D, outChannels: number): tf.Tensor4D {
    return tf.conv2d(x, this.activeFilter(x.shape[3], outChannels), 1, 'same');
  }
}

/**
 * Depthwise convolution with an elastic kernel (OFA's DynamicSeparableConv2d): weights of the
 * largest kernel; a smaller kernel is the centre of the next larger active kernel, transformed by
 * a learned matrix shared by all channels (7x7 -> centre 5x5 -> 25x25 matrix -> centre 3x3 ->
 * 9x9 matrix). The matrices start as the identity, i.e. as plain centre crops.
 */
export class ElasticDepthwise {
  readonly filter: tf.Variable;
  /** `${large}to${small}` -> [small^2, small^2] matrix, for consecutive kernel choices. */
  readonly transforms = new Map<string, tf.Variable>();

  constructor(
    params: ParamFactory,
    maxChannels: number,
    readonly kernels: readonly number[],
    readonly stride: number,
  ) {
    const max = kernels[kernels.length - 1];
    this.filter = params.heNormal([max, max, maxChannels, 1], max * max);
    for (let i = kernels.length - 1; i > 0; i--) this.transforms.set(`${kernels[i]}to${kernels[i - 1]}`, params.identity(kernels[i - 1] ** 2));
  }

  activeFilter(channels: number, kernel: number): tf.Tensor4D {
    const max = this.kernels[this.kernels.length - 1];
    let f = leading(this.filter, [max, max, channels, 1]);
    for (let i = this.kernels.length - 1; i > 0 && this.kernels[i] > kernel; i--) {
      const target = this.kernels[i - 1];
      const start = (this.kernels[i] - target) / 2;
      const centre = tf.slice(f, [start, start, 0, 0], [target, target, channels, 1]);
      // Rows are kernel positions, columns channels: the matrix mixes positions, per channel.
      const mixed = tf.matMul(this.transforms.get(`${this.kernels[i]}to${target}`)!, centre.reshape([target * target, channels]));
      f = mixed.reshape([target, target, channels, 1]);
    }
    return f as tf.Tensor4D;
  }

  apply(x: tf.Tensor4D, kernel: number): tf.Tensor4D {
    return tf.depthwiseConv2d(x, this.activeFilter(x.shape[3], kernel), this.stride, 'same');
  }
}

/**
 * Batch norm over the leading channels of the largest layer (OFA's DynamicBatchNorm2d). Training
 * uses the batch statistics (shared across data-parallel replicas) with the fast closed-form
 * gradient and leaves the running statistics alone: they are only meaningful per sub-network,
 * so they are set by calibration before a sub-network is evaluated or extracted.
 */
export class ElasticBatchNorm implements CalibratedNorm {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly runningMean: tf.Variable;
  readonly runningVariance: tf.Variable;
  readonly epsilon = DEFAULT_BATCH_NORM.epsilon;

  constructor(params: ParamFactory, maxChannels: number) {
    this.gamma = params.constant([maxChannels], 1);
    this.beta = params.constant([maxChannels], 0);
    this.runningMean = params.constant([maxChannels], 0, false);
    this.runningVariance = params.constant([maxChannels], 1, false);
  }

  /** gamma, beta, moving mean, moving variance of the leading `channels` (tf.layers' weight order). */
  active(channels: number): [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D] {
    return [this.gamma, this.beta, this.runningMean, this.runningVariance].map((v) => leading(v, [channels])) as [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
  }

  apply(x: tf.Tensor4D, context: SupernetContext, relu: boolean): tf.Tensor4D {
    const channels = x.shape[3];
    const gamma = leading(this.gamma, [channels]) as tf.Tensor1D;
    const beta = leading(this.beta, [channels]) as tf.Tensor1D;
    if (!context.training && !context.calibration) {
      const [, , mean, variance] = this.active(channels);
      return batchNormInference(x, inferenceMoments(mean, variance), gamma, beta, { epsilon: this.epsilon, relu }) as tf.Tensor4D;
    }
    const replicas = context.training ? context.replicas : undefined;
    const { y, moments } = batchNormTrain(x, gamma, beta, { epsilon: this.epsilon, relu, replicas });
    if (context.calibration) context.calibration.add(this, moments.dataSync() as Float32Array, x.size / channels);
    moments.dispose();
    return y as tf.Tensor4D;
  }

  setRunningStatistics(mean: Float32Array, variance: Float32Array): void {
    const channels = mean.length;
    tf.tidy(() => {
      const rest = this.runningMean.shape[0] - channels;
      const merge = (v: tf.Variable, values: Float32Array) => (rest > 0 ? tf.concat([tf.tensor1d(values), tf.slice(v, [channels], [rest])]) : tf.tensor1d(values));
      this.runningMean.assign(merge(this.runningMean, mean));
      this.runningVariance.assign(merge(this.runningVariance, variance));
    });
  }
}
