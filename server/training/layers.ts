import * as tf from '@tensorflow/tfjs';
import { batchNormInference, batchNormTrain, inferenceMoments, updatedRunningStats } from './batchNorm';
import type { ForwardContext } from './model';
import type { ParamFactory } from './params';

/** Convolution without bias (a batch norm follows), 'same' padding, NHWC. */
export class Conv2d {
  readonly filter: tf.Variable;

  constructor(
    params: ParamFactory,
    inChannels: number,
    outChannels: number,
    readonly kernelSize: number,
    readonly stride: number,
  ) {
    this.filter = params.heNormal([kernelSize, kernelSize, inChannels, outChannels], kernelSize * kernelSize * inChannels);
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    return tf.conv2d(x, this.filter as tf.Tensor4D, this.stride, 'same');
  }
}

/** Depthwise convolution (channel multiplier 1) without bias, 'same' padding, NHWC. */
export class DepthwiseConv2d {
  readonly filter: tf.Variable;

  constructor(
    params: ParamFactory,
    channels: number,
    readonly kernelSize: number,
    readonly stride: number,
  ) {
    this.filter = params.heNormal([kernelSize, kernelSize, channels, 1], kernelSize * kernelSize);
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    return tf.depthwiseConv2d(x, this.filter as tf.Tensor4D, this.stride, 'same');
  }
}

/** Fully connected layer with bias. */
export class Dense {
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;

  constructor(params: ParamFactory, inFeatures: number, outFeatures: number) {
    this.kernel = params.heNormal([inFeatures, outFeatures], inFeatures);
    this.bias = params.constant([outFeatures], 0);
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.matMul(x, this.kernel as tf.Tensor2D), this.bias);
  }
}

export interface BatchNormConfig {
  /** Weight of the current batch in the running statistics (PyTorch's convention). */
  momentum: number;
  epsilon: number;
}

export const DEFAULT_BATCH_NORM: BatchNormConfig = { momentum: 0.1, epsilon: 1e-5 };

/** Batch norm with learned scale and shift and running statistics for inference, optionally fused with ReLU. */
export class BatchNorm {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly runningMean: tf.Variable;
  readonly runningVariance: tf.Variable;

  constructor(
    params: ParamFactory,
    channels: number,
    readonly config: BatchNormConfig = DEFAULT_BATCH_NORM,
  ) {
    this.gamma = params.constant([channels], 1);
    this.beta = params.constant([channels], 0);
    this.runningMean = params.constant([channels], 0, false);
    this.runningVariance = params.constant([channels], 1, false);
  }

  apply<T extends tf.Tensor>(x: T, context: ForwardContext, relu: boolean): T {
    const gamma = this.gamma as tf.Tensor1D;
    const beta = this.beta as tf.Tensor1D;
    const options = { epsilon: this.config.epsilon, relu, replicas: context.replicas };
    if (!context.training) {
      return tf.tidy(() => batchNormInference(x, inferenceMoments(this.runningMean, this.runningVariance), gamma, beta, options)) as T;
    }
    const { y, moments } = batchNormTrain(x, gamma, beta, options);
    const rows = (x.size / x.shape[x.rank - 1]) * (context.replicas?.size ?? 1);
    tf.tidy(() => {
      const [mean, variance] = updatedRunningStats(this.runningMean as tf.Tensor1D, this.runningVariance as tf.Tensor1D, moments, this.config.momentum, rows);
      this.runningMean.assign(mean);
      this.runningVariance.assign(variance);
    });
    moments.dispose();
    return y as T;
  }
}
