import * as tf from '@tensorflow/tfjs';
import type { Normalization } from '../data/batchAssembly';
import { type ConvBnSpec, LayersBuilder } from '../deploy/layersBuilder';
import type { ElasticBatchNorm } from './elasticLayers';
import { subnetBlocks, type SubnetArch } from './ofaSmallConfig';
import type { OfaSupernet } from './ofaSupernet';

/**
 * Bilinear resampling from `from` to `to` samples with corners aligned, as a matrix [to, from]
 * (the weights tf.image.resizeBilinear(..., alignCorners = true) gives each source sample).
 */
function interpolationMatrix(from: number, to: number): number[][] {
  const scale = to > 1 ? (from - 1) / (to - 1) : 0;
  return Array.from({ length: to }, (_, i) => {
    const row = new Array<number>(from).fill(0);
    const source = i * scale;
    const low = Math.floor(source);
    const high = Math.min(from - 1, Math.ceil(source));
    row[low] += 1 - (source - low);
    row[high] += source - low;
    return row;
  });
}

/**
 * The supernet's input resize (see resizeInput) with standard layers: bilinear resampling is
 * linear and separable, so it is a frozen dense layer along the width, then one along the height,
 * with permutes around them (tf.layers.resizing cannot be used: its output shape drops the batch).
 */
function resizeLayers(x: tf.SymbolicTensor, h: number, w: number, r: number, add: <L extends tf.layers.Layer>(layer: L, weights: () => tf.Tensor[]) => L): tf.SymbolicTensor {
  const along = (input: tf.SymbolicTensor, from: number, axis: string) =>
    add(tf.layers.dense({ units: r, useBias: false, trainable: false, name: `${PREPROCESSING}_${axis}` }), () => [tf.tensor2d(interpolationMatrix(from, r)).transpose()]).apply(input) as tf.SymbolicTensor;
  const permute = (input: tf.SymbolicTensor, dims: number[]) => tf.layers.permute({ dims }).apply(input) as tf.SymbolicTensor;
  // [h, w, c] -> [c, h, w] -> [c, h, r] -> [c, r, h] -> [c, r, r] -> [r, r, c]
  return permute(along(permute(along(permute(x, [3, 1, 2]), w, 'width'), [1, 3, 2]), h, 'height'), [3, 2, 1]);
}

/** Name prefix of the extracted model's frozen input layers (normalization, resize). */
export const PREPROCESSING = 'preprocess';

/**
 * A standalone tf.LayersModel computing the supernet's sub-network `arch` with the supernet's
 * current weights and running statistics (calibrate them for `arch` first). It takes images as
 * stored (bytes 0..255, the dataset's size) and returns logits: a frozen 1x1 depthwise layer
 * applies the training normalization, frozen layers resize to the sub-network's resolution, then
 * stem, MBConv blocks (functional graph with residual adds), global average pooling and dense.
 * Only standard layers, named after the architecture (`stage1_block2_expand_conv`): any TF.js
 * Layers loader reads the exported model, and ONNX and PyTorch exports keep the names.
 */
export function extractSubnet(supernet: OfaSupernet, arch: SubnetArch, normalization: Normalization): tf.LayersModel {
  const { config } = supernet;
  const [h, w, c] = config.input;
  const builder = new LayersBuilder();
  const add = <L extends tf.layers.Layer>(layer: L, weights: () => tf.Tensor[]): L => builder.add(layer, weights);
  const convBn = (filters: number, kernel: number, stride: number, filter: () => tf.Tensor, bn: ElasticBatchNorm, relu: boolean, depthwise = false): ConvBnSpec => ({
    filters,
    kernel,
    stride,
    depthwise,
    filter,
    bn: () => bn.active(filters),
    epsilon: bn.epsilon,
    relu,
  });

  const input = tf.input({ shape: [h, w, c], name: 'image' });
  const std = (k: number) => normalization.std[k % normalization.std.length];
  const mean = (k: number) => normalization.mean[k % normalization.mean.length];
  let x = add(tf.layers.depthwiseConv2d({ kernelSize: 1, useBias: true, trainable: false, name: `${PREPROCESSING}_normalize` }), () => [
    tf.tensor4d(Array.from({ length: c }, (_, k) => 1 / (255 * std(k))), [1, 1, c, 1]),
    tf.tensor1d(Array.from({ length: c }, (_, k) => -mean(k) / std(k))),
  ]).apply(input) as tf.SymbolicTensor;
  if (arch.r !== h || arch.r !== w) x = resizeLayers(x, h, w, arch.r, add);

  const stem = supernet.stem;
  x = builder.convBn(x, 'stem', convBn(config.stem, 3, config.stemStride, () => stem.conv.filter, stem.bn, true));
  const blocks = subnetBlocks(config, arch);
  for (const b of blocks) {
    const block = supernet.blocks[b.stage][b.slot % supernet.blocks[b.stage].length];
    const expand = block.expand;
    const index = blocks.filter((o) => o.stage === b.stage).indexOf(b) + 1;
    x = builder.mbConv(x, `stage${b.stage + 1}_block${index}`, {
      ...(expand ? { expand: convBn(b.mid, 1, 1, () => expand.conv.activeFilter(b.inChannels, b.mid), expand.bn, true) } : {}),
      depthwise: convBn(b.mid, b.kernel, b.stride, () => block.depthwise.conv.activeFilter(b.mid, b.kernel), block.depthwise.bn, true, true),
      project: convBn(b.outChannels, 1, 1, () => block.project.conv.activeFilter(b.mid, b.outChannels), block.project.bn, false),
      residual: b.residual,
    });
  }
  const classifier = supernet.classifier;
  return builder.build(input, builder.head(x, config.classes, () => [classifier.kernel, classifier.bias]));
}
