import * as tf from '@tensorflow/tfjs';
import { BatchNorm, Conv2d, Dense, type BatchNormConfig } from './layers';
import { MBConv } from './mbConv';
import type { ForwardContext, TrainableModel } from './model';
import { ParamFactory } from './params';

/**
 * One stage of MBConv blocks: the first block has the stage's stride, the others stride 1. Kernel
 * size and expand ratio are per stage, or per block (one entry per block, as in OFA sub-networks).
 */
export interface StageConfig {
  width: number;
  depth: number;
  stride: number;
  kernelSize: number | number[];
  expandRatio: number | number[];
}

function perBlock(value: number | number[], block: number): number {
  return Array.isArray(value) ? value[block] : value;
}

export interface MobileNetConfig {
  /** Input images, NHWC without the batch axis. */
  inputShape: [number, number, number];
  stemChannels: number;
  stemStride: number;
  stages: StageConfig[];
  classes: number;
  /** Momentum and epsilon of every batch norm (default: PyTorch's). */
  batchNorm?: BatchNormConfig;
}

/**
 * The benchmark's reference network: an OFA MobileNetV3-style sub-network for 32x32x3 inputs and
 * 10 classes (stem 3x3/16; stages (width, depth, stride, kernel, expand) = (24,2,2,3,4),
 * (40,2,2,5,4), (80,2,2,3,4), (96,2,1,5,4), (160,2,1,7,6); global average pool; dense 10).
 */
export const REFERENCE_MOBILENET: MobileNetConfig = {
  inputShape: [32, 32, 3],
  stemChannels: 16,
  stemStride: 1,
  stages: [
    { width: 24, depth: 2, stride: 2, kernelSize: 3, expandRatio: 4 },
    { width: 40, depth: 2, stride: 2, kernelSize: 5, expandRatio: 4 },
    { width: 80, depth: 2, stride: 2, kernelSize: 3, expandRatio: 4 },
    { width: 96, depth: 2, stride: 1, kernelSize: 5, expandRatio: 4 },
    { width: 160, depth: 2, stride: 1, kernelSize: 7, expandRatio: 6 },
  ],
  classes: 10,
};

/** MobileNetV3-style network: stem conv + BN + ReLU, MBConv stages, global average pool, dense classifier. */
export class MobileNet implements TrainableModel {
  readonly stem: { conv: Conv2d; bn: BatchNorm };
  readonly blocks: MBConv[] = [];
  readonly classifier: Dense;
  readonly trainableVariables: readonly tf.Variable[];
  readonly stateVariables: readonly tf.Variable[];

  constructor(
    readonly config: MobileNetConfig,
    seed: number,
  ) {
    const params = new ParamFactory(seed);
    const [, , inputChannels] = config.inputShape;
    this.stem = { conv: new Conv2d(params, inputChannels, config.stemChannels, 3, config.stemStride), bn: new BatchNorm(params, config.stemChannels, config.batchNorm) };
    let channels = config.stemChannels;
    for (const stage of config.stages) {
      for (let i = 0; i < stage.depth; i++) {
        this.blocks.push(
          new MBConv(params, {
            inChannels: channels,
            outChannels: stage.width,
            kernelSize: perBlock(stage.kernelSize, i),
            stride: i === 0 ? stage.stride : 1,
            expandRatio: perBlock(stage.expandRatio, i),
            batchNorm: config.batchNorm,
          }),
        );
        channels = stage.width;
      }
    }
    this.classifier = new Dense(params, channels, config.classes);
    this.trainableVariables = params.trainable;
    this.stateVariables = params.state;
  }

  apply(x: tf.Tensor4D, context: ForwardContext): tf.Tensor2D {
    let h = this.stem.bn.apply(this.stem.conv.apply(x), context, true);
    for (const block of this.blocks) h = block.apply(h, context);
    return this.classifier.apply(tf.mean(h, [1, 2]) as tf.Tensor2D);
  }

  dispose(): void {
    for (const v of [...this.trainableVariables, ...this.stateVariables]) v.dispose();
  }
}
