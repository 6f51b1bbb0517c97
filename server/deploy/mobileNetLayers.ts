import * as tf from '@tensorflow/tfjs';
import { type BatchNorm, type Conv2d, DepthwiseConv2d } from '../training/layers';
import type { MobileNet } from '../training/mobileNet';
import { type ConvBnSpec, LayersBuilder } from './layersBuilder';

function convBn(conv: Conv2d | DepthwiseConv2d, bn: BatchNorm, relu: boolean): ConvBnSpec {
  return {
    filters: bn.gamma.shape[0],
    kernel: conv.kernelSize,
    stride: conv.stride,
    depthwise: conv instanceof DepthwiseConv2d,
    filter: () => conv.filter,
    bn: () => [bn.gamma, bn.beta, bn.runningMean, bn.runningVariance],
    epsilon: bn.config.epsilon,
    relu,
  };
}

/**
 * A MobileNet (an OFA-style sub-network trained by NAS Studio's own training loop) as a
 * standalone tf.LayersModel with its current weights and running statistics, layers named
 * `stem`, `stage<s>_block<b>_<expand|depthwise|project>`, `classifier`: what TF.js, ONNX and
 * PyTorch exports are made from.
 */
export function mobileNetLayersModel(net: MobileNet): tf.LayersModel {
  const builder = new LayersBuilder();
  const input = tf.input({ shape: [...net.config.inputShape], name: 'image' });
  let x = builder.convBn(input, 'stem', convBn(net.stem.conv, net.stem.bn, true));
  let next = 0;
  net.config.stages.forEach((stage, s) => {
    for (let j = 0; j < stage.depth; j++) {
      const block = net.blocks[next++];
      x = builder.mbConv(x, `stage${s + 1}_block${j + 1}`, {
        ...(block.expand ? { expand: convBn(block.expand.conv, block.expand.bn, true) } : {}),
        depthwise: convBn(block.depthwise.conv, block.depthwise.bn, true),
        project: convBn(block.project.conv, block.project.bn, false),
        residual: block.residual,
      });
    }
  });
  return builder.build(input, builder.head(x, net.config.classes, () => [net.classifier.kernel, net.classifier.bias]));
}
